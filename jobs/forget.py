"""``privacy forget``: erase a person from the database and the vector index, suppress them, write a receipt.

Composes ``storage.forget`` (delete and redact by key and by value), the vector index (the deleted units'
vectors), ``storage.suppression`` (hashed identifiers, so a re-sync drops their records) and ``storage.compact``
(deleted bytes physically gone). Filed Jira/Linear tickets whose text was redacted get that text on the tracker
too (``jobs.remote_redaction``; a tracker failure is counted and kept for the next run, never aborts the forget).
The receipt and its audit event carry counts and a receipt id, never the identifiers that were asked for.
Redis holds no personal data (job status and locks only), so nothing is done there.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from groundswell.core.privacy import Vault
from groundswell.core.protocols import VectorIndex
from groundswell.jobs.remote_redaction import TrackerTally, push_redactions
from groundswell.storage.audit import record_audit
from groundswell.storage.compact import compact
from groundswell.storage.db import Engine, session_scope, utcnow
from groundswell.storage.forget import ForgetRequest, forget_person
from groundswell.storage.models import ErasureReceipt
from groundswell.storage.remote_redaction import queue_redactions
from groundswell.storage.suppression import add_suppressions

__all__ = ["Receipt", "forget"]


@dataclass(frozen=True)
class Receipt:
    id: str
    created_at: datetime
    counts: dict[str, int]  # store (table, "vectors") -> rows removed or redacted
    suppressed: int  # hashed identifiers newly on the suppression list
    people: int
    trackers: dict[str, TrackerTally] = field(default_factory=dict)  # filed tickets rewritten remotely, or not

    def as_dict(self) -> dict[str, Any]:
        return {
            "receipt_id": self.id,
            "created_at": self.created_at.isoformat(),
            "people": self.people,
            "removed": self.counts,
            "suppressed_identifiers": self.suppressed,
            "trackers": {name: tally.as_dict() for name, tally in sorted(self.trackers.items())},
        }


def _vector_count(index: VectorIndex, ids: list[str]) -> int:
    reader = getattr(index, "get_vectors", None)
    return len(reader(ids)) if reader is not None and ids else len(ids)


def forget(
    *,
    engine: Engine,
    index: VectorIndex,
    vault: Vault | None,
    request: ForgetRequest,
    actor: str,
    conversations: Callable[[list[str]], int] | None = None,
    trackers: Mapping[str, object] | None = None,
) -> Receipt:
    """Erase everything of the person ``request`` names, in every store; returns the receipt (also stored).

    ``conversations`` deletes the agent's conversation threads mentioning any of the given values or unit ids
    (``graph.checkpoint.forget_threads`` over the configured checkpointer) and returns how many. ``trackers``
    (by name, as ``Runtime.configured_trackers``) rewrite filed tickets whose text held the person; without them
    the tickets stay queued and the receipt counts them as failed."""
    if not request:
        raise ValueError("forget needs an email, an external id or a person id")
    receipt_id = uuid.uuid4().hex
    with session_scope(engine) as session:
        outcome = forget_person(session=session, request=request, vault=vault)
        suppressed = add_suppressions(session=session, keys=outcome.suppress, receipt_id=receipt_id)
        counts = {store: n for store, n in sorted(outcome.counts.items()) if n}
        queue_redactions(session=session, ticket_ids=outcome.tickets, receipt_id=receipt_id)
        if outcome.unit_ids:  # before the commit: an index failure leaves the database as it was
            counts["vectors"] = _vector_count(index, outcome.unit_ids)
            index.delete(outcome.unit_ids)
    if conversations is not None and (threads := conversations([*outcome.needles, *outcome.unit_ids])):
        counts["conversation_threads"] = threads
    tallies = push_redactions(engine=engine, trackers=trackers or {})
    stored = counts | {f"tracker.{name}.{what}": n for name, t in tallies.items() for what, n in _tally(t) if n}
    created = utcnow()
    with session_scope(engine) as session:
        session.add(
            ErasureReceipt(id=receipt_id, actor=actor, counts=stored, suppressed=suppressed, created_at=created)
        )
        record_audit(session=session, actor=actor, action="privacy.forget", target=receipt_id, details=stored)
    compact(engine, (store.removeprefix("scrubbed.") for store in counts))
    return Receipt(
        id=receipt_id,
        created_at=created,
        counts=counts,
        suppressed=suppressed,
        people=len(outcome.people),
        trackers=tallies,
    )


def _tally(tally: TrackerTally) -> list[tuple[str, int]]:
    return [("updated", tally.updated), ("failed", tally.failed)]
