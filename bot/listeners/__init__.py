"""Listeners, one module per feature; `register_listeners` wires them all into an App."""

from __future__ import annotations

from groundswell.bot.admin import HomeService
from groundswell.bot.answering import Responder
from groundswell.bot.listeners import actions, commands, home, mentions, review, views, workflow
from slack_bolt import App

__all__ = ["register_listeners"]


def register_listeners(app: App, responder: Responder, home_service: HomeService) -> None:
    commands.register(app, responder)
    mentions.register(app, responder)
    actions.register(app, responder, home_service)
    views.register(app, responder, home_service)
    home.register(app, home_service)
    review.register(app, home_service)
    workflow.register(app, responder)
