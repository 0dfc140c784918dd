"""Slack surfaces beyond `ask` keep to the viewer's scope: subscriptions and `/groundswell digest now`."""

from __future__ import annotations

from groundswell.bot import digests
from groundswell.bot.digests import ChannelDigestRunner, channel_viewer
from groundswell.jobs.digest import ChannelTarget
from groundswell.storage.db import session_scope
from groundswell.storage.slack import list_subscriptions

from groundswell.runtime import Runtime
from groundswell.settings import Settings
from tests.bot.conftest import CHANNEL, USER, make_settings, open_workspace
from tests.fakes.slack_api import slack_api  # noqa: F401

SCOPES = {"restricted": {"segments": ["SMB"]}}


def test_a_restricted_user_cannot_subscribe_a_channel_to_another_segment(slack_api, engine, tmp_path):  # noqa: F811
    settings = make_settings(slack_api, data_dir=tmp_path, slack_role_scopes=SCOPES,
                             slack_user_roles={USER: "restricted"})  # fmt: skip
    with open_workspace(slack_api, engine, tmp_path, settings=settings) as workspace:
        workspace.send(workspace.sim.command("subscribe Enterprise <#C0ALERTS|alerts>", user=USER, channel=CHANNEL))
        refused = workspace.fake.calls_to("response_url")[-1].args["text"]
        workspace.send(workspace.sim.command("subscribe smb <#C0ALERTS|alerts>", user=USER, channel=CHANNEL))
        with session_scope(engine) as session:
            subs = list_subscriptions(session=session, user_id=USER)
    assert "outside what you may see" in refused and "Enterprise" in refused
    assert [(s.kind, s.value) for s in subs] == [("segment", "smb")]


def test_digest_now_is_built_within_the_requesters_scope(tmp_path, monkeypatch):
    runtime = Runtime(Settings(_env_file=None, data_dir=tmp_path, slack_role_scopes=SCOPES,
                               slack_user_roles={"U0R": "restricted"}))  # fmt: skip
    seen = []

    def fake_run_digests(*, viewer_for, **_):
        seen.append(viewer_for(ChannelTarget("C1")))
        return []

    monkeypatch.setattr(digests, "run_digests", fake_run_digests)
    runner = ChannelDigestRunner(runtime, lambda: None)
    runner(channel="C1", requested_by="U0R")
    runner(channel="C1", requested_by="U0ANYONE")
    assert [v.segments for v in seen] == [{"SMB"}, None]  # the channel's default role is unrestricted
    assert not any(v.can_reveal_pii for v in seen)
    other = channel_viewer(runtime, ChannelTarget("C1", default_segment="Enterprise"), seen[0])
    assert other.segments == frozenset()  # an Enterprise channel asked for by an SMB-only user shows nothing
