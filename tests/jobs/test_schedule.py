"""The scheduled jobs of a configuration, their ticks, the jobs themselves, and the in-process scheduler."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from groundswell.jobs.schedule import ANCHOR, JobHooks, JobSpec, default_jobs
from groundswell.jobs.worker import execute, install, start_in_process_scheduler
from groundswell.storage.db import session_scope, utcnow
from groundswell.storage.models import FeedbackUnit
from groundswell.storage.raw import ensure_source

from groundswell.runtime import build_runtime
from groundswell.settings import Settings
from tests.storage.signal_data import Row, seed


def _runtime(tmp_path, **settings):
    return build_runtime(Settings(data_dir=tmp_path, **settings))


def test_every_job_has_an_explicit_id_and_sources_get_their_own_interval(tmp_path):
    for name in ("zendesk", "gong"):
        (tmp_path / "exports" / name).mkdir(parents=True)
    runtime = _runtime(tmp_path, source_intervals={"zendesk": 15}, spike_interval_minutes=30)
    specs = {spec.id: spec for spec in default_jobs(runtime)}
    assert set(specs) == {
        *("sync:zendesk", "sync:gong", "pipeline", "taxonomy-discovery", "spikes", "alerts-rollup", "freshness"),
        *("drift", "retention", "tickets-sync", "tickets-reminders", "digest-daily", "digest-weekly"),
        "audit-retention",
    }
    assert specs["sync:zendesk"].every == timedelta(minutes=15) and specs["sync:gong"].every == timedelta(hours=1)
    assert specs["spikes"].every == timedelta(minutes=30)


def test_ticks_are_aligned_so_every_worker_agrees():
    spec = JobSpec("x", lambda *_: None, timedelta(days=1), "x")
    monday_nine = datetime(2026, 11, 30, 9, tzinfo=UTC)
    assert (
        spec.tick(monday_nine) == spec.tick(monday_nine + timedelta(hours=23, minutes=59)) == spec.tick(ANCHOR) + 1064
    )
    assert spec.tick(monday_nine - timedelta(seconds=1)) == spec.tick(monday_nine) - 1


def test_jobs_run_on_an_empty_store_without_services(tmp_path):
    runtime = _runtime(tmp_path)
    built: list[str] = []
    install(runtime, JobHooks(digest=lambda period, *, runtime: built.append(period)))
    for job in (
        "spikes",
        "tickets-sync",
        "tickets-reminders",
        "freshness",
        "drift",
        "retention",
        "audit-retention",
        "alerts-rollup",
        "digest-weekly",
    ):
        run = execute(job, force=True)
        assert run.status == "ran", (job, run.detail)
    assert built == ["weekly"]


def test_freshness_drift_and_retention_report_what_they_find(tmp_path):
    runtime = _runtime(tmp_path, retention_days=30, alert_channel="C9")
    now = utcnow()
    seed(
        runtime.engine,
        [Row("old", now - timedelta(days=40), "auth.sso"), Row("new", now - timedelta(hours=3), "auth.sso")],
    )
    with session_scope(runtime.engine) as session:
        ensure_source(session=session, name="gong")
    posts = []

    class Publisher:
        def post(self, *, channel, text, thread_ts=None, theme_key=None):
            posts.append((channel, text))
            return "ts"

    install(runtime, JobHooks(publisher=Publisher()))
    assert execute("freshness", force=True).result == ["gong: never synced", "zendesk: never synced"]
    assert [c for c, _ in posts] == ["C9", "C9"]
    execute("freshness", force=True)
    assert len(posts) == 2  # told once per staleness episode
    removed = execute("retention", force=True).result["zendesk"]
    assert removed["feedback_unit"] == removed["raw_record"] == removed["classification"] == 1
    with session_scope(runtime.engine) as session:
        assert session.get(FeedbackUnit, "old") is None and session.get(FeedbackUnit, "new") is not None
    assert execute("drift", force=True).result["taxonomy_version"] == 1


def test_a_failing_job_is_recorded_not_raised(tmp_path):
    def boom(runtime, hooks):
        raise ValueError("nope")

    install(_runtime(tmp_path), specs=[JobSpec("boom", boom, timedelta(hours=1), "fails")])
    run = execute("boom")
    assert (run.status, run.detail) == ("failed", "ValueError: nope")
    assert execute("boom").status == "failed"  # a failed tick is not marked done: the next attempt runs again


def test_in_process_scheduler_runs_jobs_on_their_ticks(tmp_path):
    ran: list[float] = []
    spec = JobSpec("beat", lambda runtime, hooks: ran.append(time.monotonic()), timedelta(seconds=1), "beat")
    scheduler = start_in_process_scheduler(_runtime(tmp_path), specs=[spec])
    try:
        deadline = time.monotonic() + 20
        while len(ran) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [job.id for job in scheduler.get_jobs()] == ["beat"]
    finally:
        scheduler.shutdown(wait=False)
    assert len(ran) >= 2
