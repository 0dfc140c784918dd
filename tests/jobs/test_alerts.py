"""The spike-alert job on stored signals: one thread per spike with updates, snooze, budget, weekly roll-up."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from groundswell.api.metrics import Metrics
from groundswell.core.errors import GroundswellError
from groundswell.jobs.alerts import post_weekly_rollup, run_spike_alerts, snooze
from groundswell.jobs.schedule import JobHooks, detect_spikes
from groundswell.storage.alerts import list_alerts
from groundswell.storage.db import create_db_engine, migrate, session_scope
from groundswell.storage.releases import add_release

from groundswell.runtime import build_runtime
from groundswell.settings import Settings
from tests.api.test_metrics import parse
from tests.storage.signal_data import Row, seed

T0 = datetime(2026, 9, 1, tzinfo=UTC)
SPIKE_AT = T0 + timedelta(days=35)


class Publisher:
    def __init__(self, fail: bool = False) -> None:
        self.posts: list[tuple[str, str, str | None]] = []
        self.themes: list[str | None] = []
        self.fail = fail

    def post(
        self, *, channel: str, text: str, thread_ts: str | None = None, theme_key: str | None = None
    ) -> str | None:
        if self.fail:
            raise GroundswellError("slack is down")
        self.posts.append((channel, text, thread_ts))
        self.themes.append(theme_key)
        return f"ts{len(self.posts)}"


def _rows() -> list[Row]:
    rng = random.Random(3)
    rows = []
    for day in range(36):
        for theme in ("auth.sso", "export.csv"):
            for _ in range(3):
                at = T0 + timedelta(days=day, seconds=rng.randrange(86_400))
                if at < SPIKE_AT:
                    rows.append(Row(f"b{len(rows)}", at, theme, f"S{rng.randrange(30)}", "smb", 10_000.0))
    for i in range(30):  # a spike: 30 in the 10 hours before SPIKE_AT, then 20 more the next hours
        rows.append(
            Row(f"s{i}", SPIKE_AT - timedelta(minutes=20 * (i + 1)), "auth.sso", f"E{i % 6}", "enterprise", 400_000.0)
        )
    for i in range(20):
        rows.append(Row(f"t{i}", SPIKE_AT + timedelta(minutes=5 * i), "auth.sso", f"E{i % 6}", "enterprise", 400_000.0))
    return rows


@pytest.fixture
def engine(tmp_path):
    engine = create_db_engine(f"sqlite:///{tmp_path / 'gs.db'}")
    migrate(engine)
    seed(engine, _rows())
    yield engine
    engine.dispose()


def test_a_spike_opens_one_thread_then_updates_it_then_resolves(engine):
    publisher = Publisher()
    first = run_spike_alerts(engine=engine, channel="C1", publisher=publisher, now=SPIKE_AT)
    assert (
        len(first.new) == 1
        and "SSO login failures" in first.new[0]
        and "6 enterprise accounts, $2.4M ARR" in first.new[0]
    )
    assert publisher.posts[0][0] == "C1" and publisher.posts[0][2] is None
    assert publisher.themes[0] is not None and publisher.themes[0].startswith("auth")  # for the Snooze buttons
    grown = run_spike_alerts(engine=engine, channel="C1", publisher=publisher, now=SPIKE_AT + timedelta(hours=1))
    assert grown.new == [] and len(grown.updated) == 1 and publisher.posts[-1][2] == "ts1"  # 30 -> 42: in the thread
    again = run_spike_alerts(engine=engine, channel="C1", publisher=publisher, now=SPIKE_AT + timedelta(hours=2))
    assert again.new == [] and again.updated == [] and len(publisher.posts) == 2  # still going, nothing new to say
    later = run_spike_alerts(engine=engine, channel="C1", publisher=publisher, now=SPIKE_AT + timedelta(days=3))
    assert later.resolved == ["theme:auth"]
    with session_scope(engine) as session:
        (alert,) = list_alerts(session=session, channel="C1")
        assert (alert.status, alert.updates, alert.thread_ts) == ("resolved", 1, "ts1")


def test_snoozed_and_over_budget_alerts_go_to_the_weekly_rollup(engine):
    snooze(engine=engine, channel="C1", theme_key="auth", hours=48, by="U1")
    publisher = Publisher()
    run = run_spike_alerts(engine=engine, channel="C1", publisher=publisher, now=SPIKE_AT)
    assert run.new == [] and len(run.suppressed) == 1 and "[snoozed]" in run.suppressed[0]
    budget = run_spike_alerts(engine=engine, channel="C2", publisher=publisher, now=SPIKE_AT, budget=0)
    assert "[budget]" in budget.suppressed[0]
    assert publisher.posts == []
    text = post_weekly_rollup(engine=engine, channel="C1", publisher=publisher)
    assert text.startswith("1 alerts held back in the last 7 days (1 snoozed)") and publisher.posts[0][1] == text
    assert post_weekly_rollup(engine=engine, channel="C1", publisher=publisher).startswith("No alerts")
    assert len(publisher.posts) == 1


def test_a_publisher_failure_still_stores_the_alert(engine):
    run = run_spike_alerts(engine=engine, channel="C1", publisher=Publisher(fail=True), now=SPIKE_AT)
    assert len(run.new) == 1
    with session_scope(engine) as session:
        (alert,) = list_alerts(session=session)
        assert alert.thread_ts is None and alert.status == "open"


def test_quiet_time_raises_nothing(engine):
    run = run_spike_alerts(engine=engine, channel="C1", now=T0 + timedelta(days=30))
    assert (run.spikes, run.new) == (0, [])


def test_the_spike_job_names_a_release_shipped_just_before(tmp_path):
    runtime = build_runtime(Settings(data_dir=tmp_path, alert_channel="C1"))
    seed(runtime.engine, _rows())
    with session_scope(runtime.engine) as session:
        add_release(session=session, name="4.12", shipped_at=SPIKE_AT - timedelta(hours=14))
    publisher = Publisher()
    result = detect_spikes(runtime, JobHooks(publisher=publisher), now=SPIKE_AT)
    assert result["new"] == 1 and "after release 4.12" in publisher.posts[0][1]


def _alerts(metrics: Metrics) -> dict[tuple[str, str, str], float]:
    got = parse(metrics.render().decode())
    return {
        (labels["kind"], labels["outcome"], labels["reason"]): value
        for (name, pairs), value in got.items()
        if name == "groundswell_alerts_total" and (labels := dict(pairs))
    }


def test_the_spike_job_counts_alerts_sent_and_held(tmp_path):
    runtime = build_runtime(Settings(data_dir=tmp_path, alert_channel="C1", _env_file=None))
    metrics = Metrics()
    runtime.telemetry.attach(metrics)
    seed(runtime.engine, _rows())
    hooks = JobHooks(publisher=Publisher())
    for hours in (0, 1, 2):  # new, then grown (posted in the thread), then still going (below the growth bar)
        detect_spikes(runtime, hooks, now=SPIKE_AT + timedelta(hours=hours))
    assert _alerts(metrics) == {("spike", "sent", ""): 1, ("spike_update", "sent", ""): 1,
                                ("spike_update", "held", "no_growth"): 1}  # fmt: skip


def test_snoozed_over_budget_failed_and_rolled_up_alerts_are_counted(engine):
    metrics = Metrics()
    snooze(engine=engine, channel="C1", theme_key="auth", hours=48, by="U1")
    run_spike_alerts(engine=engine, channel="C1", publisher=Publisher(), now=SPIKE_AT, telemetry=metrics)
    run_spike_alerts(engine=engine, channel="C2", publisher=Publisher(), now=SPIKE_AT, budget=0, telemetry=metrics)
    run_spike_alerts(engine=engine, channel="C3", publisher=Publisher(fail=True), now=SPIKE_AT, telemetry=metrics)
    run_spike_alerts(engine=engine, channel="C4", now=SPIKE_AT, telemetry=metrics)  # no Slack: stored only
    post_weekly_rollup(engine=engine, channel="C1", publisher=Publisher(), telemetry=metrics)
    assert _alerts(metrics) == {
        ("spike", "held", "snoozed"): 1, ("spike", "held", "budget"): 1, ("spike", "failed", "post_failed"): 1,
        ("spike", "held", "no_publisher"): 1, ("rollup", "sent", ""): 1,
    }  # fmt: skip
