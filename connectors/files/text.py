"""Pure text helpers for file exports: HTML to plain text, timestamps and dates."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser

__all__ = ["html_to_text", "parse_date", "parse_timestamp"]

# Elements that end a line or a paragraph when rendered.
_PARAGRAPH_TAGS = frozenset(
    {"p", "div", "blockquote", "pre", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article"}
)
_LINE_TAGS = frozenset({"br", "li", "tr", "hr", "dt", "dd", "aside", "header", "footer", "figure"})
_SKIPPED_TAGS = frozenset({"script", "style", "head", "template"})
_SPACES = re.compile(r"[ \t\r\f\v\n]+")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_PARAGRAPH = "\x00P\x00"  # placeholders, turned into newlines once text runs are collapsed
_LINE = "\x00L\x00"


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skip += 1
        elif tag in _PARAGRAPH_TAGS:
            self.parts.append(_PARAGRAPH)
            self._pre += tag == "pre"
        elif tag in _LINE_TAGS:
            self.parts.append(_LINE)
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt and "emoji" in (dict(attrs).get("class") or ""):
                self.parts.append(alt)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _PARAGRAPH_TAGS:
            self.parts.append(_PARAGRAPH)
            if tag == "pre":
                self._pre = max(0, self._pre - 1)
        elif tag in _LINE_TAGS and tag != "br":
            self.parts.append(_LINE)

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._pre:  # preformatted text keeps its own line breaks
            self.parts.append(data.replace("\n", _LINE))
        else:
            self.parts.append(_SPACES.sub(" ", data))


def html_to_text(html: str | None) -> str:
    """Render HTML as plain text: entities decoded, paragraphs as blank lines, <br>/<li> as line breaks."""
    if not html:
        return ""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    text = "".join(collector.parts)
    lines: list[str] = []
    for paragraph in text.split(_PARAGRAPH):
        rows = (_SPACES.sub(" ", line).strip() for line in paragraph.split(_LINE))
        body = "\n".join(row for row in rows if row)
        if body:
            lines.append(body)
    return "\n\n".join(lines)


def parse_timestamp(value: object) -> datetime:
    """Parse an ISO 8601 string or unix seconds (milliseconds when huge) into an aware UTC datetime.

    Naive values are taken as UTC, as every documented export is in UTC. Raises ValueError.
    """
    if isinstance(value, bool) or value is None:
        raise ValueError(f"not a timestamp: {value!r}")
    if isinstance(value, (int, float)):
        return _from_epoch(float(value))
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"not a timestamp: {value!r}")
    text = value.strip()
    if _NUMBER.fullmatch(text):
        return _from_epoch(float(text))
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _from_epoch(seconds: float) -> datetime:
    if abs(seconds) >= 1e11:  # milliseconds since the epoch (year 5138+ in seconds is not a real date)
        seconds /= 1000.0
    return datetime.fromtimestamp(seconds, tz=UTC)


def parse_date(value: str) -> date:
    """Parse ``YYYY-MM-DD`` (or a full timestamp) into a date. Raises ValueError."""
    text = value.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        return parse_timestamp(text).date()
