"""Slash-command text -> (subcommand, arguments). Unknown input becomes help, never an error."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["COMMANDS", "ParsedCommand", "parse_command", "parse_switches", "strip_mentions"]

COMMANDS = ("ask", "themes", "digest", "subscribe", "unsubscribe", "channel", "help")
_CHANNEL = re.compile(r"<#(C[A-Z0-9]+|G[A-Z0-9]+)(?:\|[^>]*)?>")
_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")


@dataclass(frozen=True)
class ParsedCommand:
    name: str  # one of COMMANDS
    rest: str = ""  # the text after the subcommand, channel references removed
    channel: str | None = None  # a #channel named in the text
    unknown: str | None = None  # what was typed when it was not understood


def parse_command(text: str) -> ParsedCommand:
    text = " ".join((text or "").split())
    channel_match = _CHANNEL.search(text)
    channel = channel_match.group(1) if channel_match else None
    text = _CHANNEL.sub("", text).strip()
    head, _, rest = text.partition(" ")
    name = head.lower()
    if name == "digest":
        if rest.strip().lower() == "now":
            return ParsedCommand("digest", "now", channel)
        return ParsedCommand("help", unknown=text)
    if name in COMMANDS:
        if name in {"ask", "subscribe"} and not rest.strip():
            return ParsedCommand("help", unknown=text)
        return ParsedCommand(name, rest.strip(), channel)
    if not text:
        return ParsedCommand("help")
    return ParsedCommand("help", unknown=text)


def parse_switches(rest: str) -> dict[str, str]:
    """``mention-only on answers ephemeral segment Enterprise`` -> {"mention-only": "on", ...}."""
    words = rest.split()
    found: dict[str, str] = {}
    i = 0
    while i < len(words) - 1:
        key = words[i].lower()
        if key in {"mention-only", "answers", "segment"}:
            if key == "segment":  # a segment name may have spaces: it runs to the next switch
                j = i + 1
                while j < len(words) and words[j].lower() not in {"mention-only", "answers"}:
                    j += 1
                found[key] = " ".join(words[i + 1 : j])
                i = j
                continue
            found[key] = words[i + 1].lower()
            i += 2
        else:
            i += 1
    return found


def strip_mentions(text: str) -> str:
    """The question without ``<@U…>`` mentions."""
    return " ".join(_MENTION.sub(" ", text or "").split())
