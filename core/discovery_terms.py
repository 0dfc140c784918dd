"""Cluster names from distinctive terms: class-based TF-IDF (c-TF-IDF, as in BERTopic).

All texts of a cluster form one document; a term's weight in cluster c is
``tf(t, c) * log(1 + A / f(t))`` with ``A`` the average number of words per cluster and ``f(t)`` the
term's frequency across all clusters: frequent here, rare elsewhere. Noise texts take part as one extra
class (so words that are everywhere score low) but get no terms themselves.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

__all__ = ["TOKEN_PATTERN", "ctfidf_terms", "name_from_terms"]

TOKEN_PATTERN = r"(?u)\b[^\W\d_]{2,}\b"  # letters only: pseudonyms like <EMAIL_19c2> and numbers never name a theme


def _vectorize(docs: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Term counts per class document; terms seen only once in the whole corpus are dropped (typos, ids)."""
    vectorizer = CountVectorizer(stop_words="english", ngram_range=(1, 2), token_pattern=TOKEN_PATTERN)
    try:
        counts = np.asarray(vectorizer.fit_transform(docs).toarray(), dtype=np.float64)
    except ValueError:  # empty vocabulary: only stop words
        return np.zeros((len(docs), 0)), np.array([], dtype=object)
    vocab = vectorizer.get_feature_names_out()
    keep = counts.sum(axis=0) >= 2
    return (counts[:, keep], vocab[keep]) if keep.any() else (counts, vocab)


def ctfidf_terms(texts: Sequence[str], labels: Sequence[int] | np.ndarray, n_terms: int = 8) -> dict[int, list[str]]:
    """The ``n_terms`` most distinctive terms of each cluster label (``-1`` is noise and gets none)."""
    labels = np.asarray(labels)
    classes = sorted(int(c) for c in set(labels.tolist()))
    docs = [" ".join(texts[i] for i in np.flatnonzero(labels == c)) for c in classes]
    tf, vocab = _vectorize(docs)
    result: dict[int, list[str]] = {c: [] for c in classes if c >= 0}
    if tf.shape[1] == 0:
        return result
    avg_words = tf.sum() / len(classes)
    weights = tf * np.log1p(avg_words / np.maximum(tf.sum(axis=0), 1.0))
    for row, c in enumerate(classes):
        if c < 0:
            continue
        # highest weight first; on a tie the longer phrase ("money back" over "money"), then the term itself
        ranked = np.flatnonzero(weights[row] > 0)
        order = sorted(ranked, key=lambda j: (-round(weights[row, j], 12), -len(vocab[j].split()), vocab[j]))
        result[c] = _distinct([str(vocab[j]) for j in order], n_terms)
    return result


def _distinct(terms: list[str], n: int) -> list[str]:
    """Drop a term whose words all appear in a better-ranked term (``card`` after ``card arrival``) and vice versa."""
    chosen: list[str] = []
    for term in terms:
        words = set(term.split())
        if any(words <= set(c.split()) or set(c.split()) <= words for c in chosen):
            continue
        chosen.append(term)
        if len(chosen) == n:
            break
    return chosen


def name_from_terms(terms: Sequence[str], k: int = 3) -> str:
    """A readable provisional name, e.g. ``"card arrival / delivery / tracking"``."""
    return " / ".join(terms[:k]) if terms else "unnamed theme"
