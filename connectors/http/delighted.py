"""Delighted (NPS, CSAT, CES ... surveys), live: survey responses changed since the last sync.

- ``GET /v1/survey_responses.json`` with ``updated_since`` (inclusive Unix seconds), ``order=asc:updated_at``,
  ``per_page`` (at most 100), ``page`` and ``expand[]=person`` (name and email of the respondent); basic auth
  with the API key as user name and an empty password.
- Paging is by time, not by page number alone: each full page moves ``updated_since`` to its last
  ``updated_at`` and starts again at page 1 (only a page whose responses all share one second goes on to page
  2), so a response updated while the sync runs moves to a later page instead of shifting one out of sight.
  Responses at the boundary are read twice and yielded once.
- Deletes: the API has no deletion feed; with ``sweep_deletes`` (default on) each sync ends with a listing of
  every response id (``per_page=100``, page numbers) and a response listed last time and not now becomes a
  tombstone. Turn it off on very large accounts.
- Delighted documents no fixed rate; HTTP 429 with ``Retry-After`` is honoured (``requests_per_minute`` adds a
  budget when set).

The payload is the API's survey response; ``normalize`` maps it to the CSV export's row and delegates to
:class:`~connectors.files.delighted.DelightedExport`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from groundswell.connectors.fields import FieldSpec
from groundswell.connectors.files.delighted import RESPONSE_URL, DelightedExport
from groundswell.connectors.http.base import HttpCheckpoint, HttpSource, Yielded, vanished
from groundswell.connectors.http.budget import Rate
from groundswell.connectors.http.pages import OffsetPagination
from groundswell.core.models import Channel, ConversationDoc, RawRecord

__all__ = ["DelightedSource", "export_row"]

URL = "/v1/survey_responses.json"
MAX_PAGE = 100


class DelightedSource(HttpSource):
    """Survey responses of a Delighted account (API key)."""

    kind = "survey_response"
    channel = Channel.SURVEY
    expected_cadence_s = 6 * 3600
    DEFAULT_NAME = "delighted"
    DEFAULT_BASE_URL = "https://api.delighted.com"
    CREDENTIALS = ("api_key",)
    OPTIONS: ClassVar[dict[str, Any]] = {"page_size": 100, "sweep_deletes": True, "requests_per_minute": 0}
    FIELDS = FieldSpec(
        {
            "id": "id",
            "score": "int",
            "survey_type": "str",
            "comment": "str?",
            "created_at": "timestamp",
            "updated_at": "timestamp",
            "person": "dict|id",
        }
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.page_size = min(MAX_PAGE, int(self.options["page_size"]))
        self._export = DelightedExport(Path("."), company_domains=self.company_domains, name=self.name)

    def rates(self) -> tuple[Rate, ...]:
        per_minute = int(self.options["requests_per_minute"] or 0)
        return (Rate(per_minute, 60),) if per_minute > 0 else ()

    def auth(self) -> tuple[str, str]:
        return (self.credentials["api_key"], "")

    def sync(self, state: HttpCheckpoint) -> Iterator[Yielded]:
        since = int(state.streams.get("since") or (state.updated_since.timestamp() if state.updated_since else 0))
        page_no = int(state.cursor or 1)
        newest = state.updated_since
        boundary: set[tuple[Any, Any]] = set()
        while True:
            params = {
                "per_page": self.page_size,
                "page": page_no,
                "updated_since": since,
                "order": "asc:updated_at",
                "expand[]": "person",
            }
            items = self.client.get(URL, params=params).body or []
            for response in items:
                if (response.get("id"), response.get("updated_at")) in boundary:
                    continue  # read at the end of the previous page (updated_since is inclusive)
                item = self._response(response)
                if isinstance(item, RawRecord) and item.updated_at and (newest is None or item.updated_at > newest):
                    newest = item.updated_at
                yield item
            if len(items) < self.page_size:
                break
            last = max(int(r.get("updated_at") or 0) for r in items)
            boundary = {(r.get("id"), r.get("updated_at")) for r in items if int(r.get("updated_at") or 0) == last}
            since, page_no = (last, 1) if last > since else (since, page_no + 1)
            self.advance(cursor=str(page_no), streams={"since": str(since)}, updated_since=newest)
        if str(self.options["sweep_deletes"]).lower() not in ("false", "0", "no"):
            listed = yield from self._sweep(state.known.get("ids", []))
            self.advance(known={"ids": listed})
        self.advance(cursor=None, streams={}, updated_since=newest)

    def _sweep(self, known: list[str]) -> Iterator[Yielded]:
        """Every response id (oldest first); those known before and gone now are tombstones."""
        pages = OffsetPagination(
            items="", offset_param="page", limit_param="per_page", page_size=MAX_PAGE, page_numbers=True
        )
        listed: list[str] = []
        for page in pages.pages(self.client, URL, params={"order": "asc"}):
            listed.extend(str(r.get("id")) for r in page.items)
        for gone in vanished(known, listed):
            yield self.tombstone(gone, url=RESPONSE_URL.format(id=gone))
        return sorted(set(listed))

    def _response(self, response: dict[str, Any]) -> Yielded:
        response_id = response.get("id")
        return self.record(
            response_id,
            response,
            url=RESPONSE_URL.format(id=response_id),
            created_at=response.get("created_at"),
            updated_at=response.get("updated_at"),
        )

    def normalize(self, record: RawRecord) -> ConversationDoc:
        return self._export.normalize(record.model_copy(update={"payload": export_row(record.payload)}))


def export_row(response: dict[str, Any]) -> dict[str, str]:
    """The CSV export's row of an API survey response (``person`` expanded or an id)."""
    person = response.get("person")
    person = person if isinstance(person, dict) else {"id": person}
    properties = response.get("person_properties") or {}
    tags = [t if isinstance(t, str) else str((t or {}).get("name") or "") for t in response.get("tags") or []]
    return {
        "Response ID": str(response.get("id") or ""),
        "Score": str(response.get("score")),
        "Survey Type": str(response.get("survey_type") or ""),
        "Response Timestamp": datetime.fromtimestamp(int(response["created_at"]), tz=UTC).isoformat(),
        "Comment": str(response.get("comment") or ""),
        "Person ID": str(person.get("id") or ""),
        "Name": str(person.get("name") or ""),
        "Email": str(person.get("email") or ""),
        "Company": str(properties.get("Company") or properties.get("company") or ""),
        "Tags": ",".join(t for t in tags if t),
    }
