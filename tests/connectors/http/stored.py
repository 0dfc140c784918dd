"""What a live sync stored, for comparing with a fake's truth: current payloads, units by role, drift."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from groundswell.connectors.http.base import HttpSource, Yielded
from groundswell.jobs.ingest import ingest_source
from groundswell.storage.db import session_scope
from groundswell.storage.identity import facts_at
from groundswell.storage.models import Account, FeedbackUnit
from groundswell.storage.raw import list_current_raw
from groundswell.storage.sources import list_drift
from sqlmodel import select

from groundswell.runtime import Runtime
from tests.fakes.http import LoopbackServer


def stored_payloads(runtime: Runtime, source: str, kind: str | None = None) -> dict[str, dict[str, Any]]:
    """External id -> payload of the current, not deleted raw records of ``source`` (of one ``kind``)."""
    with session_scope(runtime.engine) as session:
        rows = list_current_raw(session=session, source=source)
        return {r.external_id: r.payload for r in rows if r.deleted_at is None and (kind is None or r.kind == kind)}


def live_units(runtime: Runtime, source: str) -> list[tuple[str, str, str]]:
    """(external id, speaker role, text) of the live units of ``source``."""
    with session_scope(runtime.engine) as session:
        statement = select(FeedbackUnit).where(FeedbackUnit.source == source, FeedbackUnit.deleted_at.is_(None))
        return sorted((u.external_id, u.speaker_role, u.text) for u in session.exec(statement))


def drift_events(runtime: Runtime, source: str) -> dict[tuple[str, str], Any]:
    """(path, problem) -> drift event row of ``source``."""
    with session_scope(runtime.engine) as session:
        return {(e.path, e.problem): e.model_copy() for e in list_drift(session=session, source=source)}


def arr_at(runtime: Runtime, account: str, moment: str) -> float | None:
    """The stored ARR of CRM account ``account`` as it stood at ``moment`` (ISO)."""
    with session_scope(runtime.engine) as session:
        account_id = session.exec(select(Account.id).where(Account.external_id == account)).one()
        snapshot = facts_at(session=session, account_id=account_id, moment=datetime.fromisoformat(moment))
        return snapshot.arr if snapshot else None


def crash_at(source: HttpSource, item: int) -> HttpSource:
    """Make ``source.poll`` die (RuntimeError "killed") when it is about to hand over its ``item``-th record."""
    polled = source.poll

    def crashing(checkpoint: Any) -> Iterator[Yielded]:
        for n, record in enumerate(polled(checkpoint), start=1):
            if n == item:
                raise RuntimeError("killed")
            yield record

    source.poll = crashing  # type: ignore[method-assign,assignment]
    return source


def assert_credentials_expired(runtime: Runtime, source: HttpSource, server: LoopbackServer) -> None:
    """A sync with refused credentials stops at the first request with "credentials expired for source X"."""
    report = ingest_source(engine=runtime.engine, source=source)
    assert report.error is not None
    assert report.error.startswith(f"{source.name}: credentials expired for source {source.name} (HTTP 401")
    assert len(server.log) == 1  # never retried
