"""Stale and failing sources are told to the admins once per episode, through the Slack hooks (spec-checked
fake)."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from groundswell.api.app import create_api
from groundswell.api.metrics import Metrics
from groundswell.bot.deps import build_web_client
from groundswell.bot.notify import SlackAlertPublisher
from groundswell.jobs.schedule import JobHooks, check_freshness
from groundswell.storage.db import session_scope, utcnow
from groundswell.storage.models import SyncState
from groundswell.storage.raw import ensure_source, save_sync_state

from groundswell.runtime import build_runtime
from groundswell.settings import Settings
from tests.api.test_metrics import scrape
from tests.fakes.slack_api import SpecCheckedSlack, slack_api  # noqa: F401

ADMINS = "C0ADMINS"


def _synced(runtime, hours_ago: float) -> None:
    with session_scope(runtime.engine) as session:
        state = session.get(SyncState, "zendesk") or SyncState(source="zendesk")
        state.last_success_at = utcnow() - timedelta(hours=hours_ago)
        session.add(state)


def _setup(fake: SpecCheckedSlack, tmp_path, **settings):
    runtime = build_runtime(Settings(_env_file=None, data_dir=tmp_path, **settings))
    with session_scope(runtime.engine) as session:
        ensure_source(session=session, name="zendesk", cadence_s=3600)
    hooks = JobHooks(publisher=SlackAlertPublisher(build_web_client("xoxb-test", fake.api_url)))
    return runtime, hooks


def test_one_admin_alert_per_staleness_episode(slack_api: SpecCheckedSlack, tmp_path):  # noqa: F811
    runtime, hooks = _setup(slack_api, tmp_path, admin_channel=ADMINS, alert_channel="C0ALERTS")
    metrics = Metrics(engine=runtime.engine)
    runtime.telemetry.attach(metrics)
    _synced(runtime, hours_ago=2)
    for _ in range(3):  # hourly checks while it stays stale: each reports it, only the first tells
        (note,) = check_freshness(runtime, hooks)
        assert note.startswith("zendesk: last successful sync")
    first = slack_api.messages(ADMINS)
    assert len(first) == 1 and "zendesk: last successful sync" in first[0].text
    got = scrape(TestClient(create_api(slack=None, engine=runtime.engine, metrics=metrics)))
    assert got[("groundswell_alerts_total", (("kind", "source"), ("outcome", "sent"), ("reason", "")))] == 1
    assert got[("groundswell_alerts_total", (("kind", "source"), ("outcome", "held"), ("reason", "already_told")))] == 2
    assert not slack_api.messages("C0ALERTS")  # operator news goes to the admins, not the spike channel

    _synced(runtime, hours_ago=0)  # recovered: nothing to tell
    assert check_freshness(runtime, hooks) == []
    _synced(runtime, hours_ago=1.5)  # stale again after a newer success: a new episode
    check_freshness(runtime, hooks)
    check_freshness(runtime, hooks)
    assert len(slack_api.messages(ADMINS)) == 2


def test_a_never_synced_source_is_told_once_and_a_refused_post_is_retried(slack_api: SpecCheckedSlack, tmp_path):  # noqa: F811
    runtime, hooks = _setup(slack_api, tmp_path, alert_channel="C0ALERTS")  # no admin channel: the alert channel
    slack_api.refuse("chat.postMessage", "channel_not_found")
    assert check_freshness(runtime, hooks) == ["zendesk: never synced"]
    assert not slack_api.messages("C0ALERTS")
    slack_api._refuse.clear()  # Slack accepts again: the episode was not marked told, so the next check tells it
    check_freshness(runtime, hooks)
    check_freshness(runtime, hooks)
    told = slack_api.messages("C0ALERTS")
    assert len(told) == 1 and "zendesk: never synced" in told[0].text


def test_without_a_channel_nothing_is_posted_but_the_notes_are_returned(slack_api: SpecCheckedSlack, tmp_path):  # noqa: F811
    runtime, hooks = _setup(slack_api, tmp_path)
    assert check_freshness(runtime, hooks) == ["zendesk: never synced"]
    assert not slack_api.calls_to("chat.postMessage")


def test_a_failing_source_is_told_once_until_it_recovers_and_fails_again(slack_api: SpecCheckedSlack, tmp_path):  # noqa: F811
    runtime, hooks = _setup(slack_api, tmp_path, admin_channel=ADMINS)
    _synced(runtime, hours_ago=0)
    with session_scope(runtime.engine) as session:
        save_sync_state(session=session, source="zendesk", checkpoint=None, counts={}, error="HTTP 401 on GET /x")
    for _ in range(3):
        assert check_freshness(runtime, hooks) == []  # fresh, but failing
    (told,) = slack_api.messages(ADMINS)
    assert "Sync failing" in told.text and "HTTP 401" in told.text
    with session_scope(runtime.engine) as session:  # a success, then a new failure: a new episode
        save_sync_state(session=session, source="zendesk", checkpoint={}, counts={})
    check_freshness(runtime, hooks)
    with session_scope(runtime.engine) as session:
        save_sync_state(session=session, source="zendesk", checkpoint=None, counts={}, error="HTTP 503")
    check_freshness(runtime, hooks)
    check_freshness(runtime, hooks)
    assert [m.text.count("Sync failing") for m in slack_api.messages(ADMINS)] == [1, 1]
