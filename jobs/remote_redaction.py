"""Send the redacted text of filed tickets to Jira/Linear (``privacy forget``, and its retries).

Every queued ticket (``storage.remote_redaction``: this forget's and earlier ones' failures) is rewritten through
its tracker's ``update_text``. A failure never stops the rest: the entry stays queued with its reason and the
next ``privacy forget`` or ``privacy redact-trackers`` tries again. After a 401/403 or a 429 the tracker's other
tickets are not tried in this run (they would fail the same way) and count as failed with the same reason.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from groundswell.core.errors import TrackerAuthFailed, TrackerError, TrackerRateLimited
from groundswell.core.tickets import TicketEditor
from groundswell.storage.db import Engine, session_scope
from groundswell.storage.remote_redaction import list_pending, note_failed, note_updated

__all__ = ["TrackerTally", "push_redactions"]

log = logging.getLogger(__name__)


@dataclass
class TrackerTally:
    """One tracker's part of a run: issues rewritten, issues not rewritten and why (reason -> how many)."""

    updated: int = 0
    failed: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def fail(self, reason: str) -> None:
        self.failed += 1
        self.reasons[reason] = self.reasons.get(reason, 0) + 1

    def as_dict(self) -> dict[str, Any]:
        return {"updated": self.updated, "failed": self.failed, "reasons": dict(sorted(self.reasons.items()))}


def push_redactions(*, engine: Engine, trackers: Mapping[str, object]) -> dict[str, TrackerTally]:
    """Rewrite every queued ticket on its tracker; per tracker what happened (failures stay queued)."""
    with session_scope(engine) as session:
        pending = list_pending(session=session)
    tallies: dict[str, TrackerTally] = {}
    stopped: dict[str, str] = {}  # tracker -> why the rest of its tickets are not tried this run
    for item in pending:
        tally = tallies.setdefault(item.tracker, TrackerTally())
        tracker = trackers.get(item.tracker)
        reason = stopped.get(item.tracker)
        if reason is None and not isinstance(tracker, TicketEditor):
            reason = f"{item.tracker} is not configured"
        if reason is None:
            try:
                tracker.update_text(item.key, title=item.title, body=item.body)  # type: ignore[union-attr]
            except TrackerError as exc:
                reason = str(exc)
                if isinstance(exc, TrackerAuthFailed | TrackerRateLimited):
                    stopped[item.tracker] = reason
        with session_scope(engine) as session:
            if reason is None:
                note_updated(session=session, ticket_id=item.ticket_id)
                tally.updated += 1
            else:
                note_failed(session=session, ticket_id=item.ticket_id, error=reason)
                tally.fail(reason)
        if reason is not None:
            log.warning("ticket #%s not redacted on %s (kept queued): %s", item.ticket_id, item.tracker, reason)
    return tallies
