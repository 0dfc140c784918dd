"""Intercom, live: conversations changed since the last sync, each fetched whole (with its parts).

- ``POST /conversations/search`` with ``updated_at > since`` (cursor ``pagination.starting_after``); the query's
  ``since`` is frozen in the checkpoint for the whole run, so a resumed run continues the same result set.
- ``GET /conversations/{conversation_id}``: the full Conversation object, parts included (search results carry
  no parts); a 404 means it was deleted in between: a tombstone.
- Deletes: search cannot see them, so each sync ends with a sweep of ``GET /conversations`` (ids only are
  kept, in the checkpoint); a conversation listed last time and not now becomes a tombstone
  (option ``sweep_deletes``, on by default).

The payload is the REST Conversation object, which :class:`~connectors.files.intercom.IntercomExport`
normalises. Documented limit: 10,000 calls a minute per app, enforced over 10-second windows (1,666 per 10 s).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from groundswell.connectors.fields import FieldSpec
from groundswell.connectors.files.intercom import IntercomExport
from groundswell.connectors.http.base import HttpCheckpoint, HttpSource, Yielded, vanished
from groundswell.connectors.http.budget import Rate
from groundswell.connectors.http.pages import CursorPagination
from groundswell.core.models import Channel, ConversationDoc, RawRecord

__all__ = ["IntercomSource"]

_PARTS = "conversation_parts.conversation_parts[]"
SEARCH = CursorPagination(
    items="conversations",
    cursor_param="starting_after",
    next_path="pages.next.starting_after",
    body_path="pagination.starting_after",
)
LISTING = CursorPagination(items="conversations", cursor_param="starting_after", next_path="pages.next.starting_after")


class IntercomSource(HttpSource):
    """Conversations with their parts from an Intercom workspace (bearer access token)."""

    kind = "conversation"
    channel = Channel.CHAT
    expected_cadence_s = 3600
    DEFAULT_NAME = "intercom"
    DEFAULT_BASE_URL = "https://api.intercom.io"
    CREDENTIALS = ("token",)
    OPTIONS: ClassVar[dict[str, Any]] = {"api_version": "2.14", "page_size": 50, "sweep_deletes": True, "app_id": ""}
    FIELDS = FieldSpec(
        {
            "id": "id",
            "created_at": "timestamp",
            "updated_at": "timestamp",
            "source.author.type": "str",
            "source.body": "str?",
            f"{_PARTS}.id": "id",
            f"{_PARTS}.part_type": "str",
            f"{_PARTS}.created_at": "timestamp",
            f"{_PARTS}.author.type": "str",
            f"{_PARTS}.body": "str?",
        }
    )
    RATES = (Rate(1666, 10),)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._export = IntercomExport(Path("."), company_domains=self.company_domains, name=self.name)

    def headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.credentials['token']}",
            "Intercom-Version": str(self.options["api_version"]),
            "Accept": "application/json",
        }

    def conversation_url(self, conversation_id: Any) -> str:
        app_id = self.options.get("app_id")
        if app_id:
            return f"https://app.intercom.com/a/inbox/{app_id}/inbox/conversation/{conversation_id}"
        return f"{self.base_url}/conversations/{conversation_id}"

    def sync(self, state: HttpCheckpoint) -> Iterator[Yielded]:
        since = int(state.streams.get("since") or (state.updated_since.timestamp() if state.updated_since else 0))
        newest = int(state.streams.get("newest") or since)
        size = int(self.options["page_size"])
        query = {"query": {"field": "updated_at", "operator": ">", "value": max(0, since - 1)}}
        for page in SEARCH.pages(
            self.client,
            "/conversations/search",
            method="POST",
            token=state.cursor,
            json_body={**query, "pagination": {"per_page": size}},
        ):
            for summary in page.items:
                item = self._conversation(summary.get("id"))
                if isinstance(item, RawRecord) and item.updated_at:
                    newest = max(newest, int(item.updated_at.timestamp()))
                yield item
            streams = {"since": str(since), "newest": str(newest)}
            self.advance(cursor=page.next_token if page.more else None, streams=streams)
        if self.options["sweep_deletes"] and self.options["sweep_deletes"] != "false":
            listed = yield from self._sweep(state.known.get("ids", []))
            self.advance(known={"ids": listed})
        self.advance(cursor=None, streams={}, updated_since=datetime.fromtimestamp(newest, tz=UTC))

    def _conversation(self, conversation_id: Any) -> Yielded:
        path = f"/conversations/{conversation_id}"
        response = self.client.get(path, params={"display_as": "plaintext"}, allow=(404,))
        if response.status == 404:
            return self.tombstone(conversation_id, url=self.conversation_url(conversation_id))
        conversation = response.body
        return self.record(
            conversation.get("id"),
            conversation,
            url=self.conversation_url(conversation.get("id")),
            created_at=conversation.get("created_at"),
            updated_at=conversation.get("updated_at"),
        )

    def _sweep(self, known: list[str]) -> Iterator[Yielded]:
        """List every conversation id; those known before and gone now are tombstones. Returns the ids."""
        listed: list[str] = []
        size = int(self.options["page_size"])
        for page in LISTING.pages(self.client, "/conversations", params={"per_page": size}):
            listed.extend(str(c.get("id")) for c in page.items)
        for gone in vanished(known, listed):
            yield self.tombstone(gone, url=self.conversation_url(gone))
        return sorted(set(listed))

    def normalize(self, record: RawRecord) -> ConversationDoc:
        doc = self._export.normalize(record)
        return doc.model_copy(update={"url": record.url or self.conversation_url(doc.external_id)})
