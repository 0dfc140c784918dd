"""Signed Slack requests, built the way Slack sends them: used by `groundswell console`, the tests and the bench.

Payloads start from an optional template (the test suite passes Slack's published payload shapes) and get the
fields of this request filled in; without one they are built from scratch with the same keys.
"""

from __future__ import annotations

import copy
import json
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import count
from typing import Any
from urllib.parse import urlencode

from groundswell.bot.loopback import TEAM_ID
from slack_sdk.signature import SignatureVerifier

__all__ = ["SignedRequest", "SlackSimulator", "view_state"]

NOISE = ("function_data", "bot_access_token", "interactivity", "app_unfurl", "enterprise", "enterprise_id")


@dataclass(frozen=True)
class SignedRequest:
    body: str
    headers: dict[str, str]


def view_state(view: Mapping[str, Any], overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``view.state.values`` as Slack would submit the modal: initial values, replaced by ``overrides[block_id]``;
    the static selects of actions blocks too (their overrides keyed by action id)."""
    overrides = overrides or {}
    values: dict[str, Any] = {}
    for block in view.get("blocks", []):
        if block.get("type") == "actions":
            for element in block.get("elements", []):
                if element.get("type") == "static_select":
                    chosen = overrides.get(element["action_id"], (element.get("initial_option") or {}).get("value"))
                    option = next((o for o in element["options"] if o["value"] == chosen), None)
                    state = {"type": "static_select", "selected_option": option}
                    values.setdefault(block.get("block_id", ""), {})[element["action_id"]] = state
            continue
        if block.get("type") != "input":
            continue
        element, block_id = block["element"], block["block_id"]
        kind, action_id = element["type"], element["action_id"]
        given = overrides.get(block_id)
        if kind == "static_select":
            chosen = given if given is not None else (element.get("initial_option") or {}).get("value")
            option = next((o for o in element["options"] if o["value"] == chosen), None)
            state = {"type": kind, "selected_option": option}
        elif kind == "checkboxes":  # overrides: the values ticked
            ticked = given if given is not None else [o["value"] for o in element.get("initial_options", [])]
            state = {"type": kind, "selected_options": [o for o in element["options"] if o["value"] in ticked]}
        elif kind == "users_select":
            state = {"type": kind, "selected_user": given if given is not None else element.get("initial_user")}
        else:
            state = {"type": kind, "value": given if given is not None else element.get("initial_value")}
        values[block_id] = {action_id: state}
    return values


class SlackSimulator:
    """Builds and signs requests from one workspace (``team_id``) as Slack would deliver them."""

    def __init__(
        self,
        signing_secret: str,
        *,
        team_id: str = TEAM_ID,
        templates: Mapping[str, dict[str, Any]] | None = None,
        response_url: Callable[[str], str] | None = None,
        command: str = "/groundswell",
    ) -> None:
        self.verifier = SignatureVerifier(signing_secret)
        self.team_id = team_id
        self.templates = templates or {}
        self.response_url = response_url or (lambda channel: f"https://hooks.slack.com/commands/{channel}")
        self.command_name = command
        self._seq = count(1)

    # --- signing ----------------------------------------------------------------------------------------------

    def sign(self, body: str, content_type: str, *, timestamp: int | None = None) -> SignedRequest:
        ts = str(timestamp if timestamp is not None else int(time.time()))
        return SignedRequest(
            body,
            {
                "content-type": content_type,
                "x-slack-request-timestamp": ts,
                "x-slack-signature": self.verifier.generate_signature(timestamp=ts, body=body),
            },
        )

    def _base(self, name: str) -> dict[str, Any]:
        payload = copy.deepcopy(dict(self.templates.get(name, {})))
        for key in NOISE:
            payload.pop(key, None)
        return payload

    def ts(self) -> str:
        return f"{int(time.time())}.{next(self._seq):06d}"

    # --- slash commands -----------------------------------------------------------------------------------------

    def command(self, text: str, *, user: str, channel: str, channel_name: str = "general") -> SignedRequest:
        payload = self._base("command")
        payload.update(
            token="", team_id=self.team_id, team_domain="groundswell-demo", channel_id=channel,
            channel_name=channel_name, user_id=user, user_name=user.lower(), command=self.command_name,
            text=text, api_app_id="A0GROUNDS", response_url=self.response_url(channel),
            trigger_id=f"{next(self._seq)}.{uuid.uuid4().hex[:10]}", is_enterprise_install="false",
        )  # fmt: skip
        payload = {k: ("" if v is None else str(v).lower() if isinstance(v, bool) else v) for k, v in payload.items()}
        return self.sign(urlencode(payload), "application/x-www-form-urlencoded")

    # --- events ----------------------------------------------------------------------------------------------

    def event(self, event: dict[str, Any], *, template: str = "message", event_id: str | None = None) -> SignedRequest:
        payload = self._base(template)
        base_event = payload.get("event") or {}
        merged = {k: v for k, v in base_event.items() if k in {"type", "event_ts", "channel_type"}}
        merged.update(event)
        merged.setdefault("event_ts", merged.get("ts") or self.ts())
        payload.update(
            token="", team_id=self.team_id, api_app_id="A0GROUNDS", type="event_callback", event=merged,
            event_id=event_id or f"Ev{uuid.uuid4().hex[:12].upper()}", event_time=int(time.time()),
            authorizations=[{"enterprise_id": None, "team_id": self.team_id, "user_id": "U0GSBOT",
                             "is_bot": True, "is_enterprise_install": False}],
            is_ext_shared_channel=False,
        )  # fmt: skip
        payload.pop("authed_users", None)
        payload.pop("authed_teams", None)
        payload.pop("event_context", None)
        return self.sign(json.dumps(payload), "application/json")

    def mention(self, text: str, *, user: str, channel: str, thread_ts: str | None = None, **kw: Any) -> SignedRequest:
        event = {"type": "app_mention", "user": user, "text": f"<@U0GSBOT> {text}", "ts": self.ts(),
                 "channel": channel, "team": self.team_id}  # fmt: skip
        if thread_ts:
            event["thread_ts"] = thread_ts
        return self.event(event, template="app_mention", **kw)

    def message(
        self, text: str, *, user: str, channel: str, channel_type: str = "im", thread_ts: str | None = None, **kw: Any
    ) -> SignedRequest:
        event = {"type": "message", "user": user, "text": text, "ts": self.ts(), "channel": channel,
                 "channel_type": channel_type, "team": self.team_id}  # fmt: skip
        if thread_ts:
            event["thread_ts"] = thread_ts
        return self.event(event, template="message", **kw)

    def home_opened(self, *, user: str) -> SignedRequest:
        event = {"type": "app_home_opened", "user": user, "channel": f"D{user[1:]}", "tab": "home",
                 "event_ts": self.ts()}  # fmt: skip
        return self.event(event, template="app_home_opened")

    # --- interactivity ------------------------------------------------------------------------------------------

    def _interactive(self, payload: dict[str, Any]) -> SignedRequest:
        return self.sign(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def _user(self, user: str) -> dict[str, Any]:
        return {"id": user, "username": user.lower(), "name": user.lower(), "team_id": self.team_id}

    def block_action(
        self, element: dict[str, Any], *, user: str, channel: str, message: dict[str, Any] | None = None,
        block_id: str = "", ephemeral: bool = False, view: dict[str, Any] | None = None,
        selected: str | None = None, state: dict[str, Any] | None = None,
    ) -> SignedRequest:  # fmt: skip
        """A click on ``element`` (a button as the bot sent it) in a message, or in a view (App Home); for a select
        or overflow menu, choosing the option valued ``selected``. ``state``: the view's ``state.values``."""
        payload = self._base("block_actions")
        action = {"action_id": element["action_id"], "block_id": block_id, "text": element.get("text"),
                  "value": element.get("value", ""), "type": element.get("type", "button"),
                  "action_ts": self.ts()}  # fmt: skip
        if selected is not None:
            action.pop("value"), action.pop("text")
            action["selected_option"] = next(o for o in element["options"] if o["value"] == selected)
        payload.update(
            type="block_actions", team={"id": self.team_id, "domain": "groundswell-demo"}, user=self._user(user),
            api_app_id="A0GROUNDS", token="", trigger_id=f"{next(self._seq)}.{uuid.uuid4().hex[:10]}",
            actions=[action], is_enterprise_install=False, state={"values": {}},
        )  # fmt: skip
        payload.pop("view", None)
        if view is not None:
            payload["container"] = {"type": "view", "view_id": view.get("id", "V0")}
            payload["view"] = {**view, "state": {"values": state or {}}}
            payload.pop("channel", None), payload.pop("message", None), payload.pop("response_url", None)
        else:
            message = message or {}
            ts = message.get("ts", self.ts())
            payload["container"] = {"type": "message", "message_ts": ts, "channel_id": channel,
                                    "is_ephemeral": ephemeral}  # fmt: skip
            payload["channel"] = {"id": channel, "name": "general"}
            payload["message"] = {"type": "message", "user": "U0GSBOT", "ts": ts, "text": message.get("text", ""),
                                  "blocks": message.get("blocks", [])}  # fmt: skip
            if message.get("thread_ts"):
                payload["message"]["thread_ts"] = message["thread_ts"]
                payload["container"]["thread_ts"] = message["thread_ts"]
            payload["response_url"] = self.response_url(channel)
        return self._interactive(payload)

    def view_submission(
        self, view: dict[str, Any], *, user: str, overrides: Mapping[str, Any] | None = None
    ) -> SignedRequest:
        """Submitting an opened modal with its initial values (or ``overrides`` per input block)."""
        payload = self._base("view_submission")
        submitted = dict(self._base("view_submission").get("view") or {})
        submitted.update(view)
        submitted.update(
            id=view.get("id", "V0"), team_id=self.team_id, app_installed_team_id=self.team_id,
            state={"values": view_state(view, overrides)}, hash=uuid.uuid4().hex[:12], app_id="A0GROUNDS",
            bot_id="B0GSBOT",
        )  # fmt: skip
        payload.update(
            type="view_submission", team={"id": self.team_id, "domain": "groundswell-demo"}, user=self._user(user),
            api_app_id="A0GROUNDS", token="", trigger_id=f"{next(self._seq)}.{uuid.uuid4().hex[:10]}",
            view=submitted, is_enterprise_install=False,
        )  # fmt: skip
        payload.pop("response_urls", None)
        return self._interactive(payload)
