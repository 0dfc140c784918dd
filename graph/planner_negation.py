"""Negations in questions: "not from intercom", "excluding SMB", "other than checkout", "non-enterprise".

A value the question rules out becomes an exclusion (``Filters.exclude``), never a filter on that value. A value
of a field exclusions do not cover, or a ruled-out thing the vocabulary does not know ("not from customers in
France"), is reported as unsupported so the answer says it was not applied.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from groundswell.core.query import Exclusions
from groundswell.graph.planner_entities import Matches
from groundswell.graph.planner_text import Span, Text, tokens_of

__all__ = ["Negations", "split_negations"]

# cue token sequences (stemmed); "strong" cues rule something out even when what follows is unknown
_STRONG = ("excluding", "exclude", "except", "except for", "other than", "apart from", "leave out", "leaving out",
           "not counting", "minus", "outside of", "not from", "not via", "not through")  # fmt: skip
_WEAK = ("besides", "ignoring", "ignore", "outside", "not in", "but not", "not", "non", "without")
_CUES = sorted(((tokens_of(c), True) for c in _STRONG), key=lambda c: -len(c[0])) + [
    (tokens_of(c), False) for c in _WEAK
]
# words allowed between a cue and what it rules out ("not via the gong calls", "excluding the Starter plan")
_GAP = frozenset(tokens_of("the any from via through in on of for by counting customers accounts users feedback "
                           "stuff anything everything everyone those our"))  # fmt: skip
_MAX_GAP = 3
EXCLUDABLE = frozenset(Exclusions.model_fields)  # the fields a question can rule values out of


@dataclass
class Negations:
    exclude: dict[str, list[str]] = field(default_factory=dict)  # Exclusions field -> values
    unsupported: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _cue_before(text: Text, start: int) -> tuple[int, bool] | None:
    """(cue start, strong) when a negation cue ends at most ``_MAX_GAP`` gap words before token ``start``."""
    i = start
    for _ in range(_MAX_GAP + 1):
        for cue, strong in _CUES:
            if i >= len(cue) and text.words[i - len(cue) : i] == cue:
                return i - len(cue), strong
        if i == 0 or text.words[i - 1] not in _GAP:
            return None
        i -= 1
    return None


def split_negations(text: Text, matches: Matches, *, is_content: Callable[[Text, int], bool]) -> Negations:
    """Move ruled-out values out of ``matches`` into exclusions; unknown ruled-out words become unsupported.

    ``is_content(text, i)``: whether token ``i`` is a content word (the planner's own test).
    """
    out = Negations()
    for (name, value), spans in list(matches.spans.items()):
        negated = [(s, cue) for s in spans if (cue := _cue_before(text, s.start)) is not None]
        if not negated or len(negated) < len(spans) or value not in matches.get(name):
            continue  # said once plainly, it is wanted
        matches.values[name] = [v for v in matches.get(name) if v != value]
        for span, (cue_start, _strong) in negated:
            text.use(Span(cue_start, span.start))
        if name in EXCLUDABLE:
            out.exclude.setdefault(name, []).append(value)
        else:
            out.unsupported.append(f"excluding {' '.join(text.raw[spans[0].start : spans[0].end])}")
    _unknown_targets(text, is_content, out)
    for name, values in list(out.exclude.items()):
        if matches.get(name):  # "only gong, not zendesk": the filter on gong already rules zendesk out
            out.notes.append(f"'not {', '.join(values)}' is implied by the {name} filter")
            del out.exclude[name]
    return out


def _unknown_targets(text: Text, is_content: Callable[[Text, int], bool], out: Negations) -> None:
    """A strong cue followed by words no rule explained ("not from customers in France"): unsupported."""
    leftover = set(text.leftover())
    for i in range(len(text.words)):
        for cue, strong in _CUES:
            if not strong or text.words[i : i + len(cue)] != cue or not set(range(i, i + len(cue))) <= leftover:
                continue
            j = i + len(cue)
            while j < len(text.words) and text.words[j] in _GAP and j - i - len(cue) < _MAX_GAP:
                j += 1
            run = []
            while j < len(text.words) and j in leftover and is_content(text, j):
                run.append(j)
                j += 1
            if run:
                out.unsupported.append(f"excluding {' '.join(text.raw[k] for k in run)}")
                text.use(Span(i, run[-1] + 1))
            break
