"""Gong, live: calls with their parties (speaker affiliation) and transcripts.

- ``POST /v2/calls/extensive`` with ``filter.fromDateTime`` and ``contentSelector`` ``{"context": "Extended",
  "exposedFields": {"parties": true}}``: call metadata and parties (``affiliation`` Internal/External, CRM
  context), 100 calls a page, cursor ``records.cursor`` sent back as the body's ``cursor``. A range without
  calls is a 404 ("No calls found"), read as an empty page.
- ``POST /v2/calls/transcript`` with ``filter.callIds`` (the page's calls): monologues by ``speakerId``.
- Documented limits: 3 calls a second and 10,000 a day (options ``calls_per_second``, ``calls_per_day``).

Each sync reads calls started since the last high-water mark minus ``lookback_hours`` (transcripts arrive
after the call; a late one makes a new version). A call listed in that window by the previous sync and absent
now was deleted: a tombstone. The payload is the export's shape (``metaData`` + ``parties`` + ``transcript``),
normalised by :class:`~connectors.files.gong.GongExport`, so customer (External) and rep (Internal) words stay
apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import httpx
from groundswell.connectors.fields import FieldSpec
from groundswell.connectors.files.gong import GongExport
from groundswell.connectors.files.text import parse_timestamp
from groundswell.connectors.http.base import HttpCheckpoint, HttpSource, Yielded, vanished
from groundswell.connectors.http.budget import Rate
from groundswell.connectors.http.pages import CursorPagination
from groundswell.core.models import Channel, ConversationDoc, RawRecord

__all__ = ["GongSource"]

CALLS = CursorPagination(items="calls", next_path="records.cursor", body_path="cursor")
TRANSCRIPTS = CursorPagination(items="callTranscripts", next_path="records.cursor", body_path="cursor")
SELECTOR = {"context": "Extended", "exposedFields": {"parties": True}}


class GongSource(HttpSource):
    """Calls with parties and transcripts from a Gong account (access key and secret, basic auth)."""

    kind = "call"
    channel = Channel.CALL
    expected_cadence_s = 6 * 3600
    DEFAULT_NAME = "gong"
    DEFAULT_BASE_URL = "https://api.gong.io"
    CREDENTIALS = ("access_key", "access_key_secret")
    OPTIONS: ClassVar[dict[str, Any]] = {
        "from_date": "2020-01-01T00:00:00Z",
        "lookback_hours": 48,
        "workspace_id": "",
        "calls_per_second": 3,
        "calls_per_day": 10_000,
    }
    FIELDS = FieldSpec(
        {
            "metaData.id": "id",
            "metaData.started": "timestamp",
            "metaData.url": "str?",
            "parties[].id": "id",
            "parties[].speakerId": "id?",
            "parties[].affiliation": "str",
            "parties[].emailAddress": "str?",
            "transcript": "list",
            "transcript[].speakerId": "id",
            "transcript[].sentences[].start": "number",
            "transcript[].sentences[].text": "str",
        }
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._export = GongExport(Path("."), company_domains=self.company_domains, name=self.name)

    def rates(self) -> tuple[Rate, ...]:
        return (Rate(int(self.options["calls_per_second"]), 1), Rate(int(self.options["calls_per_day"]), 86_400))

    def auth(self) -> httpx.Auth | tuple[str, str] | None:
        return (self.credentials["access_key"], self.credentials["access_key_secret"])

    def _filter(self, **fields: Any) -> dict[str, Any]:
        workspace = str(self.options.get("workspace_id") or "")
        return {**fields, "workspaceId": workspace} if workspace else fields

    def sync(self, state: HttpCheckpoint) -> Iterator[Yielded]:
        window = state.streams.get("from") or self._window_start(state)
        newest = state.streams.get("newest") or (state.updated_since.isoformat() if state.updated_since else "")
        listing = list(state.known.get("listing", []))
        body = {"filter": self._filter(fromDateTime=window), "contentSelector": SELECTOR}
        for page in CALLS.pages(
            self.client, "/v2/calls/extensive", method="POST", token=state.cursor, json_body=body, allow=(404,)
        ):
            transcripts = self._transcripts([str(c.get("metaData", {}).get("id")) for c in page.items])
            for call in page.items:
                meta = call.get("metaData") or {}
                item = self._call(call, transcripts.get(str(meta.get("id"))))
                if isinstance(item, RawRecord) and item.created_at:
                    listing.append(_entry(item.created_at, item.external_id))
                    newest = max(newest, item.created_at.astimezone(UTC).isoformat())
                yield item
            self.advance(
                cursor=page.next_token if page.more else None,
                streams={"from": window, "newest": newest},
                known={**state.known, "listing": list(listing)},
            )
        start = parse_timestamp(window)
        previous = [e for e in state.known.get("calls", []) if _started(e) >= start]
        for gone in vanished([_id(e) for e in previous], [_id(e) for e in listing]):
            yield self.tombstone(gone)
        self.advance(
            cursor=None,
            streams={},
            known={"calls": sorted(set(listing))},
            updated_since=parse_timestamp(newest) if newest else state.updated_since,
        )

    def _window_start(self, state: HttpCheckpoint) -> str:
        if state.updated_since is None:
            return parse_timestamp(str(self.options["from_date"])).astimezone(UTC).isoformat()
        lookback = timedelta(hours=float(self.options["lookback_hours"]))
        return (state.updated_since - lookback).astimezone(UTC).isoformat()

    def _transcripts(self, call_ids: list[str]) -> dict[str, list[Any]]:
        if not call_ids:
            return {}
        found: dict[str, list[Any]] = {}
        body = {"filter": self._filter(callIds=call_ids)}
        for page in TRANSCRIPTS.pages(self.client, "/v2/calls/transcript", method="POST", json_body=body, allow=(404,)):
            for item in page.items:
                found[str(item.get("callId"))] = item.get("transcript")
        return found

    def _call(self, call: dict[str, Any], transcript: Any) -> Yielded:
        meta = call.get("metaData") or {}
        payload = {**call, "transcript": transcript if transcript is not None else []}
        return self.record(meta.get("id"), payload, url=meta.get("url") or None, created_at=meta.get("started"))

    def normalize(self, record: RawRecord) -> ConversationDoc:
        return self._export.normalize(record)


def _entry(started: datetime, call_id: str) -> str:
    """A known call as ``<started, ISO UTC>|<id>``: sortable, and its date says whether it is in a window."""
    return f"{started.astimezone(UTC).isoformat()}|{call_id}"


def _started(entry: str) -> datetime:
    return parse_timestamp(entry.partition("|")[0])


def _id(entry: str) -> str:
    return entry.partition("|")[2]
