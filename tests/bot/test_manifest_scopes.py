"""Every Slack Web API method the app calls is allowed by a bot scope in slack/manifest.yml."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CODE_DIRS = ("bot", "messaging", "jobs", "api")
# Web API method -> the bot scope it needs (None: no scope needed). https://api.slack.com/methods
METHOD_SCOPES: dict[str, str | None] = {
    "auth.test": None,
    "chat.postMessage": "chat:write",
    "chat.postEphemeral": "chat:write",
    "chat.update": "chat:write",
    "chat.getPermalink": None,  # no scope (docs.slack.dev/reference/methods/chat.getPermalink)
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
    "usergroups.users.list": "usergroups:read",
    "users.info": "users:read",
    "users.lookupByEmail": "users:read.email",
    "views.open": None,
    "views.push": None,
    "views.update": None,
    "views.publish": None,
}
_FAMILIES = "chat|files|views|users|usergroups|auth|conversations|reactions"
_STRING_CALL = re.compile(rf"[\"']((?:{_FAMILIES})\.[A-Za-z.]+)[\"']")
_SDK_CALL = re.compile(rf"\.((?:{_FAMILIES})_[A-Za-z_]+)\(")


def called_methods() -> set[str]:
    found: set[str] = set()
    for folder in CODE_DIRS:
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            found |= {m for m in _STRING_CALL.findall(text) if not m.endswith((".jsonl", ".json", ".py"))}
            found |= {m.replace("_", ".") for m in _SDK_CALL.findall(text)}
    return found


def test_every_called_method_has_its_scope_in_the_manifest():
    scopes = set(yaml.safe_load((ROOT / "slack" / "manifest.yml").read_text())["oauth_config"]["scopes"]["bot"])
    methods = called_methods()
    assert "files.getUploadURLExternal" in methods and "chat.postMessage" in methods
    unknown = sorted(methods - METHOD_SCOPES.keys())
    assert not unknown, f"add these Web API methods to METHOD_SCOPES: {unknown}"
    missing = {m: METHOD_SCOPES[m] for m in methods if METHOD_SCOPES[m] and METHOD_SCOPES[m] not in scopes}
    assert not missing, f"scopes missing from slack/manifest.yml: {missing}"
