"""Zendesk Support, live: the cursor-based incremental ticket export plus each ticket's comments.

- ``GET /api/v2/incremental/tickets/cursor.json`` (``start_time`` first, then ``cursor=after_cursor`` until
  ``end_of_stream``; the last ``after_cursor`` is the next incremental sync's start). Documented limit: 10
  requests/minute on incremental exports, on top of the plan's overall limit (Team: 200/minute, the default).
- ``GET /api/v2/tickets/{id}/comments.json?include=users`` (cursor pagination ``page[after]``), the
  ``users`` sideload gives every author's role (end-user, agent, admin).
- ``GET /api/v2/organizations/{id}.json`` once per organization per sync (account reference).

The payload is the export's shape (ticket + ``comments`` + ``_users`` + ``_organization``), so
:class:`~connectors.files.zendesk.ZendeskExport` normalises it. ``status == "deleted"`` and tickets closed by
a merge (tag ``closed_by_merge``: their comments live on in the target ticket) become tombstones.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import httpx
from groundswell.connectors.fields import FieldSpec
from groundswell.connectors.files.zendesk import ZendeskExport
from groundswell.connectors.http.base import HttpCheckpoint, HttpSource, Yielded
from groundswell.connectors.http.budget import Rate
from groundswell.connectors.http.pages import CursorPagination
from groundswell.core.models import Channel, ConversationDoc, RawRecord

__all__ = ["ZendeskSource"]

EXPORT = CursorPagination(items="tickets", cursor_param="cursor", next_path="after_cursor", done_path="end_of_stream")
COMMENTS = CursorPagination(
    items="comments", cursor_param="page[after]", next_path="meta.after_cursor", more_path="meta.has_more"
)
EXPORT_RATES = (Rate(10, 60),)
MERGED_TAG = "closed_by_merge"


class ZendeskSource(HttpSource):
    """Tickets with comments and author roles from a Zendesk account (``subdomain`` option)."""

    kind = "ticket"
    channel = Channel.TICKET
    expected_cadence_s = 3600
    DEFAULT_NAME = "zendesk"
    DEFAULT_BASE_URL = "https://{subdomain}.zendesk.com"
    CREDENTIALS = ("email", "token")
    OPTIONS: ClassVar[dict[str, Any]] = {"start_time": 0, "requests_per_minute": 200, "page_size": 100}
    FIELDS = FieldSpec(
        {
            "id": "int",
            "status": "str",
            "created_at": "timestamp",
            "updated_at": "timestamp",
            "requester_id": "int?",
            "tags": "list",
            "comments[].id": "int",
            "comments[].author_id": "int",
            "comments[].public": "bool",
            "comments[].body": "str",
            "comments[].created_at": "timestamp",
        }
    )
    USER_FIELDS = FieldSpec({"id": "int", "role": "str", "email": "str?", "organization_id": "int?"})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._export = ZendeskExport(Path("."), company_domains=self.company_domains, name=self.name)
        self._organizations: dict[str, dict[str, Any] | None] = {}

    def rates(self) -> tuple[Rate, ...]:
        return (Rate(int(self.options["requests_per_minute"]), 60),)

    def auth(self) -> httpx.Auth | tuple[str, str] | None:
        return (f"{self.credentials['email']}/token", self.credentials["token"])

    def ticket_url(self, ticket_id: Any) -> str:
        return f"{self.base_url}/agent/tickets/{ticket_id}"

    def sync(self, state: HttpCheckpoint) -> Iterator[Yielded]:
        pages = EXPORT.pages(
            self.client,
            "/api/v2/incremental/tickets/cursor.json",
            token=state.cursor,
            first_params={"start_time": int(self.options["start_time"])},
            params={"per_page": int(self.options["page_size"])},
            rates=EXPORT_RATES,
            budget_key="export",
        )
        for page in pages:
            newest = self.progress.updated_since
            for ticket in page.items:
                item = self._ticket(ticket)
                if isinstance(item, RawRecord) and item.updated_at and (newest is None or item.updated_at > newest):
                    newest = item.updated_at
                yield item
            self.advance(cursor=page.next_token, updated_since=newest)

    def _ticket(self, ticket: dict[str, Any]) -> Yielded:
        ticket_id = ticket.get("id")
        if ticket.get("status") == "deleted" or MERGED_TAG in (ticket.get("tags") or []):
            return self.tombstone(ticket_id, ticket, url=self.ticket_url(ticket_id))
        comments: list[dict[str, Any]] = []
        users: dict[str, dict[str, Any]] = {}
        for page in COMMENTS.pages(
            self.client,
            f"/api/v2/tickets/{ticket_id}/comments.json",
            params={"page[size]": int(self.options["page_size"])},
            first_params={"include": "users"},
        ):
            comments.extend(page.items)
            for user in page.response.body.get("users") or []:
                users[str(user.get("id"))] = user
        drift = [f for user in users.values() for f in self.USER_FIELDS.check(user)]
        if drift:
            findings = [f.model_copy(update={"path": f"users[].{f.path}"}) for f in drift]
            return self.drift_failure(ticket_id, {**ticket, "users": list(users.values())}, findings)
        requester = users.get(str(ticket.get("requester_id"))) or {}
        org_id = ticket.get("organization_id") or requester.get("organization_id")
        payload = {**ticket, "comments": comments, "_users": users, "_organization": self._organization(org_id)}
        return self.record(
            ticket_id,
            payload,
            url=self.ticket_url(ticket_id),
            created_at=ticket.get("created_at"),
            updated_at=ticket.get("updated_at"),
        )

    def _organization(self, org_id: Any) -> dict[str, Any] | None:
        if org_id is None:
            return None
        key = str(org_id)
        if key not in self._organizations:
            response = self.client.get(f"/api/v2/organizations/{key}.json", allow=(404,))
            self._organizations[key] = (response.body or {}).get("organization") if response.status == 200 else None
        return self._organizations[key]

    def normalize(self, record: RawRecord) -> ConversationDoc:
        doc = self._export.normalize(record)
        return doc.model_copy(update={"url": record.url or self.ticket_url(doc.external_id)})
