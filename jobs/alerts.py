"""Spike alerts as a job: detect on the stored signals, apply noise control, post through an injected publisher.

One thread per ongoing spike family (updates reply in it), snoozes per theme per channel, a daily budget per
channel, and a weekly roll-up of what was held back. Without a publisher (no Slack configured) alerts are only
stored; a publisher failure never loses the alert (it is stored without a thread).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from groundswell.core.alerts import AlertPublisher, OpenAlert, plan_alerts, rollup_text, theme_of
from groundswell.core.errors import GroundswellError
from groundswell.core.spikes import SpikeConfig, collapse, detect, explain
from groundswell.core.telemetry import NO_TELEMETRY, Telemetry
from groundswell.storage.alerts import (
    active_snoozes,
    count_alerts_since,
    create_alert,
    last_seen,
    mark_rolled_up,
    open_alerts,
    record_suppression,
    resolve_alert,
    snooze_theme,
    unrolled_suppressions,
    update_alert,
)
from groundswell.storage.db import Engine, session_scope, utcnow
from groundswell.storage.signals import list_signals
from groundswell.storage.taxonomy import get_taxonomy

__all__ = ["AlertRun", "post_weekly_rollup", "run_spike_alerts", "snooze"]

log = logging.getLogger(__name__)
HOUR = timedelta(hours=1)


@dataclass
class AlertRun:
    spikes: int = 0
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    suppressed: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)


def _post(
    publisher: AlertPublisher | None,
    channel: str,
    text: str,
    thread_ts: str | None = None,
    theme_key: str | None = None,
    *,
    kind: str,
    telemetry: Telemetry,
) -> str | None:
    """Post and count the outcome under ``kind``: sent, held (no publisher: stored only) or failed."""
    if publisher is None:
        telemetry.count_alert(kind, "held", "no_publisher")
        return None
    try:
        ts = publisher.post(channel=channel, text=text, thread_ts=thread_ts, theme_key=theme_key)
    except GroundswellError as exc:  # the alert is stored anyway; the next update tries again
        log.warning("could not post a spike alert to %s: %s", channel, exc)
        telemetry.count_alert(kind, "failed", "post_failed")
        return None
    telemetry.count_alert(kind, "sent")
    return ts


def run_spike_alerts(
    *,
    engine: Engine,
    channel: str,
    publisher: AlertPublisher | None = None,
    config: SpikeConfig | None = None,
    budget: int = 3,
    now: datetime | None = None,
    releases: Mapping[str, datetime] | None = None,
    telemetry: Telemetry = NO_TELEMETRY,
) -> AlertRun:
    """One detection run for ``channel`` at ``now`` (default: the top of the current hour); every alert posted
    or held back (snoozed, over budget, an update below the growth threshold) is counted in ``telemetry``."""
    now = now or utcnow().replace(minute=0, second=0, microsecond=0)
    config = config or SpikeConfig()
    with session_scope(engine) as session:
        signals = list_signals(session=session, start=now - config.history_h * HOUR, end=now)
        taxonomy = get_taxonomy(session=session)
        names = {t.key: t.name for t in taxonomy} if taxonomy is not None else {}
        current = {a.scope_key: a for a in open_alerts(session=session, channel=channel)}
        snoozed = active_snoozes(session=session, channel=channel, now=now)
        sent = count_alerts_since(session=session, channel=channel, since=now - 24 * HOUR)
    themed = [last_seen(a) for f, a in current.items() if f.startswith("theme:")]
    spikes = collapse(
        detect(signals, at=now, config=config), window_h=config.window_h, theme_seen_at=max(themed, default=None)
    )
    state = {f: OpenAlert(a.id, f, a.observed, last_seen(a), a.thread_ts) for f, a in current.items()}  # type: ignore[arg-type]
    actions = plan_alerts(spikes, open_alerts=state, snoozed=snoozed, sent_recently=sent, budget=budget, now=now)
    run = AlertRun(spikes=len(spikes))
    for action in actions:
        spike = action.spike
        text = explain(spike, signals, names=names, releases=releases, window_h=config.window_h) if spike else ""
        thread = state[action.family].thread_ts if action.family in state else None
        with session_scope(engine) as session:
            if action.kind == "new" and spike is not None:
                ts = _post(publisher, channel, f":rotating_light: {text}", theme_key=theme_of(action.family),
                           kind="spike", telemetry=telemetry)  # fmt: skip
                create_alert(session=session, channel=channel, spike=spike, explanation=text, thread_ts=ts, now=now)
                run.new.append(text)
            elif action.kind == "update" and spike is not None:
                _post(publisher, channel, f"Update: {text}", thread, kind="spike_update", telemetry=telemetry)
                update_alert(session=session, alert_id=action.alert_id, spike=spike, explanation=text)  # type: ignore[arg-type]
                run.updated.append(text)
            elif action.kind == "touch" and spike is not None:
                update_alert(session=session, alert_id=action.alert_id, spike=spike, explanation=None)  # type: ignore[arg-type]
                telemetry.count_alert("spike_update", "held", "no_growth")
            elif action.kind == "suppress" and spike is not None:
                record_suppression(
                    session=session, channel=channel, spike=spike, reason=action.reason, explanation=text, now=now
                )
                run.suppressed.append(f"{text} [{action.reason}]")
                telemetry.count_alert("spike", "held", action.reason)
            elif action.kind == "resolve":
                resolve_alert(session=session, alert_id=action.alert_id)  # type: ignore[arg-type]
                back = "Back to its usual level."
                _post(publisher, channel, back, thread, kind="spike_resolved", telemetry=telemetry)
                run.resolved.append(action.family)
    return run


def snooze(*, engine: Engine, channel: str, theme_key: str, hours: float, by: str | None = None) -> datetime:
    """Mute alerts on ``theme_key`` (a family's root theme or a leaf) in ``channel`` for ``hours``; returns until."""
    until = utcnow() + timedelta(hours=hours)
    with session_scope(engine) as session:
        snooze_theme(session=session, channel=channel, theme_key=theme_key, until=until, created_by=by)
    return until


def post_weekly_rollup(
    *,
    engine: Engine,
    channel: str,
    publisher: AlertPublisher | None = None,
    now: datetime | None = None,
    telemetry: Telemetry = NO_TELEMETRY,
) -> str:
    """Post (once) what was held back since the last roll-up; returns the text."""
    now = now or utcnow()
    with session_scope(engine) as session:
        rows = unrolled_suppressions(session=session, channel=channel)
        text = rollup_text([(r.scope_key, r.reason, r.explanation) for r in rows])
        if rows:
            _post(publisher, channel, text, kind="rollup", telemetry=telemetry)
            mark_rolled_up(session=session, ids=[r.id for r in rows if r.id is not None], now=now)
    return text
