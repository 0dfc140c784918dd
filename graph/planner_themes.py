"""Themes a question names only loosely: partial word overlap, then (optionally) embedding similarity.

Runs on the words no exact rule explained. A clear best theme is taken; two equally likely themes, or
topic words that match no theme, become a clarifying question instead of a guess.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from groundswell.core.protocols import Embedder
from groundswell.core.query import Vocabulary
from groundswell.graph.planner_entities import theme_phrases
from groundswell.graph.planner_text import tokens_of
from rapidfuzz import fuzz, process

__all__ = [
    "MIN_STRENGTH",
    "LooseTheme",
    "ThemeEmbeddings",
    "loose_theme",
    "match_strength",
    "suggest_themes",
    "theme_label",
]

COVERAGE = 0.6  # share of a theme phrase's content words the question must contain
# how strongly the question's words must name a theme for it to become a filter: the phrase's coverage (fuzzy
# hits count their similarity) times (1 + the share of the question's topic words the phrase explains) / 2.
# A whole name scores >= 0.5 whatever else is asked; half a two-word name with nothing left unexplained 0.5
# ("coupon" -> Coupon codes); half a name beside unexplained words less ("printing speed" -> Label printing 0.375)
MIN_STRENGTH = 0.45
EMBED_MIN = 0.35  # cosine a paraphrase needs to the best theme (all-MiniLM-L6-v2 scale)
EMBED_MARGIN = 0.05  # ... and its lead over the best theme outside its own branch


@dataclass
class LooseTheme:
    key: str | None = None
    ties: list[str] = field(default_factory=list)
    via: str = ""  # "words" | "embedding"
    strong: bool = False  # every content word of a name or alias was found
    strength: float = 0.0  # of the best match (words: see MIN_STRENGTH; embedding: the cosine)
    weak: list[str] = field(default_factory=list)  # themes matched below MIN_STRENGTH / EMBED_MIN: not taken


def theme_label(vocabulary: Vocabulary, key: str) -> str:
    for term in vocabulary.themes:
        if term.key == key:
            return f"{term.parent_name} > {term.name}" if term.parent_name else term.name
        if term.parent_key == key and term.parent_name:
            return term.parent_name
    return key


def _same_tree(vocabulary: Vocabulary, a: str, b: str) -> bool:
    parents = {t.key: t.parent_key for t in vocabulary.themes}
    return parents.get(a) == b or parents.get(b) == a


def _hit_quality(word: str, pool: Sequence[str]) -> float:
    """1.0 for the same word, the fuzzy similarity (0.85..1) for a near spelling of a long word, else 0."""
    if word in pool:
        return 1.0
    if len(word) < 5:
        return 0.0
    best = max((fuzz.ratio(word, p) for p in pool if len(p) >= 5), default=0.0)
    return best / 100 if best >= 85 else 0.0


def _token_hit(word: str, pool: Sequence[str]) -> bool:
    return _hit_quality(word, pool) > 0


def match_strength(words: Sequence[str], content: Sequence[str], groups: Sequence[Sequence[str]] = ()) -> float:
    """How strongly ``words`` (the question's topic words, in runs of adjacent words ``groups``) name a theme
    phrase with ``content`` words; "explained" is read in the run the phrase was found in (default: all words)."""
    if not content or not words:
        return 0.0
    coverage = sum(_hit_quality(w, words) for w in content) / len(content)
    runs = [g for g in groups if any(_token_hit(w, content) for w in g)] or [words]
    explained = max(sum(_token_hit(w, content) for w in run) / len(run) for run in runs)
    return coverage * (1 + explained) / 2


def _word_overlap(
    words: list[str], vocabulary: Vocabulary, generic: frozenset[str], groups: Sequence[Sequence[str]] = ()
) -> LooseTheme:
    scores: dict[str, float] = {}
    strengths: dict[str, float] = {}
    phrases = [(key, [w for w in tokens_of(phrase) if w not in generic]) for key, phrase in theme_phrases(vocabulary)]
    owners: dict[str, set[str]] = {}
    for key, content in phrases:
        for w in content:
            owners.setdefault(w, set()).add(key)
    for key, content in phrases:
        hit_words = [w for w in content if _token_hit(w, words)]
        coverage = len(hit_words) / len(content) if content else 0.0
        # half a name is enough when the words found belong to this theme alone ("coupons" -> Coupon codes)
        distinctive = coverage >= 0.5 and all(len(owners[w]) == 1 and len(w) >= 3 for w in hit_words)
        if hit_words and (coverage >= COVERAGE or distinctive):
            scores[key] = max(scores.get(key, 0.0), coverage + 0.01 * len(hit_words))
            strengths[key] = max(strengths.get(key, 0.0), match_strength(words, content, groups))
    weak = sorted((k for k in scores if strengths[k] < MIN_STRENGTH), key=lambda k: (-strengths[k], k))
    scores = {k: v for k, v in scores.items() if strengths[k] >= MIN_STRENGTH}
    if not scores:
        return LooseTheme(weak=weak, strength=strengths[weak[0]] if weak else 0.0)
    best = max(scores.values())
    top = sorted(k for k, v in scores.items() if best - v < 1e-9)
    if len(top) == 2 and _same_tree(vocabulary, *top):  # a leaf and its parent: the leaf is more specific
        top = [k for k in top if _is_leaf(vocabulary, k)] or top
    strength = max(strengths[k] for k in top)
    if len(top) == 1:
        return LooseTheme(key=top[0], via="words", strong=best >= 1.0, strength=strength)
    return LooseTheme(ties=top, via="words", strong=best >= 1.0, strength=strength)


def _is_leaf(vocabulary: Vocabulary, key: str) -> bool:
    return any(t.key == key and t.parent_key for t in vocabulary.themes)


class ThemeEmbeddings:
    """Unit vectors of each theme's description text, computed once per vocabulary and embedder."""

    def __init__(self, embedder: Embedder, vocabulary: Vocabulary) -> None:
        self.embedder = embedder
        texts: dict[str, list[str]] = {}
        for key, phrase in theme_phrases(vocabulary):
            texts.setdefault(key, []).append(phrase)
        self.keys = sorted(texts)
        self.vectors = embedder.embed([", ".join(texts[k]) for k in self.keys]) if self.keys else []

    def nearest(self, text: str) -> list[tuple[float, str]]:
        (query,) = self.embedder.embed([text])
        scored = [(_cosine(query, v), k) for k, v in zip(self.keys, self.vectors, strict=True)]
        return sorted(scored, reverse=True)


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


_EMBED_CACHE: dict[tuple[int, int], ThemeEmbeddings] = {}


def _embeddings(embedder: Embedder, vocabulary: Vocabulary) -> ThemeEmbeddings:
    cache_key = (id(embedder), hash(tuple((t.key, t.name, tuple(t.aliases)) for t in vocabulary.themes)))
    if cache_key not in _EMBED_CACHE:
        if len(_EMBED_CACHE) > 16:
            _EMBED_CACHE.clear()
        _EMBED_CACHE[cache_key] = ThemeEmbeddings(embedder, vocabulary)
    return _EMBED_CACHE[cache_key]


def loose_theme(
    words: list[str],
    context: str,
    vocabulary: Vocabulary,
    *,
    generic: frozenset[str],
    embedder: Embedder | None,
    groups: Sequence[Sequence[str]] = (),
) -> LooseTheme:
    """The theme the leftover ``words`` (stemmed) most likely name, or ties. With an embedder, ``context`` (the
    question without what other rules explained) is compared with each theme; it overrules partial word matches."""
    found = _word_overlap(words, vocabulary, generic, groups)
    if found.strong or embedder is None or not context.strip():
        return found
    ranked = _embeddings(embedder, vocabulary).nearest(context)
    if not ranked or ranked[0][0] < EMBED_MIN:
        if ranked and ranked[0][0] > 0 and not found.key and not found.ties:  # a faint likeness is not a match
            found.weak = list(dict.fromkeys([*found.weak, ranked[0][1]]))
        return found
    best_score, best = ranked[0]
    rivals = [(score, key) for score, key in ranked[1:] if not _same_tree(vocabulary, best, key)]
    family = [
        key for score, key in ranked[1:] if _same_tree(vocabulary, best, key) and best_score - score < EMBED_MARGIN
    ]
    if not _is_leaf(vocabulary, best) and family:  # a parent and one of its leaves about as close: the leaf
        best = family[0]
    if rivals and best_score - rivals[0][0] < EMBED_MARGIN:
        if found.key in (best, rivals[0][1]):
            return found
        return LooseTheme(ties=[best, rivals[0][1]], via="embedding", strength=best_score)
    return LooseTheme(key=best, via="embedding", strength=best_score)


def suggest_themes(phrase: str, vocabulary: Vocabulary, limit: int = 3) -> list[str]:
    """Closest theme labels to a phrase, for a clarifying question."""
    pairs = theme_phrases(vocabulary)
    hits = process.extract(phrase, [p for _, p in pairs], scorer=fuzz.WRatio, limit=len(pairs))
    keys = list(dict.fromkeys(pairs[index][0] for _, _, index in hits))
    return [theme_label(vocabulary, key) for key in keys[:limit]]
