"""One error handler: every failure a user can see is explained in plain words with what to do next."""

from __future__ import annotations

import functools
import inspect
import logging
import uuid
from collections.abc import Callable
from typing import Any

from groundswell.core.errors import ConfigurationError, GroundswellError, StorageError
from groundswell.messaging.blockkit import truncate
from groundswell.messaging.notices import error_blocks
from groundswell.storage.cache import LockNotAcquired
from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

__all__ = ["STATUS_KEY", "UserError", "explain", "handle_error", "reported"]

log = logging.getLogger("groundswell.bot")
STATUS_KEY = "gs_status"  # context key: (channel, ts) of the "working on it" message to replace on failure

_SLACK_ERRORS = {
    "not_in_channel": (
        "I'm not a member of this channel, so I can't post here.",
        "Invite me with `/invite @Groundswell` and ask again.",
    ),
    "channel_not_found": ("I can't see this channel.", "Invite me to it, or ask me in a DM."),
    "is_archived": ("This channel is archived.", "Ask in an active channel or DM me."),
    "ratelimited": ("Slack asked me to slow down and I ran out of retries.", "Wait a minute and ask again."),
    "invalid_auth": ("My Slack token was refused.", "Ask an admin to check GROUNDSWELL_SLACK_BOT_TOKEN."),
    "missing_scope": (
        "My Slack app lacks a permission it needs.",
        "Ask an admin to reinstall the app from slack/manifest.yml.",
    ),
}


class UserError(GroundswellError):
    """A failure whose message is already written for the user, with its next step."""

    def __init__(self, problem: str, next_step: str) -> None:
        super().__init__(problem)
        self.problem, self.next_step = problem, next_step


def explain(error: BaseException) -> tuple[str, str]:
    """(what went wrong, what to do next), in plain words."""
    if isinstance(error, UserError):
        return error.problem, error.next_step
    if isinstance(error, SlackApiError):
        code = str(error.response.get("error", "")) if error.response is not None else ""
        return _SLACK_ERRORS.get(
            code,
            (
                f"Slack refused one of my requests ({code or 'unknown error'}).",
                "Try again; if it keeps happening, tell an admin.",
            ),
        )
    if isinstance(error, LockNotAcquired):
        return "I'm already working on that request.", "Wait a few seconds for the first one to finish."
    if isinstance(error, ConfigurationError):
        return f"Groundswell is not fully set up: {truncate(str(error), 300)}", "Ask an admin to check the settings."
    if isinstance(error, StorageError):
        return "I couldn't reach my database.", "Try again in a minute; if it keeps happening, tell an admin."
    if isinstance(error, GroundswellError):
        return f"I couldn't answer that: {truncate(str(error), 300)}", "Rephrase the question or try again later."
    return "Something went wrong on my side while handling that.", "Try again; if it happens again, tell an admin."


def _where(body: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(channel, user, thread_ts) of the request, whatever its kind."""
    event = body.get("event") or {}
    if event:
        return event.get("channel"), event.get("user"), event.get("thread_ts") or event.get("ts")
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id")
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    message = body.get("message") or {}
    return channel, user, message.get("thread_ts")


def handle_error(
    error: Exception, body: dict[str, Any], context: BoltContext, client: WebClient, logger: logging.Logger
) -> None:
    """Bolt's global error handler: log with a reference, then tell the user where they asked."""
    reference = uuid.uuid4().hex[:8]
    problem, next_step = explain(error)
    if not isinstance(error, UserError):
        logger.error("slack request failed (ref %s): %s", reference, error, exc_info=error)
        next_step = f"{next_step} (reference {reference})"
    blocks, text = error_blocks(problem, next_step), f"{problem} {next_step}"
    channel, user, thread_ts = _where(body)
    try:
        status = context.get(STATUS_KEY)
        if status and status[0] == "respond":
            context.respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=True)
        elif status:
            client.chat_update(channel=status[0], ts=status[1], text=text, blocks=blocks)
        elif body.get("response_url") or context.get("response_url"):
            context.respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)
        elif channel and user and not str(channel).startswith("D"):
            client.chat_postEphemeral(channel=channel, user=user, text=text, blocks=blocks, thread_ts=thread_ts)
        elif channel:
            client.chat_postMessage(channel=channel, text=text, blocks=blocks, thread_ts=thread_ts)
        elif user:
            client.chat_postMessage(channel=user, text=text, blocks=blocks)
    except Exception as exc:  # the report itself failed: the log is all that is left
        logger.error("could not tell the user about failure %s: %s", reference, exc)


_REPORT_ARGS = ("ack", "body", "context", "client", "logger")


def reported(listener: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``listener`` and hand any failure to :func:`handle_error` ourselves.

    Bolt (1.30) resets an acknowledged request's response to None when a listener raises right after ``ack()``,
    which stalls the HTTP reply for 3 s; failing inside the listener keeps Slack's reply instant.
    """
    own = list(inspect.signature(listener).parameters)
    names = list(dict.fromkeys([*own, *_REPORT_ARGS]))

    @functools.wraps(listener)
    def run(**kwargs: Any) -> Any:
        try:
            return listener(**{k: v for k, v in kwargs.items() if k in own})
        except Exception as error:
            ack = kwargs["ack"]
            if getattr(ack, "response", None) is None:
                ack()  # failed before acknowledging: acknowledge now, the user hears from handle_error
            handle_error(error, kwargs["body"], kwargs["context"], kwargs["client"], kwargs["logger"])
            return None

    del run.__wrapped__  # type: ignore[attr-defined]  # Bolt must see the signature below, not the listener's
    run.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD) for n in names]
    )
    return run
