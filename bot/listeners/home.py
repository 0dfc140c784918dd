"""App Home: published whenever a user opens the Home tab."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.admin import HomeService
from bot.errors import reported

__all__ = ["register"]


def register(app: App, home: HomeService) -> None:
    @app.event("app_home_opened")
    @reported
    def handle_home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") == "home":
            home.publish(client, event["user"])
