"""What the scheduler runs: one ``JobSpec`` per job (explicit id, interval aligned to a fixed anchor) and the jobs.

Every interval starts from ``ANCHOR`` (a Monday, 09:00 UTC), so all workers agree on a job's ticks: daily jobs
run at 09:00 UTC, weekly ones on Mondays at 09:00. Job functions take ``(runtime, hooks)``; the hooks carry
what the Slack app supplies (alert publisher, ticket-closure notifier, digest builder).
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from groundswell.core.alerts import AlertPublisher
from groundswell.core.retention import parse_retention
from groundswell.core.spikes import SpikeConfig
from groundswell.core.tickets import TicketNotifier
from groundswell.jobs.alerts import post_weekly_rollup, run_spike_alerts
from groundswell.jobs.embed import remove_vectors
from groundswell.jobs.pipeline import run_pipeline
from groundswell.jobs.tickets import stale_or_unowned, sync_statuses
from groundswell.storage.access_log import purge_expired
from groundswell.storage.db import session_scope, utcnow
from groundswell.storage.health import other_share
from groundswell.storage.releases import list_releases
from groundswell.storage.retention import apply_policy
from groundswell.storage.sources import AlertKind, claim_source_alert, release_source_alert, source_statuses
from groundswell.storage.taxonomy import latest_version

from groundswell.runtime import Runtime

__all__ = ["ANCHOR", "DigestBuilder", "JobHooks", "JobSpec", "default_jobs"]

log = logging.getLogger(__name__)
ANCHOR = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)  # a Monday
LOCAL_CHANNEL = "local"  # alerts are stored for this channel when no Slack channel is configured
DRIFT_FACTOR = 1.5  # "other" share of the last day vs the week before


class DigestBuilder(Protocol):
    """Builds and posts the digests of one period ("daily" or "weekly").

    ``bot.digests.digest_hook`` supplies it, through ``bot.notify.build_job_hooks``."""

    def __call__(self, period: str, *, runtime: Runtime) -> Any: ...


@dataclass
class JobHooks:
    publisher: AlertPublisher | None = None
    ticket_notifier: TicketNotifier | None = None
    digest: DigestBuilder | None = None


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: Callable[..., Any]
    every: timedelta
    description: str
    kwargs: dict[str, Any] = field(default_factory=dict)

    def tick(self, now: datetime) -> int:
        """The index of the interval ``now`` falls in, the same in every worker."""
        return int((now - ANCHOR) // self.every)


def sync_source(runtime: Runtime, hooks: JobHooks, *, source: str, live: bool = False) -> dict[str, Any]:
    """Sync one source (and bring identity, duplicates, vectors and classifications in line)."""
    exports = runtime.settings.exports_dir
    sources = [runtime.live_source(source)] if live else runtime.file_sources(exports, [source])
    return run_pipeline(runtime=runtime, sources=sources).as_dict()


def process_new_units(runtime: Runtime, hooks: JobHooks) -> dict[str, Any]:
    """Identity, duplicates, embedding and classification of units not processed yet (no source is read)."""
    return run_pipeline(runtime=runtime, sources=[]).as_dict()


def discover_themes(runtime: Runtime, hooks: JobHooks) -> dict[str, Any]:
    """Theme discovery, exactly as operators run it (`groundswell taxonomy discover`), in a child process."""
    command = [sys.executable, "-m", "groundswell.cli.main", "taxonomy", "discover", "--json", "--actor", "scheduler"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=3600, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"taxonomy discover failed: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def detect_spikes(runtime: Runtime, hooks: JobHooks, *, now: datetime | None = None) -> dict[str, Any]:
    """Spike detection for the alert channel; explanations name a release shipped shortly before the onset."""
    s = runtime.settings
    config = SpikeConfig(sensitivity=s.spike_sensitivity, step_h=max(1, s.spike_interval_minutes // 60))
    with session_scope(runtime.engine) as session:
        releases = list_releases(session=session)  # "started 2 h after release 4.12"
    run = run_spike_alerts(
        engine=runtime.engine,
        channel=s.alert_channel or LOCAL_CHANNEL,
        publisher=hooks.publisher if s.alert_channel else None,
        config=config,
        budget=s.alert_budget_per_day,
        releases=releases,
        now=now,
        telemetry=runtime.telemetry,
    )
    return {"spikes": run.spikes, "new": len(run.new), "updated": len(run.updated), "suppressed": len(run.suppressed)}


def rollup_alerts(runtime: Runtime, hooks: JobHooks) -> str:
    s = runtime.settings
    publisher = hooks.publisher if s.alert_channel else None
    return post_weekly_rollup(
        engine=runtime.engine,
        channel=s.alert_channel or LOCAL_CHANNEL,
        publisher=publisher,
        telemetry=runtime.telemetry,
    )


def check_freshness(runtime: Runtime, hooks: JobHooks) -> list[str]:
    """Sources not synced within their cadence, and sources whose last sync failed. Each episode (stale, or
    failing, since one last success) is told to the admins once, in the admin channel (else the alert
    channel), however many checks see it; a post Slack refused is tried again at the next check."""
    now = utcnow()
    with session_scope(runtime.engine) as session:
        statuses = source_statuses(session=session, now=now)
    notes = []
    target = runtime.settings.admin_channel or runtime.settings.alert_channel
    for status in statuses:
        when = status.last_success_at
        found: list[tuple[AlertKind, str]] = []
        if status.stale:
            since = f"last successful sync {when:%Y-%m-%d %H:%M} UTC" if when else "never synced"
            found.append(("stale", f":hourglass: Stale data — {status.name}: {since}"))
            notes.append(f"{status.name}: {since}")
        if status.last_error:
            found.append(("failure", f":warning: Sync failing — {status.name}: {status.last_error[:500]}"))
        for kind, text in found:
            log.warning("source %s: %s", kind, text)
            if hooks.publisher and target:
                _tell_admins_once(runtime, hooks.publisher, target, status.name, kind, when, text)
            else:
                runtime.telemetry.count_alert("source", "held", "no_publisher")
    return notes


def _tell_admins_once(
    runtime: Runtime, publisher: AlertPublisher, target: str, source: str, kind: AlertKind,
    last_success: datetime | None, text: str,
) -> None:  # fmt: skip
    with session_scope(runtime.engine) as session:
        previous = claim_source_alert(session=session, source=source, kind=kind, last_success_at=last_success)
    if previous is None:
        runtime.telemetry.count_alert("source", "held", "already_told")
        return  # this episode was told already
    try:
        publisher.post(channel=target, text=text)
    except Exception:
        log.exception("source %s: the %s alert could not be posted; the next check retries", source, kind)
        runtime.telemetry.count_alert("source", "failed", "post_failed")
        with session_scope(runtime.engine) as session:
            release_source_alert(session=session, source=source, kind=kind, previous=previous)
        return
    runtime.telemetry.count_alert("source", "sent")


def check_drift(runtime: Runtime, hooks: JobHooks) -> dict[str, Any]:
    """Warn when the share of units fitting no theme in the last day is well above the week before."""
    now = utcnow()
    with session_scope(runtime.engine) as session:
        version = latest_version(session=session)
        if version is None:
            return {"taxonomy_version": None}
        recent_n, recent = other_share(session=session, version=version, start=now - timedelta(days=1), end=now)
        _, before = other_share(
            session=session, version=version, start=now - timedelta(days=8), end=now - timedelta(days=1)
        )
    drifting = recent_n >= 20 and before > 0 and recent >= DRIFT_FACTOR * before
    if drifting:
        log.warning("classification drift: %.0f%% 'other' today vs %.0f%% the week before", 100 * recent, 100 * before)
    return {
        "taxonomy_version": version,
        "other_share_day": round(recent, 3),
        "other_share_week": round(before, 3),
        "drifting": drifting,
    }


def enforce_retention(runtime: Runtime, hooks: JobHooks) -> dict[str, dict[str, int]]:
    """Apply GROUNDSWELL_RETENTION (and the legacy RETENTION_DAYS default) to every store; what went, per source."""
    policy = parse_retention(runtime.settings.retention, runtime.settings.retention_days)
    if not policy:
        return {}
    with session_scope(runtime.engine) as session:
        outcome = apply_policy(session=session, policy=policy, now=utcnow())
    remove_vectors(index=runtime.vectors, unit_ids=outcome.unit_ids)
    return outcome.by_source()


def purge_audit(runtime: Runtime, hooks: JobHooks) -> int:
    """Audit events of questions and refusals past GROUNDSWELL_AUDIT_RETENTION_DAYS."""
    return purge_expired(runtime.engine, days=runtime.settings.audit_retention_days)


def sync_tickets(runtime: Runtime, hooks: JobHooks) -> dict[str, Any]:
    report = sync_statuses(engine=runtime.engine, trackers=runtime.trackers, notifier=hooks.ticket_notifier)
    return {"checked": report.checked, "closed": report.closed, "notified": report.notified, "errors": report.errors}


def remind_tickets(runtime: Runtime, hooks: JobHooks) -> list[str]:
    """Weekly: open tickets without an owner or unchanged for two weeks, in the alert channel."""
    lines = stale_or_unowned(engine=runtime.engine)
    channel = runtime.settings.alert_channel
    if lines and hooks.publisher and channel:
        hooks.publisher.post(
            channel=channel, text="Tickets that need an owner or a nudge:\n" + "\n".join(f"• {x}" for x in lines)
        )
    return lines


def build_digest(runtime: Runtime, hooks: JobHooks, *, period: str) -> Any:
    if hooks.digest is None:
        log.info("no digest builder configured: the %s digest is skipped", period)
        return None
    return hooks.digest(period, runtime=runtime)


def default_jobs(runtime: Runtime) -> list[JobSpec]:
    """Every scheduled job for this configuration (a sync per live source and per export folder found)."""
    s = runtime.settings
    files = sorted(source.name for source in runtime.file_sources(s.exports_dir)) if s.exports_dir.exists() else []
    live = runtime.live_source_names()  # `groundswell sources add`
    specs = [
        JobSpec(
            f"sync:{name}",
            sync_source,
            timedelta(minutes=s.source_intervals.get(name, s.sync_interval_minutes)),
            f"sync source {name}",
            {"source": name, "live": name in live},
        )
        for name in sorted(set(files) | set(live))
    ]
    specs += [
        JobSpec(
            "pipeline", process_new_units, timedelta(minutes=10), "identity, duplicates, embed and classify new units"
        ),
        JobSpec("taxonomy-discovery", discover_themes, timedelta(days=1), "discover new themes for review"),
        JobSpec("spikes", detect_spikes, timedelta(minutes=s.spike_interval_minutes), "spike detection and alerts"),
        JobSpec("alerts-rollup", rollup_alerts, timedelta(weeks=1), "weekly roll-up of held-back alerts"),
        JobSpec("freshness", check_freshness, timedelta(hours=1), "stale source check"),
        JobSpec("drift", check_drift, timedelta(days=1), "classification drift check"),
        JobSpec("retention", enforce_retention, timedelta(days=1), "delete data past its retention period"),
        JobSpec("audit-retention", purge_audit, timedelta(days=1), "delete audit events past their retention"),
        JobSpec("tickets-sync", sync_tickets, timedelta(minutes=s.ticket_sync_minutes), "ticket status sync"),
        JobSpec("tickets-reminders", remind_tickets, timedelta(weeks=1), "unowned or stale tickets"),
        JobSpec("digest-daily", build_digest, timedelta(days=1), "daily digests", {"period": "daily"}),
        JobSpec("digest-weekly", build_digest, timedelta(weeks=1), "weekly digests", {"period": "weekly"}),
    ]
    return specs
