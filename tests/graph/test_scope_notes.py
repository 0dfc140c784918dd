"""A question naming a segment or source the viewer may not see says so; it is never silently dropped."""

from __future__ import annotations

from datetime import UTC, datetime

from groundswell.core.query import QueryPlan, Vocabulary, Window
from groundswell.graph.scope_notes import note_out_of_scope, without_out_of_scope

NOW = datetime(2026, 11, 1, tzinfo=UTC)
VOCAB = Vocabulary(segments=["SMB"], sources=["zendesk"], out_of_scope=["Enterprise", "Mid-Market", "gong"])


def _plan(question: str) -> QueryPlan:
    window = Window(start=NOW.replace(month=10), end=NOW)
    return QueryPlan(kind="ranking", question=question, as_of=NOW, window=window)


def test_a_named_out_of_scope_segment_is_taken_out_and_stated() -> None:
    question = "what are Enterprise customers most frustrated about?"
    asked, named = without_out_of_scope(question, VOCAB)
    assert asked == "what are customers most frustrated about?" and named == ["Enterprise"]
    noted = note_out_of_scope(_plan(asked), question, named)
    assert noted.question == question
    assert noted.unsupported == ["Enterprise (outside what you may see: this answer covers only your own scope)"]


def test_multiword_names_and_sources_match_whole_words_in_any_case() -> None:
    asked, named = without_out_of_scope("mid market complaints in GONG calls", VOCAB)
    assert sorted(named) == ["Mid-Market", "gong"] and asked == "complaints in calls"
    assert without_out_of_scope("what is going on with enterprisey markets?", VOCAB)[1] == []


def test_notes_are_not_repeated_and_in_scope_names_stay() -> None:
    question = "enterprise and smb feedback"
    asked, named = without_out_of_scope(question, VOCAB)
    assert asked == "and smb feedback"
    once = note_out_of_scope(_plan(asked), question, named)
    assert note_out_of_scope(once, question, named).unsupported == once.unsupported and len(once.unsupported) == 1


def test_a_question_naming_nothing_hidden_is_passed_on_exactly() -> None:
    question = "  Give me quotes about sync errors  (last 30 days) "
    assert without_out_of_scope(question, VOCAB) == (question, [])
