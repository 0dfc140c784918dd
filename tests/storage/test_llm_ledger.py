"""The LLM ledger on SQLite and PostgreSQL: label cache by content hash, usage rows, usage per day and purpose."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from groundswell.core.llm_usage import LlmCall
from groundswell.storage.db import session_scope
from groundswell.storage.llm import DatabaseLlmLedger, get_cached_labels, save_cached_labels, summarise_llm_usage

DAY = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def test_labels_are_cached_by_key_and_never_overwritten(engine) -> None:
    with session_scope(engine) as session:
        added = save_cached_labels(
            session=session,
            entries={"k1": {"theme": "a"}, "k2": {"theme": "b"}},
            model="m",
            prompt_version="v",
            taxonomy_version=1,
        )
        assert added == 2
    with session_scope(engine) as session:
        again = save_cached_labels(
            session=session,
            entries={"k1": {"theme": "changed"}, "k3": {"theme": "c"}},
            model="m",
            prompt_version="v",
            taxonomy_version=1,
        )
        assert again == 1
        assert get_cached_labels(session=session, keys=["k1", "k3", "nope"]) == {
            "k1": {"theme": "a"},
            "k3": {"theme": "c"},
        }


def test_usage_is_summarised_per_day_purpose_and_model(engine) -> None:
    ledger = DatabaseLlmLedger(engine)
    ledger.record(LlmCall("classify", "gpt-x", 1000, 200, cost_usd=0.0003, items=20, at=DAY))
    ledger.record(LlmCall("classify", "gpt-x", 500, 100, cost_usd=0.00015, items=10, at=DAY + timedelta(hours=3)))
    ledger.record(LlmCall("classify", "gpt-x", cached=True, items=30, at=DAY + timedelta(hours=4)))
    ledger.record(LlmCall("classify", "gpt-x", items=5, error="LanguageModelError: HTTP 503", at=DAY))
    ledger.record(LlmCall("plan", "gpt-x", 300, 50, cost_usd=0.0001, at=DAY + timedelta(days=1)))
    with session_scope(engine) as session:
        rows = [r.as_dict() for r in summarise_llm_usage(session=session)]
        later = summarise_llm_usage(session=session, since=DAY + timedelta(hours=12))
    assert rows == [
        {"day": "2026-11-02", "purpose": "classify", "model": "gpt-x", "calls": 3, "cached_batches": 1, "errors": 1,
         "items": 65, "prompt_tokens": 1500, "completion_tokens": 300, "cost_usd": 0.00045},
        {"day": "2026-11-03", "purpose": "plan", "model": "gpt-x", "calls": 1, "cached_batches": 0, "errors": 0,
         "items": 1, "prompt_tokens": 300, "completion_tokens": 50, "cost_usd": 0.0001},
    ]  # fmt: skip
    assert [r.purpose for r in later] == ["plan"]


def test_the_ledger_is_a_label_cache(engine) -> None:
    ledger = DatabaseLlmLedger(engine)
    ledger.put_labels({"k": {"theme": "x"}}, model="m", prompt_version="v", taxonomy_version=2)
    assert ledger.get_labels(["k", "j"]) == {"k": {"theme": "x"}}
