"""Gong export: ``calls.jsonl``, call metadata and parties joined with the call transcript."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar

from groundswell.connectors.files.base import FileExportSource, Yielded, is_company_email
from groundswell.core.models import Author, Channel, ConversationDoc, Message, RawRecord, RecordFailure, SpeakerRole

__all__ = ["GongExport", "salesforce_account"]

_LANGUAGES = {"eng": "en", "fra": "fr", "fre": "fr", "deu": "de", "ger": "de", "spa": "es", "por": "pt", "ita": "it"}
_LANGUAGES |= {"nld": "nl", "dut": "nl", "jpn": "ja", "kor": "ko", "zho": "zh", "chi": "zh", "swe": "sv", "pol": "pl"}


def salesforce_account(party: dict[str, Any]) -> str | None:
    """The Salesforce Account id a Gong party is linked to, if any."""
    for context in party.get("context") or []:
        if not isinstance(context, dict) or str(context.get("system", "")).lower() != "salesforce":
            continue
        for obj in context.get("objects") or []:
            if isinstance(obj, dict) and obj.get("objectType") == "Account" and obj.get("objectId"):
                return str(obj["objectId"])
    return None


class GongExport(FileExportSource):
    """Calls; payload = the joined call object verbatim. One Message per transcript monologue."""

    kind = "call"
    RECORD_FILES: ClassVar[tuple[str, ...]] = ("calls.jsonl",)
    REQUIRED_FIELDS: ClassVar[tuple[str, ...]] = (
        "metaData.id",
        "metaData.started",
        "parties[].id",
        "transcript[].speakerId",
        "transcript[].sentences[].text",
    )
    NON_EMPTY_FIELDS: ClassVar[tuple[str, ...]] = ("metaData.id", "metaData.started", "transcript[].speakerId")
    TIMESTAMP_FIELDS: ClassVar[tuple[str, ...]] = ("metaData.started",)

    def __init__(
        self,
        path: Path,
        *,
        company_domains: Sequence[str] = (),
        name: str = "gong",
        link_base: str | None = None,
    ) -> None:
        super().__init__(path, company_domains=company_domains, name=name, link_base=link_base)

    def check_row(self, data: dict[str, Any]) -> str | None:
        for index, monologue in enumerate(data["transcript"]):
            for sentence in monologue.get("sentences") or []:
                if not isinstance(sentence.get("start", 0), int | float):
                    return f"bad value in field 'transcript[{index}].sentences[].start': {sentence['start']!r}"
        return None

    def _read(self, path: Path) -> Iterator[Yielded]:
        for item in self.record_rows(path):
            if isinstance(item, RecordFailure):
                yield item
                continue
            call = item.data
            meta = call["metaData"]
            yield self.record(meta["id"], call, url=meta.get("url") or None, created_at=meta["started"])

    def normalize(self, record: RawRecord) -> ConversationDoc:
        call = record.payload
        call_id = str(self.need(call, "metaData", "id"))
        meta = call["metaData"]
        started = self.need_time(self.need(meta, "started"), "metaData.started")
        parties: list[dict[str, Any]] = [p for p in call.get("parties") or [] if isinstance(p, dict)]
        speakers = {str(p["speakerId"]): p for p in parties if p.get("speakerId") not in (None, "")}
        messages: list[Message] = []
        for index, monologue in enumerate(call.get("transcript") or []):
            sentences = monologue.get("sentences") or []
            text = " ".join(
                s["text"].strip() for s in sentences if isinstance(s.get("text"), str) and s["text"].strip()
            )
            if not text:
                continue
            offset_ms = sentences[0].get("start") or 0
            speaker_id = self.need(call, "transcript", index, "speakerId")
            messages.append(
                Message(
                    external_id=f"{call_id}:{index}",
                    author=self._author(speakers.get(str(speaker_id)), speaker_id),
                    text=text,
                    created_at=started + timedelta(milliseconds=float(offset_ms)),
                )
            )
        language = str(meta.get("language") or "").strip().lower() or None
        return ConversationDoc(
            source=self.name,
            external_id=call_id,
            channel=Channel.CALL,
            title=meta.get("title") or None,
            messages=messages,
            created_at=started,
            url=meta.get("url") or None,
            locale=_LANGUAGES.get(language, language) if language else None,
            account_ref=self._account_ref(parties),
        )

    def _role(self, party: dict[str, Any]) -> SpeakerRole:
        affiliation = str(party.get("affiliation") or "").lower()
        email = party.get("emailAddress")
        if affiliation == "internal":
            return SpeakerRole.REP
        if affiliation == "external":
            return SpeakerRole.CUSTOMER
        if email:
            return SpeakerRole.REP if is_company_email(email, self.company_domains) else SpeakerRole.CUSTOMER
        return SpeakerRole.UNKNOWN

    def _author(self, party: dict[str, Any] | None, speaker_id: Any) -> Author:
        if party is None:
            return self.author(SpeakerRole.UNKNOWN, SpeakerRole.REP, external_id=speaker_id)
        return self.author(
            self._role(party),
            SpeakerRole.REP,
            external_id=party.get("id"),
            name=party.get("name"),
            email=party.get("emailAddress"),
            organization=salesforce_account(party),
        )

    def _account_ref(self, parties: list[dict[str, Any]]) -> str | None:
        """The CRM account of the call: the first customer-side party linked to a Salesforce Account."""
        for party in parties:
            if self._role(party) is SpeakerRole.CUSTOMER and not is_company_email(
                party.get("emailAddress"), self.company_domains
            ):
                account = salesforce_account(party)
                if account:
                    return account
        return None
