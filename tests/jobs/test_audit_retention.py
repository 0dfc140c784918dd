"""The daily audit-retention job deletes access events past GROUNDSWELL_AUDIT_RETENTION_DAYS, and only those."""

from __future__ import annotations

from datetime import timedelta

from groundswell.core.audit import AuditEntry
from groundswell.jobs.schedule import JobHooks, default_jobs
from groundswell.jobs.worker import execute, install
from groundswell.storage.db import session_scope, utcnow
from groundswell.storage.models import AccessEvent
from sqlmodel import select

from groundswell.runtime import build_runtime
from groundswell.settings import Settings


def _event(viewer: str, age_days: float) -> AccessEvent:
    entry = AuditEntry(kind="question", surface="cli", viewer=viewer, action="ask", outcome="answered", text="q")
    fields = {k: v for k, v in entry.__dict__.items()}
    return AccessEvent(**fields, created_at=utcnow() - timedelta(days=age_days))


def test_the_audit_retention_job_purges_only_events_past_the_setting(tmp_path):
    runtime = build_runtime(Settings(data_dir=tmp_path, audit_retention_days=30, _env_file=None))
    with session_scope(runtime.engine) as session:
        session.add_all([_event("old", 31), _event("recent", 29), _event("today", 0)])
    specs = {spec.id: spec for spec in default_jobs(runtime)}
    assert specs["audit-retention"].every == timedelta(days=1)
    install(runtime, JobHooks())
    run = execute("audit-retention", force=True)
    assert run.status == "ran" and run.result == 1
    with session_scope(runtime.engine) as session:
        assert sorted(e.viewer for e in session.exec(select(AccessEvent))) == ["recent", "today"]


def test_retention_defaults_to_a_year():
    assert Settings(_env_file=None).audit_retention_days == 365
