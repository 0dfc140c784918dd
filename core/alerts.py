"""Alert noise control, pure: one thread per ongoing spike, snoozes, a per-channel budget, resolution.

``plan_alerts`` turns the spikes of one detection run into actions for one channel: ``new`` (post a thread),
``update`` (reply in the open thread: the spike grew by a quarter or more), ``touch`` (still going, nothing to
say), ``suppress`` (snoozed theme, or over the channel's daily budget: kept for the weekly roll-up) and
``resolve`` (an open alert whose spike has been gone for ``resolve_after``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol, runtime_checkable

from groundswell.core.spikes import Spike

__all__ = ["AlertAction", "AlertPublisher", "OpenAlert", "plan_alerts", "rollup_text", "simulate"]

GROWTH_TO_UPDATE = 1.25


@dataclass(frozen=True)
class OpenAlert:
    id: int
    family: str
    observed: int
    last_seen_at: datetime
    thread_ts: str | None = None


@dataclass(frozen=True)
class AlertAction:
    kind: Literal["new", "update", "touch", "suppress", "resolve"]
    family: str
    spike: Spike | None = None
    alert_id: int | None = None
    reason: str = ""  # suppress: snoozed | budget


@runtime_checkable
class AlertPublisher(Protocol):
    """Posts to a Slack channel (or thread); returns the message ts for threading. The Slack app supplies it.

    ``theme_key`` is set on a new spike's message: the Slack publisher adds "Snooze" buttons for that theme.
    """

    def post(
        self, *, channel: str, text: str, thread_ts: str | None = None, theme_key: str | None = None
    ) -> str | None: ...


def theme_of(family: str) -> str | None:
    return family.removeprefix("theme:") if family.startswith("theme:") else None


def plan_alerts(
    spikes: Sequence[Spike],
    *,
    open_alerts: Mapping[str, OpenAlert],
    snoozed: Collection[str],
    sent_recently: int,
    budget: int,
    now: datetime,
    resolve_after: timedelta = timedelta(hours=24),
) -> list[AlertAction]:
    """Actions for one channel; ``spikes`` are collapsed (one per family), ``snoozed`` holds theme keys."""
    stale = {f for f, alert in open_alerts.items() if now - alert.last_seen_at >= resolve_after}
    actions = [AlertAction("resolve", f, alert_id=open_alerts[f].id) for f in sorted(stale)]
    seen: set[str] = set()
    for spike in sorted(spikes, key=lambda s: -s.score):
        family = spike.scope.family
        if family in seen:
            continue
        seen.add(family)
        current = None if family in stale else open_alerts.get(family)
        if current is not None:
            grew = spike.observed >= GROWTH_TO_UPDATE * max(current.observed, 1)
            actions.append(AlertAction("update" if grew else "touch", family, spike, current.id))
            continue
        theme = theme_of(family)
        if theme is not None and (theme in snoozed or spike.scope.name in snoozed):
            actions.append(AlertAction("suppress", family, spike, reason="snoozed"))
        elif sent_recently >= budget:
            actions.append(AlertAction("suppress", family, spike, reason="budget"))
        else:
            sent_recently += 1
            actions.append(AlertAction("new", family, spike))
    return actions


def rollup_text(suppressed: Sequence[tuple[str, str, str]], *, days: int = 7) -> str:
    """The weekly roll-up of alerts not posted: ``(scope, reason, explanation)`` rows, one line each."""
    if not suppressed:
        return f"No alerts were held back in the last {days} days."
    by_reason: dict[str, int] = {}
    for _, reason, _ in suppressed:
        by_reason[reason] = by_reason.get(reason, 0) + 1
    summary = ", ".join(f"{n} {reason}" for reason, n in sorted(by_reason.items()))
    lines = [f"{len(suppressed)} alerts held back in the last {days} days ({summary}):"]
    lines += [f"• {explanation or scope} [{reason}]" for scope, reason, explanation in suppressed]
    return "\n".join(lines)


def simulate(
    spikes: Sequence[Spike], *, budget: int, resolve_after: timedelta = timedelta(hours=24)
) -> list[AlertAction]:
    """Replay ``plan_alerts`` over time (collapsed spikes of many runs) for one channel with no snoozes.

    Returns the actions that post or hold back an alert (``new`` and ``suppress``): what a channel would have seen.
    """
    by_time: dict[datetime, list[Spike]] = {}
    for spike in spikes:
        by_time.setdefault(spike.at, []).append(spike)
    open_alerts: dict[str, OpenAlert] = {}
    posted: list[datetime] = []
    out: list[AlertAction] = []
    for now in sorted(by_time):
        recent = sum(1 for at in posted if now - at < timedelta(hours=24))
        actions = plan_alerts(
            by_time.get(now, []),
            open_alerts=open_alerts,
            snoozed=(),
            sent_recently=recent,
            budget=budget,
            now=now,
            resolve_after=resolve_after,
        )
        for action in actions:
            if action.kind == "new" and action.spike is not None:
                posted.append(now)
                open_alerts[action.family] = OpenAlert(len(posted), action.family, action.spike.observed, now)
            elif action.kind in ("update", "touch") and action.spike is not None:
                current = open_alerts[action.family]
                observed = action.spike.observed if action.kind == "update" else current.observed
                open_alerts[action.family] = OpenAlert(current.id, action.family, observed, now)
            elif action.kind == "resolve":
                open_alerts.pop(action.family, None)
            if action.kind in ("new", "suppress"):
                out.append(action)
    return out
