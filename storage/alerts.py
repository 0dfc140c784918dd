"""Spike alerts, snoozes and suppressed alerts (the noise-control state of each channel)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from groundswell.core.errors import StorageError
from groundswell.core.spikes import Spike
from groundswell.storage.db import as_utc, utcnow
from groundswell.storage.models import AlertSnooze, AlertSuppression, SpikeAlert
from sqlalchemy import func
from sqlmodel import Session, col, select

__all__ = [
    "active_snoozes",
    "count_alerts_since",
    "create_alert",
    "list_alerts",
    "mark_rolled_up",
    "open_alerts",
    "record_suppression",
    "resolve_alert",
    "snooze_theme",
    "unrolled_suppressions",
    "update_alert",
]


def open_alerts(*, session: Session, channel: str) -> list[SpikeAlert]:
    statement = select(SpikeAlert).where(SpikeAlert.channel == channel, SpikeAlert.status == "open")
    return list(session.exec(statement.order_by(col(SpikeAlert.id))))


def list_alerts(*, session: Session, channel: str | None = None, limit: int = 50) -> list[SpikeAlert]:
    statement = select(SpikeAlert)
    if channel:
        statement = statement.where(SpikeAlert.channel == channel)
    return list(session.exec(statement.order_by(col(SpikeAlert.created_at).desc()).limit(limit)))


def create_alert(
    *, session: Session, channel: str, spike: Spike, explanation: str, thread_ts: str | None, now: datetime
) -> SpikeAlert:
    """A new alert thread for ``spike``'s family (``scope_key``), open until its spike has gone."""
    scope = spike.scope
    alert = SpikeAlert(
        channel=channel,
        scope_key=scope.family,
        theme_key=scope.name if scope.kind == "theme" else None,
        segment=scope.segment,
        source=scope.name if scope.kind == "source" else None,
        thread_ts=thread_ts,
        observed=spike.observed,
        expected=spike.expected,
        spread=spike.spread,
        score=spike.score,
        explanation=explanation,
        started_at=spike.at,
        last_seen_at=spike.at,
        created_at=now,
    )
    session.add(alert)
    session.flush()
    return alert


def _get(session: Session, alert_id: int) -> SpikeAlert:
    alert = session.get(SpikeAlert, alert_id)
    if alert is None:
        raise StorageError(f"no spike alert {alert_id}")
    return alert


def update_alert(*, session: Session, alert_id: int, spike: Spike, explanation: str | None) -> SpikeAlert:
    """The spike is still on: remember when; with ``explanation`` (an update was posted) also its new figures."""
    alert = _get(session, alert_id)
    alert.last_seen_at = spike.at
    if explanation is not None:
        alert.observed, alert.expected, alert.spread, alert.score = (
            spike.observed,
            spike.expected,
            spike.spread,
            spike.score,
        )
        alert.explanation, alert.updates = explanation, alert.updates + 1
    session.add(alert)
    return alert


def resolve_alert(*, session: Session, alert_id: int) -> SpikeAlert:
    alert = _get(session, alert_id)
    alert.status = "resolved"
    session.add(alert)
    return alert


def snooze_theme(
    *, session: Session, channel: str, theme_key: str, until: datetime, created_by: str | None = None
) -> AlertSnooze:
    """No alerts on ``theme_key`` (and its sub-themes' family) in ``channel`` until ``until``."""
    row = AlertSnooze(channel=channel, theme_key=theme_key, until=until, created_by=created_by, created_at=utcnow())
    session.add(row)
    session.flush()
    return row


def active_snoozes(*, session: Session, channel: str, now: datetime) -> set[str]:
    statement = select(AlertSnooze.theme_key).where(AlertSnooze.channel == channel, col(AlertSnooze.until) > now)
    return set(session.exec(statement))


def record_suppression(
    *, session: Session, channel: str, spike: Spike, reason: str, explanation: str, now: datetime
) -> None:
    scope = spike.scope
    session.add(
        AlertSuppression(
            channel=channel,
            scope_key=scope.key,
            theme_key=scope.name if scope.kind == "theme" else None,
            reason=reason,
            explanation=explanation,
            created_at=now,
        )
    )


def count_alerts_since(*, session: Session, channel: str, since: datetime) -> int:
    """New alert threads posted in ``channel`` since ``since`` (what the daily budget counts)."""
    statement = (
        select(func.count())
        .select_from(SpikeAlert)
        .where(SpikeAlert.channel == channel, col(SpikeAlert.created_at) >= since)
    )
    return int(session.exec(statement).one())


def unrolled_suppressions(*, session: Session, channel: str) -> list[AlertSuppression]:
    statement = select(AlertSuppression).where(
        AlertSuppression.channel == channel, col(AlertSuppression.rolled_up_at).is_(None)
    )
    return list(session.exec(statement.order_by(col(AlertSuppression.created_at))))


def mark_rolled_up(*, session: Session, ids: Sequence[int], now: datetime) -> None:
    for row in session.exec(select(AlertSuppression).where(col(AlertSuppression.id).in_(list(ids)))):
        row.rolled_up_at = now
        session.add(row)


def last_seen(alert: SpikeAlert) -> datetime:
    moment = as_utc(alert.last_seen_at)
    assert moment is not None
    return moment
