"""Ticket descriptions as Atlassian Documents (Jira v3): the Markdown subset Groundswell writes, as ADF nodes.

Understood, line by line: a line that is all ``**bold**`` becomes a level-3 heading; runs of ``- `` lines a
bullet list; runs of ``> `` lines a blockquote; any other non-empty line a paragraph. Inline, ``[text](url)``
with an absolute http(s) URL becomes a link mark and ``\\x`` an escaped character. Anything else stays text, so
a plain-text body reads exactly as written.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["markdown_to_adf"]

Node = dict[str, Any]
_LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\((https?://[^\s)]+)\)")
_ESCAPE = re.compile(r"\\(.)")
_HEADING = re.compile(r"^\*\*(.+)\*\*$")


def _unescape(text: str) -> str:
    return _ESCAPE.sub(r"\1", text)


def _inline(text: str) -> list[Node]:
    """Text nodes, links as ``link`` marks; ADF refuses empty text nodes, so none is made."""
    nodes: list[Node] = []
    at = 0
    for match in _LINK.finditer(text):
        if match.start() > at:
            nodes.append({"type": "text", "text": _unescape(text[at : match.start()])})
        label = _unescape(match.group(1)) or match.group(2)
        nodes.append({"type": "text", "text": label, "marks": [{"type": "link", "attrs": {"href": match.group(2)}}]})
        at = match.end()
    if at < len(text):
        nodes.append({"type": "text", "text": _unescape(text[at:])})
    return [n for n in nodes if n["text"]]


def _paragraph(text: str) -> Node:
    content = _inline(text)
    return {"type": "paragraph", "content": content} if content else {"type": "paragraph"}


def _block(kind: str, lines: list[str]) -> Node:
    if kind == "list":
        items = [{"type": "listItem", "content": [_paragraph(line)]} for line in lines]
        return {"type": "bulletList", "content": items}
    return {"type": "blockquote", "content": [_paragraph(line) for line in lines if line.strip()]}


def markdown_to_adf(text: str) -> Node:
    """An ADF ``doc`` for ``text`` (see the module docstring for what is understood)."""
    content: list[Node] = []
    run: tuple[str, list[str]] | None = None

    def flush() -> None:
        nonlocal run
        if run is not None and any(line.strip() for line in run[1]):
            content.append(_block(*run))
        run = None

    for raw in text.splitlines():
        line = raw.rstrip()
        kind = "list" if line.startswith("- ") else "quote" if line.startswith(">") else None
        if kind is not None:
            if run is None or run[0] != kind:
                flush()
                run = (kind, [])
            run[1].append(line[2:] if kind == "list" else line[1:].lstrip())
            continue
        flush()
        if not line.strip():
            continue
        heading = _HEADING.match(line.strip())
        if heading:
            inline = _inline(heading.group(1))
            content.append({"type": "heading", "attrs": {"level": 3}, "content": inline})
        else:
            content.append(_paragraph(line.strip()))
    flush()
    return {"type": "doc", "version": 1, "content": content}
