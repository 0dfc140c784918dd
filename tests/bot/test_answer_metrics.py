"""Every answer the Slack app gives is counted for /metrics by surface and outcome, with its latency."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_api
from api.metrics import Metrics
from tests.api.test_metrics import scrape
from tests.bot.conftest import CHANNEL, DM, USER, open_workspace
from tests.fakes.slack_api import SpecCheckedSlack


def test_answers_are_counted_by_surface_and_outcome(slack_api: SpecCheckedSlack, engine, tmp_path):
    metrics = Metrics(engine=engine)
    with open_workspace(slack_api, engine, tmp_path, on_answer=metrics.observe_answer) as workspace:
        workspace.send(workspace.sim.mention("what do enterprise customers say about SSO?", user=USER, channel=CHANNEL))
        workspace.send(workspace.sim.message("and SMB?", user=USER, channel=DM))
        workspace.send(workspace.sim.command("ask what about exports?", user=USER, channel=CHANNEL))
    got = scrape(TestClient(create_api(slack=None, engine=engine, metrics=metrics)))
    for surface in ("mention", "dm", "command"):
        assert got[("groundswell_answers_total", (("outcome", "answered"), ("surface", surface)))] == 1
        assert got[("groundswell_answer_seconds_count", (("surface", surface),))] == 1
