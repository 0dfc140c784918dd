"""Tracker Markdown from data: the subset Jira (through ADF) and Linear both read, with every value made literal.

``**bold**`` lines, ``- `` bullets, ``> `` quotes and ``[text](url)`` links; never Slack mrkdwn. Text from
records is escaped so no emphasis, link or heading can be smuggled in, and links are built only from absolute
http(s) URLs.
"""

from __future__ import annotations

import re

from groundswell.core.answer import CitedQuote

__all__ = ["markdown_link", "md_literal", "quote_block", "shorten"]

_MARKDOWN = re.compile(r"([\\`*_\[\]<])")


def md_literal(text: str) -> str:
    """Data as literal Markdown text on one line: no emphasis, link or heading can be smuggled in."""
    return _MARKDOWN.sub(r"\\\1", " ".join(text.split()))


def markdown_link(label: str, url: str | None) -> str:
    """``[label](url)`` for an absolute http(s) URL (spaces and parentheses encoded), else the label alone."""
    if not url or not url.startswith(("http://", "https://")):
        return md_literal(label)
    safe = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    return f"[{md_literal(label)}]({safe})"


def shorten(text: str, limit: int) -> str:
    """How a quote is shown: whitespace collapsed, cut at ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def quote_block(quote: CitedQuote, *, chars: int) -> list[str]:
    """A quote as a Markdown block quote, with its source, date and account linked to the original record."""
    where = ", ".join(p for p in (quote.source, f"{quote.created_at:%Y-%m-%d}", quote.account) if p)
    return [f"> “{md_literal(shorten(quote.text, chars))}”", f"> — {markdown_link(where, quote.url)}"]
