"""`create_app(deps)`: the Bolt app, built per process from its dependencies (never a module global)."""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.admin import HomeService
from bot.answering import Responder
from bot.deps import BotDeps
from bot.errors import handle_error
from bot.guards import allowed_teams_guard, retry_guard
from bot.listeners import register_listeners
from bot.review import ReviewService
from bot.viewers import ViewerDirectory
from core.errors import ConfigurationError

__all__ = ["create_app"]


def create_app(deps: BotDeps) -> App:
    """The Slack app: signatures verified, unknown workspaces refused, retries dropped, one error handler."""
    if not deps.token or not deps.signing_secret:
        raise ConfigurationError(
            "the Slack app needs GROUNDSWELL_SLACK_BOT_TOKEN and GROUNDSWELL_SLACK_SIGNING_SECRET "
            "(or try it offline with `groundswell console`)"
        )
    assert deps.client is not None
    app = App(
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
