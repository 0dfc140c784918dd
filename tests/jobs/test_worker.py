"""The scheduler with TWO real worker processes on the real PostgreSQL (job store) and Redis (locks)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.redis]
# Renewed every ttl/3: 5 s tolerates a renewal thread starved for over 3 s on a heavily loaded machine.
LOCK_TTL_S = 5


def _start(tmp_path: Path, postgres_url: str, redis_url: str, log: Path, sleep: float) -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "GROUNDSWELL_DATA_DIR": str(tmp_path / "data"),
        "GROUNDSWELL_DATABASE_URL": postgres_url,
        "GROUNDSWELL_REDIS_URL": redis_url,
        "GROUNDSWELL_JOB_LOCK_TTL_S": str(LOCK_TTL_S),
        "PROBE_LOG": str(log),
        "PROBE_EVERY": "2",
        "PROBE_SLEEP": str(sleep),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "tests.jobs.worker_probe"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
    )


def _lines(log: Path) -> list[list[str]]:
    return [line.split() for line in log.read_text().splitlines()] if log.exists() else []


def _wait(log: Path, what, timeout: float = 90.0) -> list[list[str]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = _lines(log)
        if what(lines):
            return lines
        time.sleep(0.2)
    pytest.fail(f"timed out waiting; log so far: {_lines(log)}")


def _stop(*workers: subprocess.Popen) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def _runs_by(lines: list[list[str]], pid: int) -> list[list[str]]:
    return [line for line in lines if line[0] == "start" and int(line[2]) == pid]


def test_two_workers_run_each_tick_exactly_once(tmp_path, postgres_url, redis_url):
    log = tmp_path / "probe.log"
    a = _start(tmp_path, postgres_url, redis_url, log, sleep=0.3)
    b = _start(tmp_path, postgres_url, redis_url, log, sleep=0.3)
    try:
        _wait(log, lambda ls: sum(1 for x in ls if x[0] == "ready") == 2)
        first = len([x for x in _lines(log) if x[0] == "start"])
        lines = _wait(log, lambda ls: len([x for x in ls if x[0] == "start"]) >= first + 5)
        dead = [w for w in (a, b) if w.poll() is not None]
        assert not dead, f"a worker died: {dead[0].communicate()[1][-2000:] if dead else ''}"
    finally:
        _stop(a, b)
    lines = _lines(log)
    ticks = Counter(line[1] for line in lines if line[0] == "start")
    assert max(ticks.values()) == 1, f"a tick ran twice: {ticks}"
    spans = []  # (start, end) of each run; the last may have been cut short by the stop
    for i, line in enumerate(lines):
        if line[0] == "start":
            end = next((x for x in lines[i:] if x[0] == "end" and x[1] == line[2]), None)
            spans.append((float(line[3]), float(end[2]) if end else float("inf")))
    spans.sort()
    assert all(end <= next_start for (_, end), (next_start, _) in pairwise(spans)), spans


def test_the_lock_and_the_tick_mark_let_one_of_two_competing_runs_through(tmp_path, redis_url, monkeypatch):
    """Two workers firing the same tick at the same moment (threads here, each with its own Redis client)."""
    import threading
    from datetime import timedelta

    from groundswell.jobs.schedule import JobSpec
    from groundswell.jobs.worker import execute, install

    from groundswell.runtime import build_runtime
    from groundswell.settings import Settings

    runs: list[str] = []
    gate = threading.Barrier(2)

    def slow(runtime, hooks):
        runs.append(threading.current_thread().name)
        time.sleep(0.5)

    runtime = build_runtime(Settings(data_dir=tmp_path, redis_url=redis_url))
    install(runtime, specs=[JobSpec("contended", slow, timedelta(hours=1), "contended")])
    results: dict[str, str] = {}

    def worker(name: str) -> None:
        gate.wait()
        results[name] = execute("contended").status

    threads = [threading.Thread(target=worker, args=(n,), name=n) for n in ("w1", "w2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) == ["ran", "skipped"] and len(runs) == 1
    assert execute("contended").status == "skipped"  # this tick is done: a late worker does not repeat it
    assert execute("contended", force=True).status == "ran"  # `groundswell jobs run` forces a run


def test_a_crashed_lock_holder_is_taken_over_after_its_lock_expires(tmp_path, postgres_url, redis_url):
    log = tmp_path / "probe.log"
    holder = _start(tmp_path, postgres_url, redis_url, log, sleep=600)  # its first run never ends
    _wait(log, lambda ls: _runs_by(ls, holder.pid))
    other = _start(tmp_path, postgres_url, redis_url, log, sleep=0.2)
    try:
        _wait(
            log,
            lambda ls: (
                sum(1 for x in ls if x[0] == "job_probe_skipped_running_in_another_worker" and int(x[1]) == other.pid)
                >= 2
            ),
        )
        assert _runs_by(_lines(log), other.pid) == []  # the renewed lease kept it out while the holder lived
        holder.kill()  # a crash: no release, the lease expires after GROUNDSWELL_JOB_LOCK_TTL_S
        holder.wait(timeout=10)
        killed_at = time.time()
        lines = _wait(log, lambda ls: _runs_by(ls, other.pid), timeout=30)
    finally:
        _stop(holder, other)
    took_over = float(_runs_by(lines, other.pid)[0][3])
    assert took_over - killed_at < LOCK_TTL_S + 2 + 3  # lease ttl + one tick + slack
