"""App Home: published whenever a user opens the Home tab."""

from __future__ import annotations

from typing import Any

from groundswell.bot.admin import HomeService
from groundswell.bot.errors import reported
from slack_bolt import App
from slack_sdk import WebClient

__all__ = ["register"]


def register(app: App, home: HomeService) -> None:
    @app.event("app_home_opened")
    @reported
    def handle_home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") == "home":
            home.publish(client, event["user"])
