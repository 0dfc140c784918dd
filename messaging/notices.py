"""Block Kit for help, errors in plain words, and short confirmations. Pure functions."""

from __future__ import annotations

from groundswell.messaging.blockkit import Block, context, escape, header, section

__all__ = ["error_blocks", "help_blocks", "notice_blocks"]


def help_blocks(command: str = "/groundswell", *, intro: str | None = None) -> list[Block]:
    """What the bot understands, with examples."""
    lines = [
        f"`{command} ask <question>` — ask anything about customer feedback, e.g. "
        f"`{command} ask what are enterprise customers saying about SSO?`",
        f"`{command} themes [window] [segment]` — top themes, e.g. `{command} themes last 30 days enterprise`",
        f"`{command} digest now` — post this channel's digest now",
        f"`{command} subscribe <theme|segment> [#channel]` — get alerts and digests for a theme or segment",
        f"`{command} unsubscribe [theme|segment]` — stop them (all of yours in this channel without an argument)",
        f"`{command} channel [mention-only on|off] [answers public|ephemeral] [segment NAME|any]` — channel settings",
        f"`{command} help` — this message",
    ]
    blocks = [header("Groundswell — what I can do")]
    if intro:
        blocks.append(section(escape(intro)))
    blocks.append(section("\n".join(lines)))
    blocks.append(
        context("Mention me in a channel (`@Groundswell …`) or DM me; follow-ups in the same thread keep the context.")
    )
    return blocks


def error_blocks(problem: str, next_step: str) -> list[Block]:
    """A failure in plain words, and what the user can do about it."""
    return [section(f":warning: {escape(problem)}"), context(f"*What to do:* {escape(next_step)}")]


def notice_blocks(text: str, *, detail: str | None = None, escaped: bool = False) -> list[Block]:
    """A one-line confirmation (subscribed, ticket drafted, feedback noted …); ``escaped``: ``text`` is mrkdwn
    already built with ``blockkit.escape``/``link`` (so its link and mentions stay)."""
    blocks = [section(text if escaped else escape(text))]
    if detail:
        blocks.append(context(escape(detail)))
    return blocks
