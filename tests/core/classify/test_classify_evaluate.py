"""Eval scoring and the text,label CSV reader."""

from __future__ import annotations

from pathlib import Path

import pytest
from groundswell.core.classify.evaluate import read_labelled_csv, score_labels


def test_scores_by_hand() -> None:
    truth = ["a", "a", "b", "oos", "b"]
    predicted = ["a", "b", "b", "other", "other"]
    scores = score_labels(truth, predicted)
    assert scores["accuracy"] == 0.6
    assert scores["coverage"] == 0.6
    assert scores["per_label"]["a"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert scores["per_label"]["b"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert scores["per_label"]["other"] == {"precision": 0.5, "recall": 1.0, "f1": 0.6667, "support": 1}
    assert scores["macro_f1"] == pytest.approx((0.6667 + 0.5 + 0.6667) / 3, abs=1e-4)


def test_a_label_never_predicted_scores_zero_and_extra_predictions_do_not_add_labels() -> None:
    scores = score_labels(["a", "b"], ["a", "c"])
    assert scores["per_label"]["b"]["f1"] == 0.0
    assert set(scores["per_label"]) == {"a", "b"}
    assert scores["macro_f1"] == 0.5


def test_length_mismatch_and_empty() -> None:
    with pytest.raises(ValueError):
        score_labels(["a"], [])
    assert score_labels([], [])["accuracy"] == 0.0


def test_reads_quoted_csv_with_header(tmp_path: Path) -> None:
    path = tmp_path / "train.csv"
    path.write_text('text,label\n"hello, world",greet\nbye,leave\n\n', encoding="utf-8")
    assert read_labelled_csv(path) == (["hello, world", "bye"], ["greet", "leave"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("sentence,tag\nx,y\n", ":1: expected a header"),
        ("text,label\nfine,a\nno label here\n", ":3: expected 2 columns"),
        ("text,label\nfine,a\ntoo,many,cells\n", ":3: expected 2 columns"),
        ("text,label\nfine,\n", ":2: empty label"),
        ("text,label\n", "no rows"),
        ("", ":1: expected a header"),
    ],
)
def test_malformed_rows_name_their_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_labelled_csv(path)
