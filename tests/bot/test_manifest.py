"""The app manifest and the registered listeners describe the same app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from groundswell.bot.admin import HomeService
from groundswell.bot.answering import Responder
from groundswell.bot.listeners import register_listeners

from tests.bot.conftest import CHANNEL, USER

MANIFEST = Path(__file__).resolve().parents[2] / "slack" / "manifest.yml"


def manifest() -> dict[str, Any]:
    return yaml.safe_load(MANIFEST.read_text())


class RecordingApp:
    """Stands in for the Bolt App and records what each listener module registers."""

    def __init__(self) -> None:
        self.registered: dict[str, list[Any]] = {"event": [], "command": [], "action": [], "view": []}

    def __getattr__(self, kind: str) -> Any:
        def register(matcher: Any, *args: Any, **kwargs: Any) -> Any:
            self.registered[kind].append(matcher)
            return lambda fn: fn

        return register


def test_registered_events_and_command_are_in_the_manifest(workspace):
    recorder = RecordingApp()
    responder = Responder(workspace.deps, viewers=None)  # type: ignore[arg-type]
    register_listeners(recorder, responder, HomeService(workspace.engine, None))  # type: ignore[arg-type]
    events = manifest()["settings"]["event_subscriptions"]["bot_events"]
    event_types = {e.split(".")[0] for e in events}
    assert set(recorder.registered["event"]) == event_types
    assert recorder.registered["command"] == [c["command"] for c in manifest()["features"]["slash_commands"]]
    assert manifest()["settings"]["interactivity"]["is_enabled"] and recorder.registered["action"]
    assert manifest()["features"]["app_home"]["home_tab_enabled"]


def test_every_manifest_event_reaches_a_listener_and_others_do_not(workspace):
    sim = workspace.sim
    for name in manifest()["settings"]["event_subscriptions"]["bot_events"]:
        kind, _, channel_type = name.partition(".")
        if kind == "message":
            event = {"type": "message", "user": USER, "text": "hi", "ts": sim.ts(), "channel": CHANNEL,
                     "channel_type": {"channels": "channel", "groups": "group", "im": "im"}[channel_type]}  # fmt: skip
        else:
            event = {
                "type": kind,
                "user": USER,
                "channel": CHANNEL,
                "text": "<@U0GSBOT>",
                "ts": sim.ts(),
                "tab": "home",
            }
        assert workspace.send(sim.event(event, template=kind)).status_code == 200, name
    unsubscribed = {"type": "reaction_added", "user": USER, "reaction": "+1", "event_ts": sim.ts(),
                    "item": {"type": "message", "channel": CHANNEL, "ts": sim.ts()}}  # fmt: skip
    assert workspace.send(sim.event(unsubscribed)).status_code == 404
    scopes = set(manifest()["oauth_config"]["scopes"]["bot"])
    assert {"app_mentions:read", "chat:write", "commands", "im:history"} <= scopes
