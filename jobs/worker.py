"""The scheduler: APScheduler 3 with its job store in the database, and a Redis lease per job run.

Several workers may share one database and Redis. Each job has an explicit id, ``coalesce=True`` and
``max_instances=1``; every run takes the job's lock (``cache.lock``: a lease renewed while the job runs, so a
crashed worker's lock expires after ``job_lock_ttl_s`` and another worker takes the job over) and skips a tick
another worker already completed, so a job runs once per tick. In the embedded default the cache is in memory
and one process (``groundswell serve`` via :func:`start_in_process_scheduler`, or ``groundswell worker``) runs it.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from time import perf_counter
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from groundswell.core.errors import ConfigurationError
from groundswell.core.log_context import log_context
from groundswell.jobs.schedule import ANCHOR, JobHooks, JobSpec, default_jobs
from groundswell.storage.cache import LockNotAcquired
from groundswell.storage.db import utcnow
from groundswell.storage.jobstore import build_job_store

from groundswell.runtime import Runtime

__all__ = [
    "JobRun",
    "build_scheduler",
    "execute",
    "install",
    "job_status",
    "open_job_store",
    "run_job",
    "run_worker",
    "start_in_process_scheduler",
    "sync_job_store",
]

log = logging.getLogger(__name__)


@dataclass
class _Context:
    runtime: Runtime
    hooks: JobHooks
    specs: dict[str, JobSpec]


@dataclass
class JobRun:
    job: str
    status: str  # ran | failed | skipped
    detail: str = ""
    seconds: float = 0.0
    result: Any = None


_CONTEXT: _Context | None = None
_CONTEXT_LOCK = threading.Lock()


def install(
    runtime: Runtime, hooks: JobHooks | None = None, specs: Sequence[JobSpec] | None = None
) -> dict[str, JobSpec]:
    """Make the jobs of this process known to :func:`run_job` (the job store holds only their ids)."""
    global _CONTEXT
    chosen = list(specs) if specs is not None else default_jobs(runtime)
    with _CONTEXT_LOCK:
        _CONTEXT = _Context(runtime, hooks or JobHooks(), {spec.id: spec for spec in chosen})
        return dict(_CONTEXT.specs)


def _context() -> _Context:
    if _CONTEXT is None:
        raise ConfigurationError("no jobs installed in this process: call jobs.worker.install(runtime) first")
    return _CONTEXT


def _spec(job_id: str) -> JobSpec:
    specs = _context().specs
    if job_id not in specs:
        raise ConfigurationError(f"no job {job_id!r} (jobs: {', '.join(sorted(specs))})")
    return specs[job_id]


def execute(job_id: str, *, force: bool = False) -> JobRun:
    """Run ``job_id`` under its lock; skipped when another worker holds it or already ran this tick."""
    context, spec = _context(), _spec(job_id)
    cache, ttl = context.runtime.cache, context.runtime.settings.job_lock_ttl_s
    done_key = f"job-done:{spec.id}:{spec.tick(utcnow())}"
    started = perf_counter()
    try:
        with log_context(job=spec.id), cache.lock(f"job:{spec.id}", ttl_s=ttl, timeout_s=0) as held:
            if not force and cache.get(done_key) is not None:
                return JobRun(spec.id, "skipped", "already ran this tick")
            try:
                result = spec.func(context.runtime, context.hooks, **spec.kwargs)
            except Exception as exc:  # a job's failure is recorded and logged; the scheduler carries on
                log.exception("job %s failed", spec.id)
                run = JobRun(spec.id, "failed", f"{type(exc).__name__}: {exc}", perf_counter() - started)
            else:
                cache.set(done_key, b"1", ttl_s=2 * spec.every.total_seconds())
                run = JobRun(
                    spec.id, "ran", "lock lost while running" if held.lost else "", perf_counter() - started, result
                )
    except LockNotAcquired:
        return JobRun(spec.id, "skipped", "running in another worker")
    status = {"at": utcnow().isoformat(), "status": run.status, "detail": run.detail, "seconds": round(run.seconds, 3)}
    cache.set(f"job-last:{spec.id}", json.dumps(status).encode(), ttl_s=30 * 86_400)
    return run


def run_job(job_id: str) -> None:
    """What the job store calls (by import path) at each tick."""
    run = execute(job_id)
    log.info("job %s %s %s", run.job, run.status, run.detail)


def job_status(job_id: str) -> dict[str, Any] | None:
    raw = _context().runtime.cache.get(f"job-last:{job_id}")
    return json.loads(raw) if raw else None


def _add_jobs(scheduler: BaseScheduler, specs: Sequence[JobSpec]) -> None:
    paused = {job.id for job in scheduler.get_jobs() if job.next_run_time is None}
    for spec in specs:
        scheduler.add_job(
            run_job,
            IntervalTrigger(seconds=spec.every.total_seconds(), start_date=ANCHOR, timezone="UTC"),
            args=[spec.id],
            id=spec.id,
            name=spec.description,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=max(1, int(spec.every.total_seconds() // 2)),
        )
        if spec.id in paused:  # an operator paused it: a worker (re)starting keeps it paused
            scheduler.pause_job(spec.id)
    wanted = {spec.id for spec in specs}
    for job in scheduler.get_jobs():
        if job.id not in wanted:  # a source or job that no longer exists in this configuration
            scheduler.remove_job(job.id)


def build_scheduler(runtime: Runtime, *, blocking: bool) -> BaseScheduler:
    """A scheduler (not started) on the database job store, UTC, one instance of each job at a time."""
    kind = BlockingScheduler if blocking else BackgroundScheduler
    return kind(
        jobstores={"default": build_job_store(runtime.engine)},
        job_defaults={"coalesce": True, "max_instances": 1},
        timezone="UTC",
    )


def start_in_process_scheduler(
    runtime: Runtime, hooks: JobHooks | None = None, specs: Sequence[JobSpec] | None = None
) -> BackgroundScheduler:
    """Run the jobs inside this process (``groundswell serve`` in the embedded default); returns the scheduler."""
    installed = install(runtime, hooks, specs)
    scheduler = build_scheduler(runtime, blocking=False)
    scheduler.start(paused=True)
    _add_jobs(scheduler, list(installed.values()))
    scheduler.resume()
    return scheduler  # type: ignore[return-value]


def open_job_store(runtime: Runtime) -> BackgroundScheduler:
    """A paused scheduler on the job store: for operators to list, pause and resume jobs. Shut it down after."""
    scheduler = build_scheduler(runtime, blocking=False)
    scheduler.start(paused=True)
    return scheduler  # type: ignore[return-value]


def sync_job_store(runtime: Runtime, specs: Sequence[JobSpec]) -> None:
    """Store every job of this configuration (replacing changed ones) and drop jobs that no longer exist."""
    with runtime.cache.lock("jobstore:sync", ttl_s=60, timeout_s=120):  # workers starting together take turns
        scheduler = open_job_store(runtime)
        try:
            _add_jobs(scheduler, specs)
        finally:
            scheduler.shutdown(wait=False)


def run_worker(runtime: Runtime, hooks: JobHooks | None = None, specs: Sequence[JobSpec] | None = None) -> None:
    """``groundswell worker``: run the scheduler in the foreground until interrupted (SIGINT/SIGTERM)."""
    installed = install(runtime, hooks, specs)
    sync_job_store(runtime, list(installed.values()))
    log.info("worker: %d jobs: %s", len(installed), ", ".join(sorted(installed)))
    build_scheduler(runtime, blocking=True).start()
