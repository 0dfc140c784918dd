"""Budgets: the token-bucket rule, spend counters, the daily LLM cap and MeteredChat refusing past it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from groundswell.core.budgets import BucketSlot, BudgetExceeded, MemoryBudgetStore, SpendLimit
from groundswell.core.llm_usage import MemoryUsageLog, MeteredChat, Pricing
from groundswell.core.protocols import ChatReply, ChatUsage


def test_take_takes_from_every_bucket_or_from_none():
    store = MemoryBudgetStore()
    fast, daily = BucketSlot("a", 3, 1.0), BucketSlot("b", 4, 86_400.0)
    assert [store.take([fast, daily], 0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert store.take([fast, daily], 0.0) == pytest.approx(1 / 3)  # the fast one is empty: nothing taken
    assert store.take([daily], 0.0) == 0.0  # so the daily one still had its fourth token
    assert store.take([fast, daily], 10.0) == pytest.approx((1 - 10 * 4 / 86_400) * 86_400 / 4)


def test_spend_adds_up_per_key():
    store = MemoryBudgetStore()
    assert store.spend("k", 1.5, 60) == 1.5
    assert store.spend("k", 2.0, 60) == 3.5
    assert store.spend("other", 0.0, 60) == 0.0


def test_spend_limit_is_per_utc_day_and_refuses_once_spent():
    day = [datetime(2026, 12, 7, 23, 0, tzinfo=UTC)]
    limit = SpendLimit(MemoryBudgetStore(), name="llm", limit=1.0, now=lambda: day[0])
    limit.check()
    limit.record(0.6)
    assert limit.remaining() == pytest.approx(0.4)
    limit.record(0.5)
    with pytest.raises(BudgetExceeded, match="daily limit 1 spent"):
        limit.check()
    day[0] += timedelta(hours=2)  # the next UTC day starts afresh
    limit.check()
    assert limit.spent() == 0.0


class _Chat:
    model_id = "m"

    def __init__(self) -> None:
        self.calls = 0

    def chat(self, messages: Any, **kw: Any) -> ChatReply:
        self.calls += 1
        return ChatReply("ok", "m", usage=ChatUsage(1_000_000, 0))


def test_metered_chat_charges_the_limit_and_stops_calling_past_it():
    inner = _Chat()
    limit = SpendLimit(MemoryBudgetStore(), name="llm", limit=2.5)
    chat = MeteredChat(inner, purpose="classify", log=MemoryUsageLog(), pricing=Pricing(1.0, 0.0), limit=limit)
    for _ in range(3):
        chat.chat([{"role": "user", "content": "hi"}])  # $1 each: 3 > 2.5 after the third
    with pytest.raises(BudgetExceeded):
        chat.chat([{"role": "user", "content": "hi"}])
    assert inner.calls == 3
    assert limit.spent() == pytest.approx(3.0)
