"""Signed requests through the real HTTP endpoint to the real Bolt app; the Web API is a spec-checked fake."""

from __future__ import annotations

from bot.loopback import TEAM_ID
from messaging.ids import ACTION_SHOW_SOURCES
from tests.bot.conftest import CHANNEL, USER


def test_slash_ask_posts_status_then_the_answer(workspace):
    response = workspace.send(workspace.sim.command("ask what are enterprise customers saying about SSO?", user=USER, channel=CHANNEL))
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
