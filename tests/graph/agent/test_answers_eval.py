"""Scoring rules of eval answers on hand-made values."""

from __future__ import annotations

from graph.answers_eval import QuestionScore, score_value, summarize


def _score(spec: dict, got: object) -> QuestionScore:
    score = QuestionScore(id="q", kind=spec["kind"], planned=spec["kind"])
    score_value(score, spec, got)
    return score


def test_numbers_exact_and_close() -> None:
    assert (_score({"kind": "count", "value": 100}, 100).exact, _score({"kind": "count", "value": 100}, 104).close) == (
        True,
        True,
    )
    assert (_score({"kind": "count", "value": 100}, 104).exact, _score({"kind": "count", "value": 100}, 106).close) == (
        False,
        False,
    )
    assert _score({"kind": "number", "value": 1234.56}, 1234.555).exact
    comparison = {"kind": "comparison", "value": {"current": 40, "previous": 20, "delta": 20}}
    assert _score(comparison, {"current": 41, "previous": 20, "delta": 21}).close and not _score(comparison, None).exact


def test_rankings_and_sets() -> None:
    ranking = {"kind": "ranking", "value": [{"key": "a", "value": 3}, {"key": "b", "value": 2}]}
    assert _score(ranking, [{"key": "b", "value": 9}, {"key": "c", "value": 1}]).agreement == 0.5
    accounts = {"kind": "set", "of": "account_id", "value": ["A", "B", "C"]}
    assert _score(accounts, ["B", "C", "D"]).set_agreement == 0.5
    assert _score({"kind": "set", "of": "signal_id", "value": ["s1"]}, None).notes


def test_summary_keys() -> None:
    scores = [_score({"kind": "count", "value": 1}, 1), _score({"kind": "count", "value": 1}, 3)]
    summary = summarize(scores)
    assert summary["number_exactness"] == 0.5 and summary["questions"] == 2 and summary["permission_leaks"] == 0
    assert summary["citation_validity"] is None and summary["number_within_5pct"] == 0.5
