"""Google Play Console review export: monthly ``reviews_<package>_YYYYMM.csv`` files (UTF-16 LE with BOM)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from groundswell.connectors.files.base import FileExportSource, Yielded
from groundswell.core.errors import MalformedRecord
from groundswell.core.models import Author, Channel, ConversationDoc, Message, RawRecord, RecordFailure, SpeakerRole

__all__ = ["GooglePlayExport", "review_id"]

SUBMITTED = "Review Submit Date and Time"
UPDATED = "Review Last Update Date and Time"
REPLIED = "Developer Reply Date and Time"
LINK = "Review Link"
STARS = "Star Rating"


def review_id(link: str) -> str | None:
    """The ``reviewId`` query parameter of a Play Console review link."""
    values = parse_qs(urlsplit(link.strip()).query).get("reviewId")
    return values[0] if values and values[0] else None


class GooglePlayExport(FileExportSource):
    """App reviews; payload = the CSV row verbatim. A review without a link gets ``<package>:<submit millis>``."""

    kind = "review"
    RECORD_FILES: ClassVar[tuple[str, ...]] = ("reviews_*.csv",)
    REQUIRED_FIELDS: ClassVar[tuple[str, ...]] = (LINK, SUBMITTED, STARS, "Review Text", "Developer Reply Text")
    NON_EMPTY_FIELDS: ClassVar[tuple[str, ...]] = (SUBMITTED, STARS)
    TIMESTAMP_FIELDS: ClassVar[tuple[str, ...]] = (SUBMITTED, UPDATED, REPLIED)

    def __init__(
        self,
        path: Path,
        *,
        company_domains: Sequence[str] = (),
        name: str = "googleplay",
        link_base: str | None = None,
    ) -> None:
        super().__init__(path, company_domains=company_domains, name=name, link_base=link_base)

    def check_row(self, data: dict[str, Any]) -> str | None:
        if data[LINK].strip() and not review_id(data[LINK]):
            return f"no reviewId in field '{LINK}': {data[LINK]!r}"
        if data[STARS].strip() not in {"1", "2", "3", "4", "5"}:
            return f"bad value in field '{STARS}': {data[STARS]!r} is not 1-5"
        return None

    def _read(self, path: Path) -> Iterator[Yielded]:
        for item in self.record_rows(path):
            if isinstance(item, RecordFailure):
                yield item
                continue
            row = item.data
            yield self.record(
                _external_id(row),
                row,
                url=row[LINK].strip() or None,
                created_at=row[SUBMITTED],
                updated_at=row.get(UPDATED) or row[SUBMITTED],
            )

    def normalize(self, record: RawRecord) -> ConversationDoc:
        row = record.payload
        external_id = _external_id(row)
        created_at = self.need_time(self.need(row, SUBMITTED), SUBMITTED)
        messages: list[Message] = []
        text = row.get("Review Text") or ""
        if text.strip():
            reviewer = Author(role=SpeakerRole.CUSTOMER)  # Play exports carry no reviewer identity
            messages.append(Message(external_id=external_id, author=reviewer, text=text, created_at=created_at))
        reply = row.get("Developer Reply Text") or ""
        if reply.strip():
            replied = row.get(REPLIED) or ""
            when = self.need_time(replied, REPLIED) if replied.strip() else created_at
            developer = Author(role=SpeakerRole.AGENT)
            messages.append(Message(external_id=f"{external_id}:reply", author=developer, text=reply, created_at=when))
        try:
            rating = float(self.need(row, STARS))
        except ValueError as exc:
            raise MalformedRecord(self.name, f"field '{STARS}' is not a number: {row[STARS]!r}") from exc
        return ConversationDoc(
            source=self.name,
            external_id=external_id,
            channel=Channel.REVIEW,
            title=(row.get("Review Title") or "").strip() or None,
            messages=messages,
            created_at=created_at,
            url=(row.get(LINK) or "").strip() or None,
            locale=(row.get("Reviewer Language") or "").strip() or None,
            rating=rating,
        )


def _external_id(row: dict[str, Any]) -> str:
    found = review_id(row.get(LINK) or "")
    if found:
        return found
    stamp = (row.get("Review Submit Millis Since Epoch") or "").strip() or str(row.get(SUBMITTED, "")).strip()
    return f"{(row.get('Package Name') or '').strip()}:{stamp}"
