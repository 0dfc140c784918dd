"""Rule-based sentence splitting with exact character offsets (no model, no network).

Handles abbreviations ("e.g.", "Dr."), initials, decimals and versions ("4.12", "1.2M": no space after the dot),
URLs and emails (no space inside), ellipses (a sentence ends there only before a capital), emoji used as a full
stop, hard-wrapped lines, paragraphs and bulleted/numbered items.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Sentence", "split_sentences"]

_ABBREVIATION_WORDS = (
    "e.g i.e p.s p.p.s etc vs v mr mrs ms dr prof sr jr st mt no nr fig approx appt dept est inc ltd co corp "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun a.m p.m u.s u.k cf al "
    "min max ca re att ref tel ext"
)
ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
WINDOW = 40  # characters looked at before a full stop for an abbreviation
_SOFT_ABBREVIATIONS = frozenset({"etc", "inc", "ltd", "co", "corp", "a.m", "p.m", "u.s", "u.k"})  # may end a sentence
_STOPS = ".!?\u2026\u3002\uff01\uff1f\u203c\u2047-\u2049"
_TERMINATOR = re.compile(rf"(?<![{_STOPS}])[{_STOPS}]++[\"')\]\u00bb\u201d\u2019]*+(?=\s)")  # from a run's start only
_BULLET = re.compile(
    r"[ \t]*(?:[-*+\u2022\u00b7\u25aa\u2023\u25e6\u2013\u2014]|\(?\d{1,2}[.)]|\(?[a-zA-Z][)])[ \t]+(?=\S)"
)
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")
_ELLIPSIS = re.compile(r"\.\.|\u2026")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence span ``text[start:end]``; ``paragraph``/``bullet`` tell whether it opens a paragraph or an item."""

    start: int
    end: int
    text: str
    paragraph: bool = False
    bullet: bool = False
    line_start: bool = False


def _is_emoji(char: str) -> bool:
    return unicodedata.category(char) == "So" or ord(char) >= 0x1F000


def _next_visible(text: str, index: int) -> str:
    while index < len(text) and text[index].isspace():
        index += 1
    return text[index] if index < len(text) else ""


def _ends_sentence(line: str, match: re.Match[str]) -> bool:
    """Whether the terminator ``match`` inside ``line`` really ends a sentence."""
    following = _next_visible(line, match.end())
    if not following:
        return True
    if _ELLIPSIS.search(match.group()):
        return following.isupper()
    if match.group().startswith(".") and len(match.group().rstrip("\"')]\u00bb\u201d\u2019")) == 1:
        word = _WORD_BEFORE.search(line[max(0, match.start() - WINDOW) : match.start() + 1])
        token = word.group(1).lower() if word else ""
        if len(token) == 1 and token.isalpha():
            return following.isupper() and not line[match.start() - 1].isupper()  # "J. Smith" stays together
        if token in ABBREVIATIONS:
            return token in _SOFT_ABBREVIATIONS and following.isupper()
    return True


def _emoji_stops(line: str) -> list[int]:
    """Positions right after an emoji that is followed by space and a capital letter (emoji used as a full stop)."""
    stops = []
    for index, char in enumerate(line[:-1]):
        if _is_emoji(char) and line[index + 1].isspace() and _next_visible(line, index + 1).isupper():
            stops.append(index + 1)
    return stops


def _line_pieces(line: str) -> list[tuple[int, int]]:
    """Sentence spans inside one logical line (offsets relative to the line), whitespace-trimmed, none empty."""
    cuts = sorted({m.end() for m in _TERMINATOR.finditer(line) if _ends_sentence(line, m)} | set(_emoji_stops(line)))
    pieces: list[tuple[int, int]] = []
    start = 0
    for cut in [*cuts, len(line)]:
        chunk = line[start:cut]
        left = len(chunk) - len(chunk.lstrip())
        right = len(chunk.rstrip())
        if right > left:
            pieces.append((start + left, start + right))
        start = cut
    return pieces


def _logical_lines(text: str) -> list[tuple[int, int, bool, bool]]:
    """(start, end, opens_paragraph, bullet) per logical line; hard-wrapped lines are joined back together."""
    lines: list[tuple[int, int, bool, bool]] = []
    blank_before = True
    offset = 0
    for raw in text.split("\n"):
        start, end = offset, offset + len(raw)
        offset = end + 1
        if not raw.strip():
            blank_before = True
            continue
        bullet = _BULLET.match(raw)
        if bullet:
            start += bullet.end()
        previous = text[lines[-1][0] : lines[-1][1]].rstrip() if lines else ""
        wrapped = (
            lines
            and not blank_before
            and not bullet
            and raw.lstrip()[:1].islower()
            and previous[-1:].isalnum()
            and len(previous) >= 40
        )
        if wrapped:
            lines[-1] = (lines[-1][0], end, lines[-1][2], lines[-1][3])
        else:
            lines.append((start, end, blank_before, bool(bullet)))
        blank_before = False
    return lines


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` in order, each with exact offsets (``text[s.start:s.end] == s.text``)."""
    sentences: list[Sentence] = []
    for line_start, line_end, paragraph, bullet in _logical_lines(text):
        line = text[line_start:line_end]
        for index, (start, end) in enumerate(_line_pieces(line)):
            first = index == 0
            sentences.append(
                Sentence(
                    start=line_start + start,
                    end=line_start + end,
                    text=line[start:end],
                    paragraph=paragraph and first,
                    bullet=bullet and first,
                    line_start=first,
                )
            )
    return sentences
