"""Compose the Slack app from the runtime, and run it in Socket Mode."""

from __future__ import annotations

from groundswell.bot.deps import BotDeps
from groundswell.bot.digests import ChannelDigestRunner, SlackDigestPublisher
from groundswell.bot.errors import UserError
from groundswell.bot.tickets import TrackerTicketSink
from groundswell.core.answer import Answer
from groundswell.core.errors import ConfigurationError
from groundswell.core.query import Viewer
from groundswell.jobs.tickets import build_ticket_service
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

from groundswell.runtime import Runtime

__all__ = ["UnavailableAsker", "build_bot_deps", "run_socket_mode"]


class UnavailableAsker:
    """Stands in while no agent is configured: every question gets the same plain explanation."""

    def ask(self, question: str, *, viewer: Viewer, thread_id: str | None = None) -> Answer:
        raise UserError(
            "The question-answering agent is not available on this server yet.",
            "Ask an admin to update Groundswell; meanwhile `groundswell search` works from the terminal.",
        )


def build_bot_deps(runtime: Runtime, **overrides: object) -> BotDeps:
    """Dependencies from the runtime; keyword ``overrides`` replace any of them (asker, client, settings …).

    Tickets from the modal are filed through the ticket service on the configured trackers (the modal offers
    exactly those, the default first).
    """
    sink = TrackerTicketSink(build_ticket_service(runtime))
    values: dict[str, object] = {
        "settings": runtime.settings,
        "engine": runtime.engine,
        "cache": runtime.cache,
        "ticket_sink": sink,
        "ticket_trackers": sink.trackers,
        "viewers": runtime.viewers,  # the agent's named viewers
        "audit": runtime.audit,
        "telemetry": runtime.telemetry,
    }
    values.update(overrides)
    if "asker" not in values:
        values["asker"] = runtime.agent
    deps = BotDeps(**values)  # type: ignore[arg-type]
    if "digest" not in overrides:  # `/groundswell digest now` posts with the app's own client
        deps.digest = ChannelDigestRunner(runtime, lambda: SlackDigestPublisher(deps.client))  # type: ignore[arg-type]
    return deps


def run_socket_mode(app: App, app_token: str | None) -> None:
    """Connect to Slack over a WebSocket (no public URL needed) and serve until interrupted."""
    if not app_token:
        raise ConfigurationError("Socket Mode needs GROUNDSWELL_SLACK_APP_TOKEN (an xapp-… app-level token)")
    SocketModeHandler(app, app_token).start()
