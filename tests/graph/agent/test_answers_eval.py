"""Scoring rules of eval answers on hand-made values."""

from __future__ import annotations

from groundswell.graph.answers_eval import QuestionScore, score_value, summarize


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


def test_segment_rankings_compare_segment_keys_not_their_case() -> None:
    spec = {"kind": "ranking", "group_by": "segment", "value": [{"key": "Enterprise", "value": 3}]}
    score = QuestionScore(id="q", kind="ranking", planned="ranking")
    score_value(score, spec, [{"key": "enterprise", "value": 3}])
    assert score.agreement == 1.0
    themes = QuestionScore(id="q", kind="ranking", planned="ranking")  # other keys stay exact
    score_value(themes, {"kind": "ranking", "value": [{"key": "A > B", "value": 1}]}, [{"key": "a > b", "value": 1}])
    assert themes.agreement == 0.0


def test_viewer_segment_scopes_compare_segment_keys() -> None:
    from groundswell.core.query import Viewer
    from groundswell.graph.tools import is_visible

    viewer = Viewer(name="smb", role="restricted", segments=frozenset({"SMB"}))
    assert is_visible(viewer, "zendesk", None, "smb")
    assert not is_visible(viewer, "zendesk", None, "enterprise")
    assert not is_visible(viewer, "zendesk", None, None)
