"""What a live sync stored, for comparing with a fake's truth: current payloads, units by role, drift."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from runtime import Runtime
from storage.db import session_scope
from storage.models import FeedbackUnit
from storage.raw import list_current_raw
from storage.sources import list_drift


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
