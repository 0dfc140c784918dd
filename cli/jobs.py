"""`groundswell worker` (the scheduler in the foreground) and `groundswell jobs list|run|pause|resume`."""

from __future__ import annotations

import logging
import signal
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from groundswell.cli.common import JsonOption
from groundswell.cli.logs import setup_logging
from groundswell.cli.output import err, out, print_json
from groundswell.core.errors import ConfigurationError
from groundswell.jobs.schedule import JobSpec
from groundswell.jobs.worker import execute, install, job_status, open_job_store, run_worker, sync_job_store

from groundswell.runtime import Runtime, build_runtime
from groundswell.settings import Settings

if TYPE_CHECKING:
    from wsgiref.simple_server import WSGIServer

__all__ = ["register", "start_worker_metrics"]

jobs_app = typer.Typer(no_args_is_help=True, help="Scheduled jobs: list, run one now, pause, resume.")
JobArgument = Annotated[str, typer.Argument(help="Job id, as `groundswell jobs list` shows it.")]


def _install(runtime: Runtime) -> dict[str, JobSpec]:
    """This configuration's jobs with the Slack app's hooks (alerts, ticket news, digests; posted when a bot token
    is set)."""
    from groundswell.bot.notify import build_job_hooks

    return install(runtime, build_job_hooks(runtime))


def _runtime() -> Runtime:
    runtime = build_runtime(Settings())
    _install(runtime)  # `jobs run spikes` posts to Slack like the worker does
    return runtime


def _stored(runtime: Runtime) -> dict[str, Any]:
    """Job id -> the stored job (next run time None: paused), after bringing the store up to date."""
    specs = _install(runtime)
    sync_job_store(runtime, list(specs.values()))
    scheduler = open_job_store(runtime)
    try:
        return {job.id: job for job in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=False)


def _known(runtime: Runtime, job_id: str) -> None:
    specs = _install(runtime)
    if job_id not in specs:
        raise ConfigurationError(f"no job {job_id!r} (jobs: {', '.join(sorted(specs))})")


@jobs_app.command("list")
def list_jobs(json_output: JsonOption = False) -> None:
    """Every job with its interval, next run (none: paused) and last run."""
    runtime = build_runtime(Settings())
    specs = _install(runtime)
    stored = _stored(runtime)
    rows = []
    for job_id, spec in sorted(specs.items()):
        job = stored.get(job_id)
        next_run = job.next_run_time.isoformat() if job is not None and job.next_run_time else None
        rows.append(
            {
                "id": job_id,
                "description": spec.description,
                "every_s": int(spec.every.total_seconds()),
                "next_run": next_run,
                "paused": job is not None and job.next_run_time is None,
                "last_run": job_status(job_id),
            }
        )
    if json_output:
        print_json({"jobs": rows})
        return
    for row in rows:
        state = "paused" if row["paused"] else f"next {row['next_run']}"
        last = row["last_run"] or {}
        status = last.get("status", "-")
        out.print(f"{row['id']:<20} every {row['every_s']:>6}s {state:<33} last: {status:<7} {row['description']}")


@jobs_app.command("run")
def run(job_id: JobArgument, json_output: JsonOption = False) -> None:
    """Run one job now in this process (under its lock: skipped if a worker is running it)."""
    runtime = _runtime()
    _known(runtime, job_id)
    result = execute(job_id, force=True)
    if json_output:
        print_json(
            {
                "job": result.job,
                "status": result.status,
                "detail": result.detail,
                "seconds": round(result.seconds, 3),
                "result": result.result,
            }
        )
    else:
        out.print(f"{result.job}: {result.status} {result.detail} ({result.seconds:.1f}s)")
        if result.result is not None:
            out.print(result.result)
    if result.status == "failed":
        raise typer.Exit(1)


def _set_paused(job_id: str, paused: bool, json_output: bool) -> None:
    runtime = build_runtime(Settings())
    _known(runtime, job_id)
    _stored(runtime)
    scheduler = open_job_store(runtime)
    try:
        job = scheduler.pause_job(job_id) if paused else scheduler.resume_job(job_id)
    finally:
        scheduler.shutdown(wait=False)
    next_run = job.next_run_time.isoformat() if job is not None and job.next_run_time else None
    if json_output:
        print_json({"job": job_id, "paused": paused, "next_run": next_run})
    else:
        out.print(f"{job_id}: {'paused' if paused else f'resumed, next run {next_run}'}")


@jobs_app.command("pause")
def pause(job_id: JobArgument, json_output: JsonOption = False) -> None:
    """Stop scheduling a job (in every worker) until it is resumed."""
    _set_paused(job_id, True, json_output)


@jobs_app.command("resume")
def resume(job_id: JobArgument, json_output: JsonOption = False) -> None:
    """Schedule a paused job again."""
    _set_paused(job_id, False, json_output)


def start_worker_metrics(runtime: Runtime) -> WSGIServer | None:
    """With GROUNDSWELL_WORKER_METRICS_PORT, this worker's counters (alerts, pipeline stages, …) on /metrics. The
    database's shared state is left to the app's /metrics, so no series is reported twice."""
    port = runtime.settings.worker_metrics_port
    if port is None:
        return None
    from groundswell.api.metrics import Metrics, serve_metrics

    metrics = Metrics()
    runtime.telemetry.attach(metrics)
    server = serve_metrics(metrics, host=runtime.settings.worker_metrics_host, port=port)
    err.print(f"worker metrics on http://{runtime.settings.worker_metrics_host}:{server.server_port}/metrics")
    return server


def worker(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log every job run (INFO and up).")] = False,
) -> None:
    """Run the scheduled jobs in the foreground (several workers may share one PostgreSQL and Redis)."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    runtime = build_runtime(Settings())
    handler = setup_logging(runtime)
    if not verbose:
        handler.setLevel(logging.WARNING)
    if runtime.settings.redis_url is None:
        err.print("no GROUNDSWELL_REDIS_URL: locks are per process, run a single worker")
    try:
        from groundswell.bot.notify import build_job_hooks

        start_worker_metrics(runtime)
        run_worker(runtime, build_job_hooks(runtime))
    except (KeyboardInterrupt, SystemExit):
        err.print("worker stopped")


def register(app: typer.Typer) -> None:
    """Adds `groundswell worker` and the `groundswell jobs` group."""
    app.command("worker")(worker)
    app.add_typer(jobs_app, name="jobs")
