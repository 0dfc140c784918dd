"""Label review from Slack: the App Home queue's selects and buttons, the sources page's "Review labels" overflow
and the review modal. Every decision is checked (reviewer role, the unit within the reviewer's scope) and stored
once; the Home tab is republished after each one."""

from __future__ import annotations

import json
import re
from typing import Any

from groundswell.bot.admin import HomeService
from groundswell.bot.errors import UserError, reported
from groundswell.bot.review import ReviewService
from groundswell.messaging.ids import (
    ACTION_REVIEW_CONFIRM,
    ACTION_REVIEW_INTENT,
    ACTION_REVIEW_OPEN,
    ACTION_REVIEW_SENTIMENT,
    ACTION_REVIEW_SKIP,
    ACTION_REVIEW_THEME,
    REVIEW_BLOCK,
    VIEW_REVIEW,
    ReviewField,
)
from groundswell.messaging.review import review_modal
from slack_bolt import Ack, App
from slack_sdk import WebClient

__all__ = ["register", "selected"]


def selected(values: dict[str, Any], block_id: str, action_id: str) -> str | None:
    """The value of a static select in a view's ``state.values`` (None when nothing is selected)."""
    state = (values.get(block_id) or {}).get(action_id) or {}
    return (state.get("selected_option") or {}).get("value")


def _service(home: HomeService) -> ReviewService:
    if home.review is None:
        raise UserError("Label review is not set up on this server.", "Use `groundswell review` in the CLI.")
    return home.review


def register(app: App, home: HomeService) -> None:
    @app.action(re.compile(f"^({ACTION_REVIEW_THEME}|{ACTION_REVIEW_INTENT}):"))
    def handle_review_select(ack: Ack) -> None:
        ack()  # a select only changes the view's state; the buttons next to it record the decision

    @app.action(re.compile(f"^({ACTION_REVIEW_SENTIMENT}|{ACTION_REVIEW_CONFIRM}):"))
    @reported
    def handle_review_decision(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user, action = body["user"]["id"], body["actions"][0]
        service = _service(home)
        version, _, unit_id = str(action.get("value", "")).partition("|")
        sentiment = None
        if action["action_id"].startswith(ACTION_REVIEW_SENTIMENT):
            sentiment = action["action_id"].split(":")[1]
        values = ((body.get("view") or {}).get("state") or {}).get("values") or {}
        block = f"{REVIEW_BLOCK}:{unit_id}"
        service.decide(user, unit_id, version=int(version), via="slack.home", sentiment=sentiment,
                       theme=selected(values, block, f"{ACTION_REVIEW_THEME}:{unit_id}"),
                       intent=selected(values, block, f"{ACTION_REVIEW_INTENT}:{unit_id}"))  # fmt: skip
        home.publish(client, user)

    @app.action(re.compile(f"^{ACTION_REVIEW_SKIP}:"))
    @reported
    def handle_review_skip(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user = body["user"]["id"]
        _, _, unit_id = str(body["actions"][0].get("value", "")).partition("|")
        _service(home).skip(user, unit_id)
        home.publish(client, user)

    @app.action(re.compile(f"^{ACTION_REVIEW_OPEN}:"))
    @reported
    def handle_review_open(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user, action = body["user"]["id"], body["actions"][0]
        unit_id = (action.get("selected_option") or {}).get("value") or action.get("value", "")
        line, choices = _service(home).card_for(user, str(unit_id))
        client.views_open(trigger_id=body["trigger_id"], view=review_modal(line, choices))

    @app.view(VIEW_REVIEW)
    @reported
    def handle_review_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user, values = body["user"]["id"], view["state"]["values"]
        meta = json.loads(view.get("private_metadata") or "{}")
        try:
            _service(home).decide(user, str(meta.get("unit_id", "")), version=int(meta.get("version", 0)),
                                  via="slack.sources", theme=selected(values, ReviewField.THEME, ReviewField.THEME),
                                  sentiment=selected(values, ReviewField.SENTIMENT, ReviewField.SENTIMENT),
                                  intent=selected(values, ReviewField.INTENT, ReviewField.INTENT))  # fmt: skip
        except UserError as error:
            ack(response_action="errors", errors={ReviewField.THEME: f"{error.problem} {error.next_step}"[:150]})
            return
        ack()
