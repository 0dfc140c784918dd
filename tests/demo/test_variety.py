"""Themes are expressed with lexically varied phrasing: no giveaway keyword, few repeated texts."""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

from groundswell.demo.catalog import THEMES
from groundswell.demo.phrasing_frames import FRAMES
from groundswell.demo.textgen import BANK, render_signal, sample_labels, topic

from tests.demo.exports import jsonl

STOPWORDS = set(
    [
        "the",
        "a",
        "an",
        "to",
        "and",
        "of",
        "in",
        "it",
        "is",
        "i",
        "we",
        "for",
        "on",
        "our",
        "my",
        "this",
        "that",
        "with",
        "be",
        "are",
        "at",
        "but",
        "so",
        "not",
        "just",
        "can",
        "you",
        "me",
        "us",
        "when",
        "there",
        "any",
        "way",
        "from",
        "by",
        "or",
        "as",
        "if",
        "have",
        "has",
        "was",
        "its",
        "they",
        "them",
        "all",
        "do",
        "does",
        "your",
    ]
)


def _tokens(text: str) -> set[str]:
    return {t for t in re.findall(r"[a-zà-ÿ0-9']+", text.lower()) if t not in STOPWORDS}


def test_each_theme_is_lexically_varied(corpus_dir: Path) -> None:
    units = [u for u in jsonl(corpus_dir / "_truth" / "units.jsonl") if not u["duplicate_of"]]
    by_theme: dict[str, list[str]] = {}
    for u in units:
        by_theme.setdefault(u["theme_id"], []).append(u["text"])
    checked = 0
    for theme, texts in by_theme.items():
        if len(texts) < 15:
            continue
        checked += 1
        normalized = {re.sub(r"\W+", " ", t.lower()).strip() for t in texts}
        assert len(normalized) / len(texts) >= 0.8, theme
        counts = Counter(tok for t in texts for tok in _tokens(t))
        token, n = counts.most_common(1)[0]
        assert n / len(texts) <= 0.8, (theme, token, n, len(texts))
    assert checked >= 20


def test_phrasing_bank_is_rich() -> None:
    assert {t.id for t in THEMES} == set(BANK)
    for theme in THEMES:
        bank = BANK[theme.id]
        assert len(bank["says"]) + len(bank["asks"]) >= 5, theme.id
        assert bank["foreign"], theme.id
    assert sum(len(b["says"]) + len(b["asks"]) for b in BANK.values()) >= 250


def test_labels_vary_independently_of_theme() -> None:
    rng = random.Random(1)
    theme = next(t for t in THEMES if t.id == "auth.sso_login")
    labels = [sample_labels(rng, theme.intents) for _ in range(400)]
    assert len({i for i, _, _ in labels}) >= 5
    assert len({s for _, s, _ in labels}) == 3
    assert len({v for _, _, v in labels}) == 4


def test_render_signal_mixes_languages_and_frames() -> None:
    rng = random.Random(2)
    texts = [
        render_signal(rng, "export.csv_timeout", "bug_report", "negative", "high", "4.12.0", foreign_p=0.2)
        for _ in range(200)
    ]
    assert {lang for _, lang in texts} >= {"en", "es", "de", "pt"}
    assert len({t for t, _ in texts}) > 150


def test_each_intent_frame_expresses_its_intent() -> None:
    rng = random.Random(3)
    assert not any("{core}" in frame for frame in FRAMES["question"] + FRAMES["complaint"] + FRAMES["other"])
    assert all("{topic}" in frame for frame in FRAMES["complaint"] + FRAMES["other"])
    for _ in range(100):  # a question asks; a request requests (this theme has both kinds of asks)
        question, _ = render_signal(rng, "auth.sso_login", "question", "neutral", "low", "4.12.0", foreign_p=0)
        request, _ = render_signal(rng, "auth.sso_login", "feature_request", "neutral", "low", "4.12.0", foreign_p=0)
        assert "please add" not in question.lower() and "could you support" not in question.lower()
        assert "how do we" not in request.lower() and "is there a way" not in request.lower()
    assert topic("integ.salesforce_sync") == "Salesforce sync errors" and topic("dash.slow_loading") == "slow loading"
