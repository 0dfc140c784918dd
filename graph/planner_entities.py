"""Entities in questions, matched against the vocabulary's real values.

Phrases come from two places: the :class:`core.query.Vocabulary` (theme names, aliases and parent names,
segments, plans, sources, account names) and small tables of *kinds* of words that every company shares
(intents, sentiment, severity, the usual names of segments and feedback tools). Overlapping matches are
resolved longest first, so "salesforce sync errors" is a theme even when "salesforce" is also a source.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from groundswell.core.query import Vocabulary
from groundswell.graph.planner_text import Span, Text, find_phrase, tokens_of

__all__ = ["Candidate", "Matches", "match_entities", "theme_phrases"]

INTENTS: dict[str, tuple[str, ...]] = {
    "churn_risk": ("churn risk", "churn", "at risk", "risk of churn", "churning", "cancel", "cancellation",
                   "threatening to leave", "leaving us"),
    "bug_report": ("bug report", "bug", "defect", "bug ticket"),
    "feature_request": ("feature request", "new feature", "new features", "feature ask", "feature idea",
                        "requested feature", "enhancement request",
                        "wishlist", "wish list", "feature wish", "feature suggestion", "asked for", "asking for",
                        "asks for", "ask for"),
    "praise": ("praise", "praising", "praised", "love", "loving", "loves", "compliment", "compliments"),
    "complaint": ("complaint",),
    "question": ("question", "how to question"),
}  # fmt: skip
SENTIMENTS: dict[str, tuple[str, ...]] = {
    "negative": ("negative", "unhappy", "frustrated", "frustration", "angry", "upset", "annoyed", "complaining",
                 "negatively", "angriest", "angrier", "furious", "frustrating", "annoying", "mad", "pissed"),
    "positive": ("positive", "happy", "satisfied"),
    "neutral": ("neutral",),
}  # fmt: skip
SEVERITIES: dict[str, tuple[str, ...]] = {
    "critical": ("critical", "sev1", "sev 1", "blocker", "blocking", "showstopper"),
    "high": ("high severity", "high sev", "sev2", "severe"),
    "medium": ("medium severity", "medium sev"),
    "low": ("low severity", "low sev", "minor"),
}
# The usual names of segments; a synonym group applies to the vocabulary segment it names.
SEGMENT_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("enterprise", "ent", "enterprise customer", "large customer", "large account"),
    ("mid market", "midmarket", "mm", "mid size", "midsize", "mid sized", "mid tier", "mid"),
    ("smb", "small business", "small and medium business", "small businesse", "small customer", "smbs"),
)
# The usual names people give feedback tools (keyed by the connector's name).
SOURCE_NAMES: dict[str, tuple[str, ...]] = {
    "googleplay": ("google play", "play store", "google play store", "android review", "play review", "gplay"),
    "gong": ("gong", "gong call", "sales call", "call recording", "customer call"),
    "zendesk": ("zendesk", "zendesk ticket", "support ticket", "zd"),
    "intercom": ("intercom", "live chat", "in app chat", "chat conversation"),
    "discourse": ("discourse", "community", "community forum", "forum", "forum post"),
    "delighted": ("delighted", "nps", "nps survey", "survey", "survey response"),
    "salesforce": ("salesforce", "crm"),
}
_LEGAL = frozenset(tokens_of("inc llc ltd gmbh group co corp corporation plc sa ag"))


@dataclass(frozen=True)
class Candidate:
    field: str  # themes | segments | plans | sources | accounts | intents | sentiments | severities
    value: str
    span: Span
    exact: bool = True  # False: matched with a typo


@dataclass
class Matches:
    """Filters found in the question, and theme ties that need the user."""

    values: dict[str, list[str]] = field(default_factory=dict)
    theme_ties: list[list[str]] = field(default_factory=list)  # same words, several themes
    spans: dict[tuple[str, str], list[Span]] = field(default_factory=dict)  # (field, value) -> where it was said

    def get(self, name: str) -> list[str]:
        return self.values.get(name, [])


def theme_phrases(vocabulary: Vocabulary) -> list[tuple[str, str]]:
    """(theme key, phrase) for every name, alias and parent name."""
    out: list[tuple[str, str]] = []
    for term in vocabulary.themes:
        out.append((term.key, term.name))
        out.extend((term.key, alias) for alias in term.aliases)
        if term.parent_key and term.parent_name:
            out.append((term.parent_key, term.parent_name))
    return list(dict.fromkeys(out))


def _segment_phrases(vocabulary: Vocabulary) -> Iterable[tuple[str, str]]:
    for segment in vocabulary.segments:
        yield segment, segment
        norm = " ".join(tokens_of(segment))
        for group in SEGMENT_SYNONYMS:
            if norm in {" ".join(tokens_of(g)) for g in group}:
                yield from ((segment, phrase) for phrase in group)


def _source_phrases(vocabulary: Vocabulary) -> Iterable[tuple[str, str]]:
    for source in vocabulary.sources:
        yield source, source
        yield source, source.replace("_", " ")
        yield from ((source, phrase) for phrase in SOURCE_NAMES.get(source.lower(), ()))


def _account_phrases(vocabulary: Vocabulary) -> Iterable[tuple[str, str]]:
    for account_id, name in vocabulary.accounts.items():
        yield account_id, name
        words = name.replace(",", " ").split()
        core = [w for w in words if tokens_of(w) and tokens_of(w)[0] not in _LEGAL]
        if core and len(core) < len(words):
            yield account_id, " ".join(core)


def _plan_phrases(vocabulary: Vocabulary) -> Iterable[tuple[str, str]]:
    for plan in vocabulary.plans:  # a plan name alone is often a segment or a word: "<name> plan" only
        yield from ((plan, f"{plan} {w}") for w in ("plan", "tier"))
        yield from ((plan, f"{w} {plan}") for w in ("plan", "on"))


def _fixed(table: dict[str, tuple[str, ...]]) -> Iterable[tuple[str, str]]:
    for value, phrases in table.items():
        yield from ((value, phrase) for phrase in phrases)


def _candidates(text: Text, vocabulary: Vocabulary, generic: frozenset[str]) -> list[Candidate]:
    sources: list[tuple[str, Iterable[tuple[str, str]]]] = [
        ("intents", _fixed(INTENTS)),
        ("sentiments", _fixed(SENTIMENTS)),
        ("severities", _fixed(SEVERITIES)),
        ("segments", _segment_phrases(vocabulary)),
        ("sources", _source_phrases(vocabulary)),
        ("plans", _plan_phrases(vocabulary)),
        ("accounts", _account_phrases(vocabulary)),
        ("themes", theme_phrases(vocabulary)),
    ]
    out: list[Candidate] = []
    for name, pairs in sources:
        vocab_backed = name in ("themes", "accounts")
        for value, phrase in pairs:
            words = tokens_of(phrase)
            if not words or (vocab_backed and all(w in generic for w in words)):
                continue  # an alias made only of common words ("problem") would match everything
            for span in _all_spans(text, words, fuzzy=vocab_backed):
                out.append(Candidate(name, value, span, text.words[span.start : span.end] == words))
    return out


def _all_spans(text: Text, words: list[str], *, fuzzy: bool) -> list[Span]:
    found = []
    probe = Text(raw=text.raw, words=text.words, used=list(text.used))
    while (span := find_phrase(probe, words, fuzzy=fuzzy)) is not None:
        found.append(span)
        probe.use(span)
    return found


def match_entities(text: Text, vocabulary: Vocabulary, *, generic: frozenset[str]) -> Matches:
    """Longest matches first; the words they cover are marked used in ``text``."""
    candidates = _candidates(text, vocabulary, generic)
    candidates.sort(key=lambda c: (-(c.span.end - c.span.start), c.span.start))
    result = Matches()
    taken: list[Span] = []
    i = 0
    while i < len(candidates):
        cand = candidates[i]
        same = [c for c in candidates[i:] if c.span == cand.span]
        i += len(same)
        if any(cand.span.overlaps(t) for t in taken):
            continue
        taken.append(cand.span)
        text.use(cand.span)
        if any(c.exact for c in same):  # "authentication" is that name, not a typo of "authenticator"
            same = [c for c in same if c.exact]
        fields = {c.field for c in same}
        if len(fields) > 1 and "themes" in fields:  # "delighted" the source, not a theme alias
            same = [c for c in same if c.field != "themes"]
        values = list(dict.fromkeys(c.value for c in same if c.field == same[0].field))
        if same[0].field == "themes" and len(values) > 1:
            result.theme_ties.append(values)
            continue
        for value in values:
            result.spans.setdefault((same[0].field, value), []).append(cand.span)
            bucket = result.values.setdefault(same[0].field, [])
            if value not in bucket:
                bucket.append(value)
    return result
