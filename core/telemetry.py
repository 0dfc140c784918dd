"""What the code tells the operator's metrics, without knowing who listens: a small recorder protocol.

Domain, job and bot code call a :class:`Telemetry`; entry points attach the Prometheus recorder
(``api.metrics.Metrics``) to the runtime's :class:`TelemetryHub`. Nothing attached: every call is a no-op.
Labels are short, bounded words (a surface, a stage, a reason code), never free text.
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol, runtime_checkable

__all__ = ["NO_TELEMETRY", "NullTelemetry", "Telemetry", "TelemetryHub"]

log = logging.getLogger(__name__)


@runtime_checkable
class Telemetry(Protocol):
    def observe_answer(self, surface: str, outcome: str, seconds: float) -> None:
        """An answer given on ``surface`` (mention, dm, thread, command) with ``outcome`` (answered, fallback …)."""

    def observe_slack_ack(self, kind: str, seconds: float) -> None:
        """A Slack request of ``kind`` (event, command, action, view, shortcut, options, other) acknowledged."""

    def count_alert(self, kind: str, outcome: str, reason: str = "") -> None:
        """An alert of ``kind`` (spike, spike_update, spike_resolved, rollup, digest, source) ``outcome``
        "sent" or "held" (``reason``: snoozed, budget, no_growth, already_told, post_failed, no_publisher)."""

    def count_denial(self, surface: str, reason: str) -> None:
        """A request refused on ``surface``; ``reason`` a code (admin_only, out_of_scope, unauthorized …)."""

    def count_processed(self, stage: str, units: int) -> None:
        """``units`` went through pipeline ``stage`` (ingest: records read; redact, embed, classify: units)."""


class NullTelemetry:
    """Records nothing (the default where no recorder is wired)."""

    def observe_answer(self, surface: str, outcome: str, seconds: float) -> None:
        pass

    def observe_slack_ack(self, kind: str, seconds: float) -> None:
        pass

    def count_alert(self, kind: str, outcome: str, reason: str = "") -> None:
        pass

    def count_denial(self, surface: str, reason: str) -> None:
        pass

    def count_processed(self, stage: str, units: int) -> None:
        pass


NO_TELEMETRY: Telemetry = NullTelemetry()


class TelemetryHub:
    """A :class:`Telemetry` forwarding to every recorder attached, at any time after it was handed out; a
    recorder's failure is logged, never raised into the code that reported."""

    def __init__(self) -> None:
        self._recorders: tuple[Telemetry, ...] = ()
        self._mutex = threading.Lock()

    def attach(self, recorder: Telemetry) -> None:
        with self._mutex:
            if recorder not in self._recorders:
                self._recorders = (*self._recorders, recorder)

    def _each(self, what: str, *args: object) -> None:
        for recorder in self._recorders:
            try:
                getattr(recorder, what)(*args)
            except Exception:
                log.exception("telemetry recorder %s failed on %s", type(recorder).__name__, what)

    def observe_answer(self, surface: str, outcome: str, seconds: float) -> None:
        self._each("observe_answer", surface, outcome, seconds)

    def observe_slack_ack(self, kind: str, seconds: float) -> None:
        self._each("observe_slack_ack", kind, seconds)

    def count_alert(self, kind: str, outcome: str, reason: str = "") -> None:
        self._each("count_alert", kind, outcome, reason)

    def count_denial(self, surface: str, reason: str) -> None:
        self._each("count_denial", surface, reason)

    def count_processed(self, stage: str, units: int) -> None:
        if units:
            self._each("count_processed", stage, units)
