"""Block Kit as readable terminal text: what `groundswell console` shows. Buttons become numbered choices."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["Choice", "blocks_to_text", "mrkdwn_to_text"]

_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")
_BARE_LINK = re.compile(r"<(https?://[^|>]+)>")
_CHANNEL = re.compile(r"<#([A-Z0-9]+)(?:\|([^>]*))?>")
_USER = re.compile(r"<@([A-Z0-9]+)>")

Choice = tuple[str, dict[str, Any], str]  # (label, button element, block_id)


def mrkdwn_to_text(text: str) -> str:
    """Links as ``label (url)``, mentions as ``@U…``/``#C…``, entities unescaped; code fences dropped."""
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    text = _BARE_LINK.sub(lambda m: m.group(1), text)
    text = _CHANNEL.sub(lambda m: f"#{m.group(2) or m.group(1)}", text)
    text = _USER.sub(lambda m: f"@{m.group(1)}", text)
    text = text.replace("```", "")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _text(obj: dict[str, Any] | None) -> str:
    return mrkdwn_to_text(obj.get("text", "")) if obj else ""


def blocks_to_text(blocks: list[dict[str, Any]], *, first_choice: int = 1) -> tuple[list[str], list[Choice]]:
    """Lines to print, and the buttons (numbered from ``first_choice``) a user can press."""
    lines: list[str] = []
    choices: list[Choice] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            title = _text(block.get("text"))
            lines += [title.upper(), "─" * min(len(title), 60)]
        elif kind == "section":
            if block.get("text"):
                lines += _text(block["text"]).splitlines()
            lines += [_text(f) for f in block.get("fields", [])]
        elif kind == "context":
            lines.append("  " + "  ".join(_text(e) for e in block.get("elements", []) if e.get("type") != "image"))
        elif kind == "divider":
            lines.append("─" * 40)
        elif kind == "input":
            element = block.get("element", {})
            value = (element.get("initial_value") or element.get("initial_user")
                     or (element.get("initial_option") or {}).get("value") or "")  # fmt: skip
            lines.append(f"  {_text(block.get('label'))}: {value}")
        if kind == "actions":
            buttons = []
            for element in block.get("elements", []):
                if element.get("type") == "button":
                    number = first_choice + len(choices)
                    choices.append((_text(element.get("text")), element, block.get("block_id", "")))
                    buttons.append(f"[{number}] {_text(element.get('text'))}")
            if buttons:
                lines.append("  ".join(buttons))
    return lines, choices
