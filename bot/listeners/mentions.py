"""Mentions in channels, DMs, and follow-ups in threads the bot answered: all answered in their thread."""

from __future__ import annotations

from typing import Any

from groundswell.bot.answering import Responder, thread_id_of
from groundswell.bot.errors import reported
from groundswell.bot.parse import strip_mentions
from groundswell.messaging.notices import help_blocks
from groundswell.storage.db import session_scope
from groundswell.storage.slack import thread_has_answer
from slack_bolt import App, BoltContext
from slack_sdk import WebClient

__all__ = ["register"]

IGNORED_SUBTYPES = {"bot_message", "message_changed", "message_deleted", "channel_join", "thread_broadcast"}


def register(app: App, responder: Responder) -> None:
    command = responder.deps.settings.slack_command

    def reply(event: dict[str, Any], team: str, client: WebClient, context: BoltContext) -> None:
        question = strip_mentions(event.get("text", ""))
        channel, thread_ts = event["channel"], event.get("thread_ts") or event["ts"]
        if not question or question.lower() in {"help", "hi", "hello"}:
            responder.post(client, channel=channel, thread_ts=thread_ts, text="Groundswell help",
                           blocks=help_blocks(command))  # fmt: skip
            return
        surface = "dm" if event.get("channel_type") == "im" else "thread" if event.get("thread_ts") else "mention"
        responder.answer_in_channel(client=client, context=context, team=team, channel=channel,
                                    user=event["user"], question=question, thread_ts=thread_ts,
                                    surface=surface)  # fmt: skip

    @app.event("app_mention")
    @reported
    def handle_mention(event: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        reply(event, body.get("team_id") or context.team_id or "", client, context)

    @app.event("message")
    @reported
    def handle_message(event: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        if event.get("subtype") in IGNORED_SUBTYPES or event.get("bot_id") or not event.get("user"):
            return
        team = body.get("team_id") or context.team_id or ""
        if event.get("channel_type") == "im":
            reply(event, team, client, context)
            return
        thread_ts = event.get("thread_ts")
        if not thread_ts or f"<@{context.bot_user_id}>" in event.get("text", ""):
            return  # top-level chatter, or a mention (answered by app_mention)
        if responder.channel_setting(team, event["channel"]).mention_only:
            return
        with session_scope(responder.deps.engine) as session:
            ours = thread_has_answer(session=session, thread_id=thread_id_of(team, event["channel"], thread_ts))
        if ours:
            reply(event, team, client, context)
