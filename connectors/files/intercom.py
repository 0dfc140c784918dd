"""Intercom export: ``conversations.jsonl``, one REST API 2.14 Conversation object a line."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from groundswell.connectors.files.attachments import read_attachments
from groundswell.connectors.files.base import FileExportSource, Yielded, html_to_text
from groundswell.core.models import Channel, ConversationDoc, Message, RawRecord, RecordFailure, SpeakerRole

__all__ = ["IntercomExport"]

CONVERSATION_PATH = "/inbox/conversation/{id}"  # under e.g. https://app.intercom.com/a/inbox/<workspace>
_PARTS = "conversation_parts.conversation_parts[]"
# Intercom part attachment: type "upload", name, url, content_type, filesize (bytes)
INTERCOM_ATTACHMENT = {"name": "name", "content_type": "content_type", "url": "url", "size": "filesize"}
_ROLES = {
    "user": SpeakerRole.CUSTOMER,
    "lead": SpeakerRole.CUSTOMER,
    "contact": SpeakerRole.CUSTOMER,
    "admin": SpeakerRole.AGENT,
    "team": SpeakerRole.AGENT,
    "bot": SpeakerRole.BOT,
}


class IntercomExport(FileExportSource):
    """Conversations from an Intercom export folder; payload = the Conversation object verbatim."""

    kind = "conversation"
    RECORD_FILES: ClassVar[tuple[str, ...]] = ("conversations.jsonl",)
    REQUIRED_FIELDS: ClassVar[tuple[str, ...]] = (
        "id",
        "created_at",
        "updated_at",
        "source.author.type",
        f"{_PARTS}.id",
        f"{_PARTS}.part_type",
        f"{_PARTS}.created_at",
        f"{_PARTS}.author.type",
    )
    NON_EMPTY_FIELDS = REQUIRED_FIELDS
    TIMESTAMP_FIELDS: ClassVar[tuple[str, ...]] = ("created_at", "updated_at", f"{_PARTS}.created_at")

    def __init__(
        self,
        path: Path,
        *,
        company_domains: Sequence[str] = (),
        name: str = "intercom",
        link_base: str | None = None,
    ) -> None:
        super().__init__(path, company_domains=company_domains, name=name, link_base=link_base)

    def _read(self, path: Path) -> Iterator[Yielded]:
        for item in self.record_rows(path, id_field="id"):
            if isinstance(item, RecordFailure):
                yield item
                continue
            conversation = item.data
            yield self.record(
                conversation["id"],
                conversation,
                url=self.link(CONVERSATION_PATH, id=conversation["id"]),
                created_at=conversation["created_at"],
                updated_at=conversation["updated_at"],
            )

    def normalize(self, record: RawRecord) -> ConversationDoc:
        conversation = record.payload
        conversation_id = self.need(conversation, "id")
        created_at = self.need_time(self.need(conversation, "created_at"), "created_at")
        source = self.need(conversation, "source")
        messages: list[Message] = []
        opening = self._message(source, source.get("id") or f"{conversation_id}:source", "comment", created_at)
        if opening:
            messages.append(opening)
        parts = (conversation.get("conversation_parts") or {}).get("conversation_parts") or []
        for index, part in enumerate(parts):
            part_id = self.need(conversation, "conversation_parts", "conversation_parts", index, "id")
            when = self.need_time(part.get("created_at"), f"conversation_parts[{index}].created_at")
            message = self._message(part, part_id, str(part.get("part_type")), when)
            if message:
                messages.append(message)
        tags = ((conversation.get("tags") or {}).get("tags")) or []
        return ConversationDoc(
            source=self.name,
            external_id=str(conversation_id),
            channel=Channel.CHAT,
            title=conversation.get("title") or html_to_text(source.get("subject")) or None,
            messages=messages,
            created_at=created_at,
            url=record.url or self.link(CONVERSATION_PATH, id=conversation_id),
            tags=[str(tag["name"]) for tag in tags if isinstance(tag, dict) and tag.get("name")],
        )

    def _message(self, part: dict[str, Any], part_id: Any, part_type: str, created_at: datetime) -> Message | None:
        """A source or conversation part as a Message; None for parts without words (assignment, open, close)."""
        text = html_to_text(part.get("body"))
        if not text:
            return None
        author: dict[str, Any] = part.get("author") or {}
        public = part_type != "note"
        if not public:
            role = SpeakerRole.INTERNAL
        elif author.get("from_ai_agent") is True:
            role = SpeakerRole.BOT
        else:
            role = _ROLES.get(str(author.get("type")), SpeakerRole.UNKNOWN)
        return Message(
            external_id=str(part_id),
            author=self.author(role, external_id=author.get("id"), name=author.get("name"), email=author.get("email")),
            text=text,
            created_at=created_at,
            public=public,
            attachments=read_attachments(part.get("attachments"), **INTERCOM_ATTACHMENT),
        )
