"""What the scheduled jobs post through the Slack hooks: spike alerts with Snooze buttons (pressed through the
real endpoint), updates in the alert's thread, and ticket closures told in their thread and to the CSMs."""

from __future__ import annotations

import logging
from datetime import timedelta

from groundswell.bot.notify import SlackAlertPublisher, SlackTicketNotifier, build_job_hooks
from groundswell.core.query import Window
from groundswell.core.tickets import RoutingRules
from groundswell.jobs.alerts import run_spike_alerts
from groundswell.jobs.tickets import TicketService, sync_statuses
from groundswell.messaging.ids import ACTION_ALERT_SNOOZE
from groundswell.storage.alerts import active_snoozes
from groundswell.storage.db import session_scope, utcnow
from groundswell.storage.tickets import LocalTracker, mark_ticket_closed

from groundswell.runtime import build_runtime
from groundswell.settings import Settings
from tests.bot.conftest import CHANNEL, USER
from tests.jobs.test_alerts import SPIKE_AT, _rows
from tests.storage.signal_data import Row, seed


def test_a_spike_alert_opens_a_thread_updates_it_and_snooze_mutes_the_theme(workspace):
    seed(workspace.engine, _rows())
    publisher = SlackAlertPublisher(workspace.deps.client)
    first = run_spike_alerts(engine=workspace.engine, channel=CHANNEL, publisher=publisher, now=SPIKE_AT)
    assert len(first.new) == 1
    alert = workspace.last_message()
    assert alert.thread_ts is None and "SSO login failures" in alert.text
    element, block_id = workspace.button(alert.blocks, f"{ACTION_ALERT_SNOOZE}:24")
    theme = element["value"]
    assert theme.startswith("auth")
    grown = run_spike_alerts(engine=workspace.engine, channel=CHANNEL, publisher=publisher,
                             now=SPIKE_AT + timedelta(hours=1))  # fmt: skip
    assert len(grown.updated) == 1 and workspace.last_message().thread_ts == alert.ts  # a reply in its thread

    payload = {"ts": alert.ts, "text": alert.text, "blocks": alert.blocks}
    workspace.send(workspace.sim.block_action(element, user=USER, channel=CHANNEL, message=payload,
                                              block_id=block_id))  # fmt: skip
    told = workspace.fake.calls_to("response_url")[-1].args
    assert f"snoozed alerts on `{theme}`" in told["text"] and told["response_type"] == "in_channel"
    with session_scope(workspace.engine) as session:
        assert theme in active_snoozes(session=session, channel=CHANNEL, now=utcnow() + timedelta(hours=23))
        assert theme not in active_snoozes(session=session, channel=CHANNEL, now=utcnow() + timedelta(hours=25))


def test_a_closed_ticket_is_told_in_its_thread_and_to_mapped_csms(workspace, caplog):
    caplog.set_level(logging.INFO, logger="groundswell.bot.notify")
    now = utcnow()
    seed(workspace.engine, [Row(f"u{i}", now - timedelta(days=2, hours=i), "auth.sso", account, "enterprise", 5e4)
                            for i, account in enumerate(["ACME", "BETA", "GAMMA"])])  # fmt: skip
    workspace.fake.users["U0CSM"] = "csm@brightloop.io"
    service = TicketService(engine=workspace.engine, trackers={"local": LocalTracker(workspace.engine)},
                            routing=RoutingRules(), default_tracker="local")  # fmt: skip
    draft = service.draft_for_theme("auth.sso", window=Window(start=now - timedelta(days=30), end=now, label="30 d"),
                                    slack_channel=CHANNEL, slack_thread_ts="1700000000.000100")  # fmt: skip
    filed = service.file(draft)
    with session_scope(workspace.engine) as session:
        mark_ticket_closed(session=session, ticket_id=filed.ticket_id, status="Done", closed_at=now)
    csms = {"ACME": "csm@brightloop.io", "Account BETA": "gone@brightloop.io"}  # by CRM id or by name
    notifier = SlackTicketNotifier(workspace.deps.client, csms=csms)
    report = sync_statuses(engine=workspace.engine, trackers=service.trackers, notifier=notifier)
    assert report.notified == [filed.ticket.key]
    thread = [m for m in workspace.fake.messages(CHANNEL) if filed.ticket.key in m.text]
    assert len(thread) == 1 and thread[0].thread_ts == "1700000000.000100" and "was closed (Done)" in thread[0].text
    dm = workspace.fake.messages("U0CSM")
    assert len(dm) == 1 and "your accounts: Account ACME" in dm[0].text
    assert "gone@brightloop.io has no Slack user" in caplog.text
    assert "no CSM mapped for account Account GAMMA" in caplog.text
    sync_statuses(engine=workspace.engine, trackers=service.trackers, notifier=notifier)  # told once
    assert len(workspace.fake.calls_to("chat.postMessage")) == 2


def test_job_hooks_exist_only_with_a_bot_token(tmp_path):
    assert build_job_hooks(build_runtime(Settings(_env_file=None, data_dir=tmp_path))).publisher is None
    hooks = build_job_hooks(build_runtime(Settings(_env_file=None, data_dir=tmp_path, slack_bot_token="xoxb-1")))
    assert isinstance(hooks.publisher, SlackAlertPublisher) and isinstance(hooks.ticket_notifier, SlackTicketNotifier)
