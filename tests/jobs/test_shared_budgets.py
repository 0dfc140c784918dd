"""A live source's daily allowance holds across consecutive runs and across workers (two runtimes, one
database): the budget lives in the database (or Redis), not in the run."""

from __future__ import annotations

from groundswell.jobs.schedule import JobHooks, sync_source
from groundswell.storage.db import session_scope
from groundswell.storage.sources import update_source

from tests.connectors.http.conftest import make_runtime
from tests.fakes import gong


def _add(runtime, name: str, url: str, calls_per_day: int) -> None:
    config = {"type": "gong", "options": {"calls_per_day": calls_per_day}, "base_url": url}
    with session_scope(runtime.engine) as session:
        update_source(session=session, name=name, kind="api", cadence_s=3600, config=config)


def _sync(runtime, fake: gong.FakeGong, name: str) -> tuple[dict, int]:
    before = len(fake.server.log)
    summary = sync_source(runtime, JobHooks(), source=name, live=True)
    return summary, len(fake.server.log) - before


def test_a_daily_allowance_holds_across_runs_and_workers(tmp_path, monkeypatch):
    for name in ("PROBE", "CRM"):
        monkeypatch.setenv(f"GROUNDSWELL_{name}_ACCESS_KEY", gong.ACCESS_KEY)
        monkeypatch.setenv(f"GROUNDSWELL_{name}_ACCESS_KEY_SECRET", gong.SECRET)
    fake = gong.FakeGong(page_size=2)
    for i in range(3):
        fake.add_call(f"90{i}", [("cust", f"Alerts arrive late {i}")])
    worker_one, worker_two = make_runtime(None, tmp_path), make_runtime(None, tmp_path)  # one database
    with fake.server:
        _add(worker_one, "probe", fake.server.url, 10_000)
        _, full_run = _sync(worker_one, fake, "probe")  # what one full sync costs
        _add(worker_one, "crm", fake.server.url, full_run)  # the day allows exactly one full sync
        first, used = _sync(worker_one, fake, "crm")
        assert used == full_run and not first["errors"]
        second, used_two = _sync(worker_two, fake, "crm")  # another worker, its own runtime and store
        again, used_again = _sync(worker_one, fake, "crm")  # the next run of the first worker
    assert used_two == 0 and used_again == 0  # in-process budgets would have let both through
    assert "rate limit" in str(second["errors"]["crm"]).lower()
    assert "rate limit" in str(again["errors"]["crm"]).lower()
