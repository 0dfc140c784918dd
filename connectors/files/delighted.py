"""Delighted survey export: ``responses.csv``, one NPS/CSAT response a row."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

from groundswell.connectors.files.base import FileExportSource, Yielded
from groundswell.core.errors import MalformedRecord
from groundswell.core.models import Channel, ConversationDoc, Message, RawRecord, RecordFailure, SpeakerRole

__all__ = ["DelightedExport"]

RESPONSE_URL = "https://app.delighted.com/responses/{id}"
ID, SCORE, KIND, WHEN = "Response ID", "Score", "Survey Type", "Response Timestamp"
_SCORE_RANGES = {"nps": (0, 10), "enps": (0, 10), "csat": (1, 5)}
_NPS_TYPES = frozenset({"nps", "enps"})  # 0-10 scores go to ``score``; the rest (CSAT 1-5, ...) to ``rating``


class DelightedExport(FileExportSource):
    """Survey responses; payload = the CSV row verbatim. A score-only response has no messages."""

    kind = "survey_response"
    RECORD_FILES: ClassVar[tuple[str, ...]] = ("responses.csv",)
    REQUIRED_FIELDS: ClassVar[tuple[str, ...]] = (ID, SCORE, KIND, WHEN, "Comment")
    NON_EMPTY_FIELDS: ClassVar[tuple[str, ...]] = (ID, SCORE, KIND, WHEN)
    TIMESTAMP_FIELDS: ClassVar[tuple[str, ...]] = (WHEN,)

    def __init__(
        self,
        path: Path,
        *,
        company_domains: Sequence[str] = (),
        name: str = "delighted",
        link_base: str | None = None,
    ) -> None:
        super().__init__(path, company_domains=company_domains, name=name, link_base=link_base)

    def check_row(self, data: dict[str, Any]) -> str | None:
        try:
            score = int(data[SCORE].strip())
        except ValueError:
            return f"bad value in field '{SCORE}': {data[SCORE]!r} is not an integer"
        low, high = _SCORE_RANGES.get(data[KIND].strip().lower(), (0, 10))
        if not low <= score <= high:
            return f"bad value in field '{SCORE}': {score} is outside {low}-{high} for {data[KIND].strip()}"
        return None

    def _read(self, path: Path) -> Iterator[Yielded]:
        for item in self.record_rows(path, id_field=ID):
            if isinstance(item, RecordFailure):
                yield item
                continue
            row = item.data
            response_id = row[ID].strip()
            yield self.record(response_id, row, url=RESPONSE_URL.format(id=response_id), created_at=row[WHEN])

    def normalize(self, record: RawRecord) -> ConversationDoc:
        row = record.payload
        response_id = str(self.need(row, ID)).strip()
        created_at = self.need_time(self.need(row, WHEN), WHEN)
        try:
            value = int(str(self.need(row, SCORE)).strip())
        except ValueError as exc:
            raise MalformedRecord(self.name, f"field '{SCORE}' is not an integer: {row[SCORE]!r}") from exc
        is_nps = str(row.get(KIND, "")).strip().lower() in _NPS_TYPES
        company = (row.get("Company") or "").strip() or None
        messages: list[Message] = []
        comment = row.get("Comment") or ""
        if comment.strip():
            author = self.author(
                SpeakerRole.CUSTOMER,
                external_id=row.get("Person ID"),
                name=row.get("Name"),
                email=row.get("Email"),
                organization=company,
            )
            messages.append(Message(external_id=response_id, author=author, text=comment, created_at=created_at))
        return ConversationDoc(
            source=self.name,
            external_id=response_id,
            channel=Channel.SURVEY,
            messages=messages,
            created_at=created_at,
            url=RESPONSE_URL.format(id=response_id),
            score=value if is_nps else None,
            rating=None if is_nps else float(value),
            account_ref=company,
            tags=[tag for tag in (t.strip() for t in re.split(r"[,;]", row.get("Tags") or "")) if tag],
        )
