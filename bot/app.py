"""`create_app(deps)`: the Bolt app, built per process from its dependencies (never a module global)."""

from __future__ import annotations

import logging
from time import perf_counter
from typing import Any

from groundswell.bot.admin import HomeService
from groundswell.bot.answering import Responder
from groundswell.bot.deps import BotDeps
from groundswell.bot.errors import handle_error
from groundswell.bot.guards import allowed_teams_guard, retry_guard
from groundswell.bot.listeners import register_listeners
from groundswell.bot.review import ReviewService
from groundswell.bot.viewers import ViewerDirectory
from groundswell.core.errors import ConfigurationError
from groundswell.core.telemetry import NO_TELEMETRY, Telemetry
from slack_bolt import App, BoltRequest, BoltResponse

__all__ = ["AckTimedApp", "create_app", "request_kind"]

_INTERACTIVE_KINDS = {
    "block_actions": "action", "interactive_message": "action", "view_submission": "view", "view_closed": "view",
    "shortcut": "shortcut", "message_action": "shortcut", "block_suggestion": "options", "dialog_suggestion": "options",
}  # fmt: skip


def request_kind(body: dict[str, Any]) -> str:
    """The ack-latency label of a Slack request: event, command, action, view, shortcut, options or other."""
    if "command" in body:
        return "command"
    if body.get("type") == "event_callback":
        return "event"
    return _INTERACTIVE_KINDS.get(str(body.get("type")), "other")


class AckTimedApp(App):
    """Bolt's App timing each request from its arrival to the ack: with ``process_before_response=False``,
    ``dispatch`` (behind both the HTTP handler and Socket Mode) returns as soon as ``ack()`` was called."""

    def __init__(self, *, telemetry: Telemetry = NO_TELEMETRY, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.telemetry = telemetry

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        started = perf_counter()
        try:
            return super().dispatch(req)
        finally:
            self.telemetry.observe_slack_ack(request_kind(req.body), perf_counter() - started)


def create_app(deps: BotDeps) -> App:
    """The Slack app: signatures verified, unknown workspaces refused, retries dropped, one error handler."""
    if not deps.token or not deps.signing_secret:
        raise ConfigurationError(
            "the Slack app needs GROUNDSWELL_SLACK_BOT_TOKEN and GROUNDSWELL_SLACK_SIGNING_SECRET "
            "(or try it offline with `groundswell console`)"
        )
    assert deps.client is not None
    app = AckTimedApp(
        telemetry=deps.telemetry,
        name="groundswell",
        signing_secret=deps.signing_secret,
        client=deps.client,
        listener_executor=deps.executor,
        process_before_response=False,
        token_verification_enabled=False,  # checked lazily on the first request (auth.test), not at import
        logger=logging.getLogger("groundswell.bot.bolt"),
    )
    app.use(allowed_teams_guard(deps.settings.slack_allowed_teams, deps.audit))
    app.use(retry_guard(deps.cache))
    app.error(handle_error)
    viewers = ViewerDirectory(deps.settings, deps.client, deps.viewers)
    review = ReviewService(deps.engine, viewers, deps.cache, page_size=deps.settings.slack_review_page_size)
    register_listeners(app, Responder(deps, viewers), HomeService(deps.engine, viewers, review))
    return app
