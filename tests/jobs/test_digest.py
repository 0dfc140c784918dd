"""Digests over a small demo corpus built by the real pipeline: the agent's numbers, scope, quiet, Slack, CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from groundswell.api.metrics import Metrics
from groundswell.bot.digests import ChannelDigestRunner, SlackDigestPublisher, digest_now
from groundswell.bot.hosting import build_bot_deps
from groundswell.bot.notify import build_job_hooks
from groundswell.cli.main import app
from groundswell.core.digest import DigestScope, arr_plan, digest_plans
from groundswell.core.query import Viewer
from groundswell.graph.tools import gather
from groundswell.jobs.digest import collect_digest, digest_targets
from groundswell.storage.db import session_scope, utcnow
from groundswell.storage.models import Ticket
from groundswell.storage.slack import add_subscription
from groundswell.storage.taxonomy import add_proposal
from pydantic import SecretStr
from typer.testing import CliRunner

from groundswell.runtime import build_runtime
from groundswell.settings import Settings
from tests.api.test_metrics import parse
from tests.fakes.slack_api import SpecCheckedSlack, slack_api  # noqa: F401 (the fixture)

pytestmark = pytest.mark.slow
DEMO_END = datetime(2026, 11, 20, tzinfo=UTC)
ADMIN = Viewer(name="test-admin", role="admin")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from groundswell.cli.data import SEED_TAXONOMY, import_seed_taxonomy
    from groundswell.demo.generate import generate_demo
    from groundswell.demo.tenant import demo_settings_overrides
    from groundswell.jobs.pipeline import run_pipeline

    data_dir = tmp_path_factory.mktemp("gs-digest")
    runtime = build_runtime(Settings(data_dir=data_dir, _env_file=None, **demo_settings_overrides({})))
    exports = runtime.settings.exports_dir
    generate_demo(exports, seed=3, records=500, end=DEMO_END)
    import_seed_taxonomy(runtime, exports / SEED_TAXONOMY)
    run_pipeline(runtime=runtime, sources=runtime.file_sources(exports))
    as_of = datetime.fromisoformat(json.loads((exports / "_truth" / "truth.json").read_text())["as_of"])
    with session_scope(runtime.engine) as session:  # discovery proposed a theme the day before: not a quiet week
        add_proposal(session=session, name="Dark mode flicker", size=12).created_at = as_of - timedelta(days=1)
    return runtime, as_of, data_dir


def test_weekly_digest_numbers_equal_the_agents_for_the_same_plans(demo):
    runtime, as_of, _ = demo
    context = runtime.agent_context(as_of=as_of)
    scope = DigestScope()
    digest = collect_digest(
        tools=context.tools, engine=runtime.engine, viewer=ADMIN, channel="C1", scope=scope, period="weekly",
        as_of=as_of,
    )  # fmt: skip
    plans = digest_plans("weekly", as_of, scope)
    top = gather(context, plans.top, ADMIN).results[0]
    assert digest.top and [(r.key, r.count) for r in digest.top] == [(r.key, r.count) for r in top.rows]
    total = gather(context, plans.total, ADMIN).results[0].rows[0]
    assert (digest.total, digest.previous_total) == (total.count, int(total.previous or 0))
    movers = {r.key: (r.count, r.previous) for r in gather(context, plans.movers, ADMIN).results[0].rows}
    assert all(movers[m.key] == (m.count, m.previous) for m in digest.movers)
    assert not digest.quiet and [t.name for t in digest.new_themes] == ["Dark mode flicker"]
    arr = gather(context, arr_plan("weekly", as_of, scope, [r.key for r in digest.top]), ADMIN).results[0]
    assert digest.arr_at_stake == arr.total and digest.arr_accounts == arr.meta["accounts"] > 0
    assert len(digest.quotes) == 3 and all(q.unit_id for q in digest.quotes)
    assert len(digest.trends) == 3 and len(digest.trends[0].counts) == 8
    assert digest.trends[0].counts[-1] == digest.top[0].count  # the last weekly bucket is the digest's week


def test_quiet_when_nothing_moved_and_tickets_on_top_themes(demo):
    runtime, as_of, _ = demo
    context = runtime.agent_context(as_of=as_of)
    quiet = collect_digest(tools=context.tools, engine=runtime.engine, viewer=ADMIN, channel="C1",
                           scope=DigestScope(), period="daily", as_of=utcnow())  # fmt: skip
    assert quiet.quiet and quiet.total == 0 and not quiet.quotes and not quiet.trends  # the corpus ended long ago
    weekly = collect_digest(tools=context.tools, engine=runtime.engine, viewer=ADMIN, channel="C1",
                            scope=DigestScope(), period="weekly", as_of=as_of)  # fmt: skip
    assert not weekly.tickets
    key = weekly.top[0].key
    with session_scope(runtime.engine) as session:
        now = utcnow()
        session.add(Ticket(tracker="local", key="GS-1", title="Fix it", status="open", dedupe_key=f"theme:{key}",
                           idempotency_key="t1", owner="ana@example.com", created_at=now, updated_at=now))  # fmt: skip
        session.add(Ticket(tracker="local", key="GS-2", title="Done", status="closed", dedupe_key=f"theme:{key}",
                           idempotency_key="t2", created_at=now, updated_at=now))  # fmt: skip
    again = collect_digest(tools=context.tools, engine=runtime.engine, viewer=ADMIN, channel="C1",
                           scope=DigestScope(), period="weekly", as_of=as_of)  # fmt: skip
    assert [(t.reference, t.theme, t.owner) for t in again.tickets] == [
        ("GS-1", weekly.top[0].label, "ana@example.com")
    ]


def test_subscriptions_scope_the_digest_and_the_channel_viewer(demo):
    runtime, as_of, _ = demo
    context = runtime.agent_context(as_of=as_of)
    everything = collect_digest(tools=context.tools, engine=runtime.engine, viewer=ADMIN, channel="C1",
                                scope=DigestScope(), period="weekly", as_of=as_of)  # fmt: skip
    theme = everything.top[1].key
    with session_scope(runtime.engine) as session:
        add_subscription(session=session, team_id="T1", channel_id="CSCOPE", user_id="U1", kind="theme", value=theme)
    [target] = digest_targets(engine=runtime.engine, channel="CSCOPE")
    assert target.scope.themes == [theme]
    scoped = collect_digest(tools=context.tools, engine=runtime.engine, viewer=ADMIN, channel="CSCOPE",
                            scope=target.scope, period="weekly", as_of=as_of)  # fmt: skip
    assert scoped.total == everything.top[1].count and [r.key for r in scoped.top] == [theme]
    segment_only = Viewer(name="ent", segments=frozenset({"enterprise"}))
    narrow = collect_digest(tools=context.tools, engine=runtime.engine, viewer=segment_only, channel="C1",
                            scope=DigestScope(), period="weekly", as_of=as_of)  # fmt: skip
    assert narrow.total < everything.total


def test_digests_post_to_slack_with_the_chart(demo, slack_api: SpecCheckedSlack):  # noqa: F811
    runtime, as_of, _ = demo
    token = SecretStr("xoxb-test")
    settings = runtime.settings.model_copy(
        update={"slack_bot_token": token, "slack_api_url": slack_api.api_url, "agent_as_of": as_of}
    )
    runtime.settings = settings
    with session_scope(runtime.engine) as session:
        add_subscription(session=session, team_id="T1", channel_id="CPOST", user_id="U2", kind="segment",
                         value="enterprise")  # fmt: skip
    metrics = Metrics()
    runtime.telemetry.attach(metrics)
    try:
        hooks = build_job_hooks(runtime)
        assert hooks.digest is not None
        result = hooks.digest("weekly", runtime=runtime)
        assert result["channels"] >= 1 and result["posted"]
        sent = ("groundswell_alerts_total", (("kind", "digest"), ("outcome", "sent"), ("reason", "")))
        assert parse(metrics.render().decode())[sent] == result["channels"]
        digest, chart = slack_api.messages("CPOST")  # the digest, then its chart
        assert digest.blocks[0]["type"] == "header" and chart.text.startswith("[file digest-trend.png]")
        [complete] = [c for c in slack_api.calls_to("files.completeUploadExternal") if c.args["channel_id"] == "CPOST"]
        assert "per week" in complete.args["initial_comment"]
        upload = slack_api.uploads[json.loads(complete.args["files"])[0]["id"]]
        assert upload["data"].startswith(b"\x89PNG\r\n\x1a\n") and upload["length"] == len(upload["data"])
        assert upload["alt_txt"].startswith("Line chart of feedback items per week")
        deps = build_bot_deps(runtime, settings=settings)
        runner = deps.digest
        assert isinstance(runner, ChannelDigestRunner)
        said = runner(channel="CNEW", requested_by="U1")
        assert "Posted" in said and slack_api.messages("CNEW")
    finally:
        runtime.settings = settings.model_copy(update={"slack_bot_token": None, "agent_as_of": None})


def test_publisher_upload_refused_leaves_the_digest_posted(demo, slack_api: SpecCheckedSlack):  # noqa: F811
    runtime, as_of, _ = demo
    slack_api.refuse("files.getUploadURLExternal", "file_uploads_disabled")
    client = build_bot_deps(runtime, settings=runtime.settings.model_copy(update={
        "slack_bot_token": SecretStr("xoxb-test"), "slack_api_url": slack_api.api_url})).client  # fmt: skip
    [done] = digest_now(runtime, "weekly", publisher=SlackDigestPublisher(client), channel="CX", as_of=as_of)
    assert done.chart and slack_api.messages("CX") and not slack_api.calls_to("files.completeUploadExternal")


def test_cli_digest_prints_offline(demo):
    _, as_of, data_dir = demo
    runner = CliRunner(env={"GROUNDSWELL_DATA_DIR": str(data_dir), "GROUNDSWELL_AGENT_AS_OF": as_of.isoformat()})
    result = runner.invoke(app, ["digest", "--period", "week", "--channel", "CSCOPE", "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["posted"] is False and payload["digests"][0]["channel"] == "CSCOPE"
    text = runner.invoke(app, ["digest", "--period", "week", "--dry-run"])
    assert text.exit_code == 0 and "# CSCOPE" in text.stdout
    bad = runner.invoke(app, ["digest", "--period", "month"])
    assert bad.exit_code != 0
