"""Signed requests through the real HTTP endpoint to the real Bolt app; the Web API is a spec-checked fake."""

from __future__ import annotations

import json
import time

from groundswell.bot.loopback import TEAM_ID
from groundswell.bot.simulate import SlackSimulator
from groundswell.messaging.ids import ACTION_SHOW_SOURCES

from tests.bot.conftest import CHANNEL, DM, SECRET, USER
from tests.fakes.slack_api import payload_templates


def test_slash_ask_posts_status_then_the_answer(workspace):
    response = workspace.send(
        workspace.sim.command("ask what are enterprise customers saying about SSO?", user=USER, channel=CHANNEL)
    )
    assert response.status_code == 200 and response.text == ""
    posts = workspace.fake.calls_to("chat.postMessage")
    updates = workspace.fake.calls_to("chat.update")
    assert len(posts) == 1 and "Working on it" in posts[0].args["text"]
    assert len(updates) == 1 and updates[0].args["ts"] == workspace.last_message().ts
    message = workspace.last_message()
    assert message.text == "SSO login problems lead enterprise feedback"
    workspace.button(message.blocks, ACTION_SHOW_SOURCES)
    question, viewer, thread_id = workspace.asker.calls[0]
    assert question == "what are enterprise customers saying about SSO?"
    assert viewer.name == f"slack:{USER}" and viewer.role == "member"
    assert thread_id == f"{TEAM_ID}:{CHANNEL}:{message.ts}"


def test_unknown_input_gets_help_in_the_ack(workspace):
    response = workspace.send(workspace.sim.command("florp the widgets", user=USER, channel=CHANNEL))
    body = response.json()
    assert body["response_type"] == "ephemeral"
    assert "florp the widgets" in body["blocks"][1]["text"]["text"]
    assert any("ask <question>" in b.get("text", {}).get("text", "") for b in body["blocks"])
    assert workspace.asker.calls == [] and workspace.fake.calls_to("chat.postMessage") == []


def test_mention_answers_in_a_thread_and_follow_ups_keep_context(workspace):
    first = workspace.sim.mention("what are enterprise customers saying about SSO?", user=USER, channel=CHANNEL)
    assert workspace.send(first).status_code == 200
    mention_ts = json.loads(first.body)["event"]["ts"]
    answer = workspace.last_message()
    assert answer.thread_ts == mention_ts
    follow_up = workspace.sim.mention("and for mid-market?", user=USER, channel=CHANNEL, thread_ts=mention_ts)
    workspace.send(follow_up)
    # a plain reply in the same thread (no mention) is for the bot too: it answered there
    workspace.send(workspace.sim.message("what about last quarter?", user=USER, channel=CHANNEL,
                                         channel_type="channel", thread_ts=mention_ts))  # fmt: skip
    thread_ids = [thread_id for _, _, thread_id in workspace.asker.calls]
    assert thread_ids == [f"{TEAM_ID}:{CHANNEL}:{mention_ts}"] * 3
    assert [q for q, _, _ in workspace.asker.calls] == [
        "what are enterprise customers saying about SSO?",
        "and for mid-market?",
        "what about last quarter?",
    ]
    assert all(m.thread_ts == mention_ts for m in workspace.fake.messages(CHANNEL))


def test_top_level_chatter_and_threads_of_others_are_ignored(workspace):
    workspace.send(workspace.sim.message("lunch?", user=USER, channel=CHANNEL, channel_type="channel"))
    workspace.send(
        workspace.sim.message("hm", user=USER, channel=CHANNEL, channel_type="channel", thread_ts="1.000001")
    )
    assert workspace.asker.calls == []
    assert [c.method for c in workspace.fake.calls if c.method != "auth.test"] == []


def test_dm_is_answered_like_a_mention(workspace):
    workspace.send(workspace.sim.message("top complaints this week?", user=USER, channel=DM))
    assert [q for q, _, _ in workspace.asker.calls] == ["top complaints this week?"]
    assert workspace.last_message(DM).text == "SSO login problems lead enterprise feedback"


def test_slack_retries_of_an_event_never_answer_twice(workspace):
    request = workspace.sim.mention("top themes?", user=USER, channel=CHANNEL, event_id="Ev0RETRY1")
    workspace.send(request)
    for retry in ("1", "2"):
        response = workspace.send(request, headers={"x-slack-retry-num": retry, "x-slack-retry-reason": "http_timeout"})
        assert response.status_code == 200
    assert len(workspace.asker.calls) == 1
    assert len(workspace.fake.calls_to("chat.postMessage")) == 1


def test_bad_signature_is_refused(workspace):
    request = workspace.sim.command("ask anything", user=USER, channel=CHANNEL)
    forged = {**request.headers, "x-slack-signature": "v0=" + "0" * 64}
    response = workspace.http.post("/slack/events", content=request.body, headers=forged)
    assert response.status_code == 401
    stale = workspace.sim.sign(request.body, request.headers["content-type"], timestamp=int(time.time()) - 3600)
    assert workspace.http.post("/slack/events", content=stale.body, headers=stale.headers).status_code == 401
    assert workspace.asker.calls == []


def test_unknown_workspace_is_refused(workspace):
    stranger = SlackSimulator(SECRET, team_id="T0STRANGER", templates=payload_templates())
    response = workspace.send(stranger.command("ask anything", user=USER, channel=CHANNEL))
    assert response.status_code == 403
    assert workspace.asker.calls == [] and workspace.fake.calls_to("chat.postMessage") == []


def test_a_failing_agent_is_explained_in_plain_words(workspace):
    workspace.asker.fail = RuntimeError("tool blew up")
    workspace.send(workspace.sim.mention("top themes?", user=USER, channel=CHANNEL))
    message = workspace.last_message()
    text = " ".join(b.get("text", {}).get("text", "") for b in message.blocks if "text" in b)
    text += " ".join(e["text"] for b in message.blocks for e in b.get("elements", []) if "text" in e)
    assert "Something went wrong on my side" in text and "Try again" in text and "reference" in text
    assert "Working on it" not in message.text and "tool blew up" not in text


def test_chat_post_message_429_is_retried_after_retry_after(workspace):
    workspace.fake.throttle("chat.postMessage", times=1, retry_after_s=1)
    started = time.monotonic()
    workspace.send(workspace.sim.mention("top themes?", user=USER, channel=CHANNEL))
    posts = workspace.fake.calls_to("chat.postMessage")
    assert len(posts) == 2 and posts[1].at - posts[0].at >= 0.95
    assert time.monotonic() - started >= 1.0
    assert workspace.last_message().text == "SSO login problems lead enterprise feedback"


def test_a_channel_the_bot_is_not_in_gets_told_how_to_invite_it(workspace):
    workspace.fake.refuse("chat.postMessage", "not_in_channel")
    workspace.send(workspace.sim.command("ask top themes?", user=USER, channel=CHANNEL))
    told = workspace.fake.calls_to("response_url")
    assert len(told) == 1 and told[0].args["response_type"] == "ephemeral"
    assert "/invite @Groundswell" in json.dumps(told[0].args["blocks"])
    assert workspace.asker.calls == []
