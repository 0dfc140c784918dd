"""A real worker process for the scheduler tests: `run_worker` with a single probe job.

Environment: PROBE_LOG (file every worker appends to), PROBE_EVERY (seconds between ticks), PROBE_SLEEP (how long
one run takes), plus the usual GROUNDSWELL_* settings (PostgreSQL job store, Redis locks).
"""

from __future__ import annotations

import logging
import os
import time
from datetime import timedelta

from groundswell.jobs.schedule import JobHooks, JobSpec
from groundswell.jobs.worker import run_worker
from groundswell.storage.db import utcnow

from groundswell.runtime import Runtime, build_runtime
from groundswell.settings import Settings

LOG = os.environ["PROBE_LOG"]
EVERY = timedelta(seconds=float(os.environ.get("PROBE_EVERY", "2")))
SLEEP = float(os.environ.get("PROBE_SLEEP", "0.2"))


def _write(line: str) -> None:
    with open(LOG, "a", encoding="utf-8") as handle:
        handle.write(f"{line} {os.getpid()} {time.time():.3f}\n")


def probe(runtime: Runtime, hooks: JobHooks) -> None:
    _write(f"start {SPEC.tick(utcnow())}")
    time.sleep(SLEEP)
    _write("end")


SPEC = JobSpec("probe", probe, EVERY, "test probe")


class _Runs(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        if record.name == "groundswell.jobs.worker" and record.getMessage().startswith("job probe"):
            _write(record.getMessage().replace(" ", "_"))


if __name__ == "__main__":
    logging.getLogger("groundswell.jobs.worker").setLevel(logging.INFO)
    logging.getLogger("groundswell.jobs.worker").addHandler(_Runs())
    _write("ready")
    run_worker(build_runtime(Settings()), specs=[SPEC])
