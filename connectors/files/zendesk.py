"""Zendesk Support export: ``tickets.jsonl`` with inlined comments, joined with users and organizations."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

from groundswell.connectors.files.attachments import read_attachments
from groundswell.connectors.files.base import FileExportSource, FileTask, Yielded, html_to_text
from groundswell.core.models import Author, Channel, ConversationDoc, Message, RawRecord, RecordFailure, SpeakerRole

__all__ = ["ZendeskExport"]

TICKET_PATH = "/agent/tickets/{id}"  # under the configured base, e.g. https://acme.zendesk.com
# Zendesk Attachment object: file_name, content_type, content_url, size (bytes)
ZENDESK_ATTACHMENT = {"name": "file_name", "content_type": "content_type", "url": "content_url", "size": "size"}
_ROLES = {"end-user": SpeakerRole.CUSTOMER, "agent": SpeakerRole.AGENT, "admin": SpeakerRole.AGENT}


class ZendeskExport(FileExportSource):
    """Tickets from a Zendesk export folder. Payload = the ticket verbatim plus ``_users`` and ``_organization``."""

    kind = "ticket"
    RECORD_FILES: ClassVar[tuple[str, ...]] = ("tickets.jsonl",)
    REQUIRED_FIELDS: ClassVar[tuple[str, ...]] = (
        "id",
        "status",
        "requester_id",
        "created_at",
        "updated_at",
        "comments[].id",
        "comments[].author_id",
        "comments[].public",
        "comments[].created_at",
    )
    NON_EMPTY_FIELDS: ClassVar[tuple[str, ...]] = tuple(f for f in REQUIRED_FIELDS if f != "requester_id")  # tombstones
    TIMESTAMP_FIELDS: ClassVar[tuple[str, ...]] = ("created_at", "updated_at", "comments[].created_at")
    USER_REQUIRED_FIELDS: ClassVar[tuple[str, ...]] = ("id", "role")
    ORGANIZATION_REQUIRED_FIELDS: ClassVar[tuple[str, ...]] = ("id",)

    def __init__(
        self,
        path: Path,
        *,
        company_domains: Sequence[str] = (),
        name: str = "zendesk",
        link_base: str | None = None,
    ) -> None:
        super().__init__(path, company_domains=company_domains, name=name, link_base=link_base)

    def tasks(self) -> list[FileTask]:
        side = (self.path / "users.jsonl", self.path / "organizations.jsonl")
        return [FileTask(path, self._read_tickets, side) for path in self.files(self.RECORD_FILES[0])]

    def _lookup(self, filename: str, required: tuple[str, ...], into: dict[str, dict[str, Any]]) -> Iterator[Yielded]:
        path = self.path / filename
        if not path.is_file():
            return
        for item in self.rows(path, required, required):
            if isinstance(item, RecordFailure):
                yield item
            else:
                into[str(item.data["id"])] = item.data

    def _read_tickets(self, path: Path) -> Iterator[Yielded]:
        users: dict[str, dict[str, Any]] = {}
        organizations: dict[str, dict[str, Any]] = {}
        yield from self._lookup("users.jsonl", self.USER_REQUIRED_FIELDS, users)
        yield from self._lookup("organizations.jsonl", self.ORGANIZATION_REQUIRED_FIELDS, organizations)
        for item in self.record_rows(path, id_field="id"):
            if isinstance(item, RecordFailure):
                yield item
                continue
            ticket = item.data
            yield self.record(
                ticket["id"],
                _attach(ticket, users, organizations),
                url=self.link(TICKET_PATH, id=ticket["id"]),
                created_at=ticket["created_at"],
                updated_at=ticket["updated_at"],
                deleted=ticket["status"] == "deleted",
            )

    def normalize(self, record: RawRecord) -> ConversationDoc:
        ticket = record.payload
        ticket_id = self.need(ticket, "id")
        created_at = self.need_time(self.need(ticket, "created_at"), "created_at")
        users: dict[str, Any] = ticket.get("_users") or {}
        organization: dict[str, Any] | None = ticket.get("_organization")
        messages: list[Message] = []
        for index, comment in enumerate(ticket.get("comments") or []):
            text = comment.get("body") or ""
            if not text.strip():
                text = html_to_text(comment.get("html_body"))
            if not text.strip():
                continue
            public = comment.get("public") is not False
            author_id = self.need(ticket, "comments", index, "author_id")
            messages.append(
                Message(
                    external_id=str(self.need(ticket, "comments", index, "id")),
                    author=self._author(users.get(str(author_id)), author_id, public, organization),
                    text=text,
                    created_at=self.need_time(comment.get("created_at"), f"comments[{index}].created_at"),
                    public=public,
                    attachments=read_attachments(comment.get("attachments"), **ZENDESK_ATTACHMENT),
                )
            )
        if not ticket.get("comments") and (ticket.get("description") or "").strip():
            requester_id = ticket.get("requester_id")
            requester = self._author(users.get(str(requester_id)), requester_id, True, organization)
            messages.append(
                Message(
                    external_id=f"{ticket_id}:description",
                    author=requester,
                    text=ticket["description"],
                    created_at=created_at,
                )
            )
        return ConversationDoc(
            source=self.name,
            external_id=str(ticket_id),
            channel=Channel.TICKET,
            title=ticket.get("subject") or None,
            messages=messages,
            created_at=created_at,
            url=record.url or self.link(TICKET_PATH, id=ticket_id),
            account_ref=_org_external_id(organization),
            tags=[str(tag) for tag in ticket.get("tags") or []],
        )

    def _author(
        self, user: dict[str, Any] | None, author_id: Any, public: bool, organization: dict[str, Any] | None
    ) -> Author:
        user = user or {}
        role = _ROLES.get(str(user.get("role")), SpeakerRole.UNKNOWN) if public else SpeakerRole.INTERNAL
        org_label = None
        if organization and str(user.get("organization_id")) == str(organization.get("id")):
            org_label = _org_external_id(organization) or organization.get("name")
        return self.author(
            role,
            external_id=author_id,
            name=user.get("name"),
            email=user.get("email"),
            phone=user.get("phone"),
            organization=org_label,
        )


def _org_external_id(organization: dict[str, Any] | None) -> str | None:
    value = (organization or {}).get("external_id")
    return str(value) if value not in (None, "") else None


def _attach(ticket: dict[str, Any], users: dict[str, dict[str, Any]], organizations: dict[str, Any]) -> dict[str, Any]:
    """The ticket plus the users it mentions and its organization (the requester's when the ticket has none)."""
    ids = [ticket.get("requester_id"), *(c.get("author_id") for c in ticket.get("comments") or [])]
    attached = {str(i): users[str(i)] for i in ids if i is not None and str(i) in users}
    org_id = ticket.get("organization_id")
    if org_id is None:
        org_id = users.get(str(ticket.get("requester_id")), {}).get("organization_id")
    return {
        **ticket,
        "_users": attached,
        "_organization": organizations.get(str(org_id)) if org_id is not None else None,
    }
