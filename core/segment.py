"""Cut one customer message into feedback units: one signal each, chatter left out.

1. Sentences with exact offsets (:mod:`core.segment_sentences`).
2. A signature is cut at its sign-off ("Best,", "Thanks in advance!" followed only by names, titles, contacts).
3. Sentences are grouped: a new signal starts at a discourse marker ("Also", "PS:", "On another note,"), at a
   bulleted/numbered item, at a new paragraph unless it continues the point ("It also …", "This …"), and, when a
   ``similarity`` callable is given, between adjacent sentences that are too unlike each other.
4. Each group loses its marker and the chatter at its edges (greetings, thanks, acknowledgements); a group with
   no content left ("Got it, thanks.", "Attaching a screenshot now.") is no signal.

Deterministic and pure: similarity, if wanted, comes in as a callable so the domain imports no model.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from groundswell.core.segment_chatter import (
    Kind,
    classify,
    inline_markers,
    is_delimiter,
    is_marker,
    is_signature_line,
    marker_end,
    strip_edges,
)
from groundswell.core.segment_sentences import Sentence, split_sentences

__all__ = ["Segment", "Similarity", "segment_message"]

Similarity = Callable[[str, str], float]  # (text so far, next sentence) -> similarity in [0, 1]
SIMILARITY_THRESHOLD = 0.3
SIMILARITY_CONTEXT = 3  # content sentences of the current signal compared with the next one
MAX_SIGNATURE_LINES = 10
SHORT_WORDS = 3  # a paragraph this short ("Every time.") adds to the point before it
_CONTINUATION = re.compile(
    r"(?:it|it's|its|this|that|these|those|they|them|their|which|same|so|and|but|because|still|even|again|then"
    r"|otherwise|meanwhile|for example|e\.g\.|i\.e\.|screenshots?|needs?|happens|also happens)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Segment:
    """One signal: ``text`` is exactly ``message[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class _Item:
    sentence: Sentence
    kind: Kind
    marker: int = 0  # characters of an opening discourse marker


def _signature_start(sentences: Sequence[Sentence], kinds: Sequence[Kind]) -> int:
    """Index where a trailing signature block begins (len(sentences) when there is none)."""
    for index in range(max(0, len(sentences) - MAX_SIGNATURE_LINES - 1), len(sentences)):
        sentence, rest = sentences[index], sentences[index + 1 :]
        if is_delimiter(sentence.text):
            return index
        opens = kinds[index] == Kind.SIGNOFF and (not rest or rest[0].line_start)
        if opens and all(is_signature_line(s.text) or kinds[index + 1 + n] != Kind.CONTENT for n, s in enumerate(rest)):
            return index
    return len(sentences)


def _opens_signal(item: _Item, content: list[str], similarity: Similarity | None, threshold: float) -> bool:
    """Whether ``item`` starts a new signal; ``content`` = the current block's content sentences so far."""
    sentence = item.sentence
    if sentence.bullet or item.marker or is_marker(sentence.text):
        return True
    continues = (
        bool(_CONTINUATION.match(sentence.text)) or item.kind == Kind.ADDON or len(sentence.text.split()) <= SHORT_WORDS
    )
    if sentence.paragraph and not continues:
        return True
    if similarity is None or continues or item.kind != Kind.CONTENT or not content:
        return False
    return similarity(" ".join(content[-SIMILARITY_CONTEXT:]), sentence.text) < threshold


def _blocks(items: Sequence[_Item], similarity: Similarity | None, threshold: float) -> list[list[_Item]]:
    blocks: list[list[_Item]] = []
    content: list[str] = []
    for item in items:
        if not blocks or _opens_signal(item, content, similarity, threshold):
            blocks.append([])
            content = []
        blocks[-1].append(item)
        if item.kind == Kind.CONTENT:
            content.append(item.sentence.text)
    return blocks


def _segment(block: list[_Item], text: str, *, first: bool) -> Segment | None:
    """The block's span without its marker and edge chatter; None when no content is left."""
    kept = [n for n, item in enumerate(block) if item.kind in (Kind.CONTENT, Kind.ADDON)]
    if not any(item.kind == Kind.CONTENT for item in block):
        return None
    head, last = block[kept[0]], block[kept[-1]].sentence
    start = head.sentence.start + head.marker
    left, right = strip_edges(text[start : last.end], first=first and kept[0] == 0, last=True)
    start, end = start + left, start + right
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Segment(start, end, text[start:end]) if end > start else None


def _with_inline_markers(sentences: Sequence[Sentence]) -> list[Sentence]:
    """Sentences cut again where a marker opens a new point without a full stop before it."""
    result: list[Sentence] = []
    for sentence in sentences:
        cuts = [0, *inline_markers(sentence.text), len(sentence.text)]
        for n, (a, b) in enumerate(itertools.pairwise(cuts)):
            piece = sentence.text[a:b]
            right = len(piece.rstrip())
            first = n == 0
            result.append(
                Sentence(
                    start=sentence.start + a,
                    end=sentence.start + a + right,
                    text=piece[:right],
                    paragraph=sentence.paragraph and first,
                    bullet=sentence.bullet and first,
                    line_start=sentence.line_start and first,
                )
            )
    return result


def segment_message(
    text: str, *, similarity: Similarity | None = None, threshold: float = SIMILARITY_THRESHOLD
) -> list[Segment]:
    """The signals in one message, in order, as non-overlapping spans of ``text``; [] when it is all chatter."""
    sentences = _with_inline_markers(split_sentences(text))
    kinds = [classify(s.text) for s in sentences]
    cut = _signature_start(sentences, kinds)
    items = []
    for sentence, kind in zip(sentences[:cut], kinds[:cut], strict=True):
        marker = marker_end(sentence.text)
        if marker:
            kind = classify(sentence.text[marker:])
        elif is_marker(sentence.text):
            kind = Kind.CHATTER
        items.append(_Item(sentence, kind, marker))
    if not any(item.kind == Kind.CONTENT for item in items):
        for item in items:  # contact details are the message when nothing else is ("My new e-mail is …")
            item.kind = Kind.CONTENT if item.kind == Kind.DETAIL else item.kind
    segments = []
    for index, block in enumerate(_blocks(items, similarity, threshold)):
        segment = _segment(block, text, first=index == 0)
        if segment is not None:
            segments.append(segment)
    return segments
