"""The base of API sources: configuration through ``__init__``, one client, checkpoints that advance per page.

A source subclasses :class:`HttpSource`, declares ``kind``, ``channel``, ``expected_cadence_s``,
``CREDENTIALS``, ``FIELDS`` (a :class:`~connectors.fields.FieldSpec`) and ``RATES``, and implements
``sync(state)``: a generator yielding records (built with :meth:`HttpSource.record`, which checks the
declared fields and turns drift into a rejected record with findings) and calling :meth:`advance` after each
page. ``poll`` wraps it: backfill is ``poll(None)``, incremental is ``poll(checkpoint)``; ``progress`` always
holds the checkpoint of what was fully yielded, which the job persists with each committed batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, ClassVar

import httpx
from groundswell.connectors.fields import FieldSpec
from groundswell.connectors.files.base import staff_guard
from groundswell.connectors.files.text import parse_timestamp
from groundswell.connectors.http.budget import Clock, Rate
from groundswell.connectors.http.client import ApiClient, ApiResponse
from groundswell.core.budgets import BudgetStore
from groundswell.core.errors import ConfigurationError
from groundswell.core.models import Author, Channel, FieldDrift, NormalizedDoc, RawRecord, RecordFailure, SpeakerRole
from groundswell.core.protocols import Checkpoint, PollResult
from pydantic import Field

__all__ = ["HttpCheckpoint", "HttpSource", "Yielded", "vanished"]

Yielded = RawRecord | RecordFailure


class HttpCheckpoint(Checkpoint):
    """``cursor``: resume token of the main stream; ``updated_since``: high-water mark of record updates;
    ``streams``: resume tokens of sub-streams (one per channel, ...); ``known``: ids seen recently per stream,
    so a record that vanished from the source becomes a tombstone."""

    streams: dict[str, str] = Field(default_factory=dict)
    known: dict[str, list[str]] = Field(default_factory=dict)


def vanished(previous: Iterable[str], current: Iterable[str]) -> list[str]:
    """Ids listed before and not now, in their previous order: deleted (or merged away) at the source."""
    now = set(current)
    return [i for i in previous if i not in now]


class HttpSource:
    """Base of the API connectors (see the module docstring)."""

    name: str
    kind: ClassVar[str]
    source_kind: ClassVar[str] = "api"  # Source.kind: file | api | webhook
    channel: ClassVar[Channel] = Channel.OTHER
    expected_cadence_s: ClassVar[int] = 3600
    DEFAULT_NAME: ClassVar[str] = ""
    DEFAULT_BASE_URL: ClassVar[str] = ""  # may use {option} placeholders, e.g. https://{subdomain}.zendesk.com
    CREDENTIALS: ClassVar[tuple[str, ...]] = ()  # keys of ``credentials``; env GROUNDSWELL_<NAME>_<KEY>
    OPTIONS: ClassVar[Mapping[str, Any]] = {}  # option defaults
    FIELDS: ClassVar[FieldSpec] = FieldSpec({})
    RATES: ClassVar[tuple[Rate, ...]] = ()
    CHECKPOINT: ClassVar[type[HttpCheckpoint]] = HttpCheckpoint

    def __init__(
        self,
        *,
        base_url: str | None = None,
        credentials: Mapping[str, str] | None = None,
        options: Mapping[str, Any] | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Clock | None = None,
        name: str | None = None,
        company_domains: Sequence[str] = (),
        max_attempts: int = 6,
        timeout_s: float = 30.0,
        budget_store: BudgetStore | None = None,
    ) -> None:
        self.name = name or self.DEFAULT_NAME
        self.credentials = dict(credentials or {})
        missing = [key for key in self.CREDENTIALS if not self.credentials.get(key)]
        if missing:
            raise ConfigurationError(f"source {self.name}: missing credentials {', '.join(missing)}")
        self.options = {**self.OPTIONS, **(options or {})}
        try:
            self.base_url = (base_url or self.DEFAULT_BASE_URL.format(**self.options)).rstrip("/")
        except KeyError as exc:
            raise ConfigurationError(f"source {self.name}: option {exc.args[0]} is needed for the base URL") from None
        if not self.base_url:
            raise ConfigurationError(f"source {self.name}: no base URL")
        self.company_domains = tuple(d.lower() for d in company_domains)
        self.client = ApiClient(
            source=self.name,
            base_url=self.base_url,
            headers=self.headers(),
            auth=self.auth(),
            transport=transport,
            clock=clock,
            rates=self.rates(),
            max_attempts=max_attempts,
            timeout_s=timeout_s,
            check_body=self.check_body,
            check_error=self.check_error,
            budget_store=budget_store,
        )
        self.progress: HttpCheckpoint = self.CHECKPOINT()

    def __repr__(self) -> str:  # never the credentials
        return f"{type(self).__name__}(name={self.name!r}, base_url={self.base_url!r})"

    # -- to implement --------------------------------------------------------------------------

    def rates(self) -> tuple[Rate, ...]:
        """Source-wide request budget; default ``RATES`` (override to read an option)."""
        return self.RATES

    def headers(self) -> dict[str, str]:
        """Headers of every request (bearer tokens, API versions)."""
        return {}

    def auth(self) -> httpx.Auth | tuple[str, str] | None:
        """httpx auth (basic auth) when the API uses it."""
        return None

    def check_body(self, response: ApiResponse) -> None:
        """Raise for errors an API reports inside a 200 body (Slack's ``ok: false``); default: none."""

    def check_error(self, response: httpx.Response) -> None:
        """Raise for an error status the API means differently from the defaults (see ``ApiClient``); default:
        none (401/403 credentials expired, 429 wait and retry, 5xx retry, other 4xx a source error)."""

    def field_spec(self, kind: str) -> FieldSpec:
        """The declared fields of records of ``kind`` (sources with several kinds override); default ``FIELDS``."""
        return self.FIELDS

    def sync(self, state: HttpCheckpoint) -> Iterator[Yielded]:
        """Yield the records changed since ``state``; call ``advance`` after each page."""
        raise NotImplementedError

    def normalize(self, record: RawRecord) -> NormalizedDoc:
        raise NotImplementedError

    # -- polling -------------------------------------------------------------------------------

    def poll(self, checkpoint: Checkpoint | None) -> PollResult:
        state = self.CHECKPOINT.model_validate(checkpoint.model_dump()) if checkpoint else self.CHECKPOINT()
        self.progress = state
        yield from self.sync(state)
        return self.progress

    def advance(self, **changes: Any) -> HttpCheckpoint:
        """Move ``progress`` on once a page's records are all yielded (the job persists it with the batch)."""
        self.progress = self.progress.model_copy(update=changes, deep=True)
        return self.progress

    def first_page(self, limit: int = 20) -> list[Yielded]:
        """What a backfill would read first (up to the end of its first page), without storing anything."""
        items: list[Yielded] = []
        start = self.CHECKPOINT()
        poll = self.poll(None)
        for item in poll:
            items.append(item)
            if len(items) >= limit or self.progress != start:
                break
        poll.close()
        return items

    # -- building records ----------------------------------------------------------------------

    def record(
        self,
        external_id: Any,
        payload: dict[str, Any],
        *,
        url: str | None,
        created_at: Any = None,
        updated_at: Any = None,
        kind: str | None = None,
    ) -> Yielded:
        """A RawRecord when ``payload`` has every declared field with its type, else a drift failure."""
        findings = self.field_spec(kind or self.kind).check(payload)
        if findings:
            return self.drift_failure(external_id, payload, findings)
        return RawRecord(
            source=self.name,
            external_id=str(external_id),
            kind=kind or self.kind,
            payload=payload,
            url=url,
            created_at=_time(created_at),
            updated_at=_time(updated_at) or _time(created_at),
        )

    def drift_failure(self, external_id: Any, payload: Any, findings: list[FieldDrift]) -> RecordFailure:
        """A record rejected for schema drift: the raw payload is kept and the findings become drift events."""
        return RecordFailure(
            source=self.name,
            external_id=str(external_id) if external_id not in (None, "") else None,
            reason=FieldSpec.reason(findings),
            raw=_raw_text(payload),
            drift=findings,
        )

    def tombstone(
        self, external_id: Any, payload: dict[str, Any] | None = None, *, url: str | None = None
    ) -> RawRecord:
        """The source says this record is gone (deleted, or merged into another): its units and vectors go."""
        return RawRecord(
            source=self.name,
            external_id=str(external_id),
            kind=self.kind,
            payload=payload or {"id": external_id, "deleted": True},
            url=url,
            deleted=True,
        )

    def author(self, role: SpeakerRole, staff_role: SpeakerRole = SpeakerRole.AGENT, **fields: Any) -> Author:
        """An Author with empty fields dropped; company-domain emails are staff, never customers."""
        clean = {k: str(v).strip() for k, v in fields.items() if v not in (None, "")}
        return Author(role=staff_guard(role, clean.get("email"), self.company_domains, staff_role), **clean)


def _time(value: Any) -> Any:
    return parse_timestamp(value) if value not in (None, "") else None


def _raw_text(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
