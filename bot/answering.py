"""Answer a question where it was asked: status first, then the answer in its place; everything stored."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from groundswell.bot.deps import BotDeps
from groundswell.bot.errors import STATUS_KEY
from groundswell.bot.viewers import ViewerDirectory
from groundswell.core.answer import Answer
from groundswell.core.audit import ask_via
from groundswell.messaging.answer import answer_blocks, answer_fallback_text, working_blocks
from groundswell.storage.db import session_scope
from groundswell.storage.models import SlackChannelSetting
from groundswell.storage.slack import get_answer, get_channel_setting, save_answer
from slack_bolt import BoltContext
from slack_sdk import WebClient

__all__ = ["Render", "Responder", "answer_outcome", "thread_id_of"]

Render = Callable[..., list[dict[str, Any]]]  # (answer, *, answer_id) -> blocks


def answer_outcome(answer: Answer) -> str:
    """The metrics label of an answer: clarified (asked back), fallback (LLM prose not used), or answered."""
    if answer.clarification:
        return "clarified"
    return "fallback" if answer.fallback else "answered"


def thread_id_of(team: str, channel: str, thread_ts: str) -> str:
    """The agent's conversation key: one per Slack thread."""
    return f"{team}:{channel}:{thread_ts}"


class Responder:
    """The one answering flow every surface (slash command, mention, DM, thread) goes through."""

    def __init__(self, deps: BotDeps, viewers: ViewerDirectory) -> None:
        self.deps = deps
        self.viewers = viewers

    def channel_setting(self, team: str, channel: str) -> SlackChannelSetting:
        with session_scope(self.deps.engine) as session:
            return get_channel_setting(session=session, team_id=team, channel_id=channel)

    def post(self, client: WebClient, *, channel: str, **kwargs: Any) -> dict[str, Any]:
        """chat.postMessage, paced per channel (HTTP 429 is waited out by the client's retry handler)."""
        assert self.deps.pacer is not None
        self.deps.pacer.wait(channel)
        return client.chat_postMessage(channel=channel, **kwargs).data  # type: ignore[return-value]

    def _ask(self, question: str, *, team: str, channel: str, user: str, thread_id: str, surface: str) -> Answer:
        started = time.perf_counter()
        outcome = "error"
        try:
            segment = self.channel_setting(team, channel).default_segment
            viewer = self.viewers.viewer_for(user, segment=segment)
            answer = ask_via(
                self.deps.asker, question, viewer=viewer, thread_id=thread_id, surface="slack", user_id=user
            )
            outcome = answer_outcome(answer)
            return answer
        finally:
            self.deps.telemetry.observe_answer(surface, outcome, time.perf_counter() - started)

    def _store(self, answer: Answer, *, team: str, channel: str, user: str, thread_id: str, ts: str | None) -> str:
        answer_id = uuid.uuid4().hex[:16]
        with session_scope(self.deps.engine) as session:
            save_answer(
                session=session, answer_id=answer_id, team_id=team, channel_id=channel, user_id=user,
                answer=answer.model_dump(mode="json"), thread_id=thread_id, message_ts=ts,
            )  # fmt: skip
        return answer_id

    def answer_in_channel(
        self, *, client: WebClient, context: BoltContext, team: str, channel: str, user: str, question: str,
        thread_ts: str | None = None, render: Render = answer_blocks, surface: str = "channel",
    ) -> str:  # fmt: skip
        """Post "working on it" (in ``thread_ts`` if given), ask, then replace the status with the answer.
        ``surface`` (mention, dm, thread, command) labels the answer in the metrics."""
        status = self.post(
            client, channel=channel, thread_ts=thread_ts, text="Working on it…", blocks=working_blocks(question)
        )
        ts = str(status["ts"])
        context[STATUS_KEY] = (channel, ts)
        thread_id = thread_id_of(team, channel, thread_ts or ts)
        answer = self._ask(question, team=team, channel=channel, user=user, thread_id=thread_id, surface=surface)
        answer_id = self._store(answer, team=team, channel=channel, user=user, thread_id=thread_id, ts=ts)
        client.chat_update(
            channel=channel, ts=ts, text=answer_fallback_text(answer), blocks=render(answer, answer_id=answer_id)
        )
        context.pop(STATUS_KEY, None)
        return answer_id

    def answer_ephemeral(
        self, *, context: BoltContext, team: str, channel: str, user: str, question: str, conversation: str,
        render: Render = answer_blocks,
    ) -> str:  # fmt: skip
        """The same flow through the command's response_url: only the asker sees status and answer."""
        respond = context.respond
        assert respond is not None
        respond(text="Working on it…", blocks=working_blocks(question), response_type="ephemeral")
        context[STATUS_KEY] = ("respond", "")
        thread_id = thread_id_of(team, channel, conversation)
        answer = self._ask(question, team=team, channel=channel, user=user, thread_id=thread_id, surface="command")
        answer_id = self._store(answer, team=team, channel=channel, user=user, thread_id=thread_id, ts=None)
        respond(
            text=answer_fallback_text(answer), blocks=render(answer, answer_id=answer_id),
            response_type="ephemeral", replace_original=True,
        )  # fmt: skip
        context.pop(STATUS_KEY, None)
        return answer_id

    def require_admin(self, user: str, *, action: str, what: str) -> None:
        """UserError (and an audited denial) unless ``user`` has an admin role; ``what``: "review discovered themes"."""
        from groundswell.bot.errors import UserError

        if not self.viewers.is_admin(user):
            self.deps.deny(user=user, action=action, reason="admin only", code="admin_only")
            raise UserError(f"Only admins can {what}.", "Ask an admin, or use the CLI.")

    def load(self, answer_id: str) -> tuple[Answer, str | None, str]:
        """A stored answer, its thread id and its channel; UserError when it is gone."""
        from groundswell.bot.errors import UserError

        with session_scope(self.deps.engine) as session:
            row = get_answer(session=session, answer_id=answer_id)
            if row is None:
                raise UserError("I can't find that answer any more.", "Ask the question again.")
            return Answer.model_validate(row.answer), row.thread_id, row.channel_id
