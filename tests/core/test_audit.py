"""The audited asker: one event per question with plan, evidence, hash, latency, tokens; errors, scope, redaction."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from groundswell.api.metrics import Metrics
from groundswell.core.answer import Answer
from groundswell.core.audit import (
    AuditedAsker,
    AuditEntry,
    AuditLog,
    MemoryAuditSink,
    ScopedUsageLog,
    ask_via,
    out_of_scope,
)
from groundswell.core.llm_usage import LlmCall, MemoryUsageLog, MeteredChat, Pricing
from groundswell.core.privacy import PiiDetector, Redactor
from groundswell.core.protocols import ChatReply, ChatUsage
from groundswell.core.query import OUT_OF_SCOPE_NOTE, Filters, Viewer

from tests.api.test_metrics import parse
from tests.bot.answers import ScriptedAsker, ranking_answer

ADMIN = Viewer(name="ana", role="admin")
SMB_ONLY = Viewer(name="sam", role="restricted", segments=frozenset({"SMB"}))


class TokenChat:
    model_id = "fake-1"

    def chat(self, messages: Sequence[Mapping[str, Any]], **_: Any) -> ChatReply:
        return ChatReply(content="ok", model="fake-1", usage=ChatUsage(prompt_tokens=120, completion_tokens=30))


class PlanningAsker:
    """Calls the (metered) chat model twice per question, like the LLM planner and composer."""

    def __init__(self, chat: MeteredChat, answer: Answer | None = None) -> None:
        self.chat = chat
        self.answer = answer

    def ask(self, question: str, *, viewer: Viewer, thread_id: str | None = None) -> Answer:
        self.chat.chat([{"role": "user", "content": question}])
        self.chat.chat([{"role": "user", "content": "compose"}])
        return self.answer or ranking_answer(question, quotes=2, thread_id=thread_id)


def _audited(inner: Any, **log: Any) -> tuple[AuditedAsker, MemoryAuditSink]:
    sink = MemoryAuditSink()
    return AuditedAsker(inner, AuditLog(sink, **log)), sink


def test_one_question_records_plan_every_unit_and_count_and_the_answer_hash():
    asker, sink = _audited(ScriptedAsker())
    answer = asker.ask("top themes?", viewer=ADMIN, thread_id="t-1")
    (event,) = sink.entries
    assert (event.kind, event.surface, event.viewer, event.action, event.outcome) == (
        "question", "cli", "ana", "ask", "answered"
    )  # fmt: skip
    assert event.text == "top themes?" and event.thread_id == "t-1"
    assert event.plan == answer.plan.model_dump(mode="json") and event.plan["kind"] == "ranking"
    (tool,) = event.evidence
    assert tool["tool"] == "rank_themes"
    assert [(r["key"], r["count"], r["unit_ids"]) for r in tool["rows"]] == [
        ("auth.sso_login", 142, ["u-1", "u-2"]), ("export.csv", 97, ["u-3"]), ("billing.invoices", 55, []),
    ]  # fmt: skip
    assert event.unit_ids == ["u-1", "u-2", "u-3", "u-4", "u-5", "u-6", "u-7"]  # rows and the 7 citations
    assert event.answer_sha256 == hashlib.sha256(answer.text.encode()).hexdigest()
    assert event.latency_ms is not None and event.latency_ms >= 0
    assert (event.llm_calls, event.prompt_tokens, event.cost_usd) == (0, 0, 0.0)  # template answer: no LLM


def test_tokens_and_cost_of_the_agents_llm_calls_are_counted_per_question():
    usage = ScopedUsageLog()
    chat = MeteredChat(TokenChat(), purpose="ask", log=usage, pricing=Pricing(1.0, 2.0))
    sink = MemoryAuditSink()
    asker = AuditedAsker(PlanningAsker(chat), AuditLog(sink), usage=usage)
    asker.ask("top themes?", viewer=ADMIN, surface="mcp", user_id="tok_1")
    asker.ask("and last week?", viewer=ADMIN, surface="rest")
    chat.chat([{"role": "user", "content": "outside any question"}])  # goes to no question
    first, second = sink.entries
    assert (first.surface, first.user_id, first.llm_calls, first.prompt_tokens, first.completion_tokens) == (
        "mcp", "tok_1", 2, 240, 60
    )  # fmt: skip
    assert first.cost_usd == pytest.approx((240 * 1.0 + 60 * 2.0) / 1e6)
    assert (second.surface, second.llm_calls, second.prompt_tokens) == ("rest", 2, 240)


def test_a_failing_agent_is_recorded_as_an_error_and_still_raises():
    inner = ScriptedAsker()
    inner.fail = RuntimeError("tool blew up")
    asker, sink = _audited(inner)
    with pytest.raises(RuntimeError, match="tool blew up"):
        asker.ask("top themes?", viewer=ADMIN, surface="slack", user_id="U1")
    (event,) = sink.entries
    assert (event.outcome, event.reason, event.plan, event.answer_sha256) == (
        "error", "RuntimeError: tool blew up", None, None
    )  # fmt: skip


def test_asking_outside_the_viewers_scope_is_recorded_as_refused():
    base = ranking_answer("enterprise themes?")
    plan = base.plan.model_copy(update={"filters": Filters(segments=["Enterprise"])})
    asker, sink = _audited(PlanningAsker(MeteredChat(TokenChat(), purpose="ask", log=ScopedUsageLog()),
                                         base.model_copy(update={"plan": plan})))  # fmt: skip
    metrics = Metrics()
    asker.audit.telemetry = metrics
    asker.ask("enterprise themes?", viewer=SMB_ONLY, surface="mcp")
    asker.ask("enterprise themes?", viewer=ADMIN, surface="mcp")
    refused, answered = sink.entries
    assert refused.outcome == "refused" and refused.reason == "outside the viewer's scope: segments: Enterprise"
    assert answered.outcome == "answered"
    got = parse(metrics.render().decode())  # counted once, as a refusal: the answered question is not
    assert got[("groundswell_access_denials_total", (("reason", "out_of_scope"), ("surface", "mcp")))] == 1
    assert sum(v for (name, _), v in got.items() if name == "groundswell_access_denials_total") == 1


def test_out_of_scope_names_each_filter_outside_the_scope():
    viewer = Viewer(name="v", segments=frozenset({"SMB"}), sources=frozenset({"zendesk"}), accounts=frozenset({"A1"}))
    plan = ranking_answer("q").plan.model_copy(
        update={"filters": Filters(segments=["SMB", "Enterprise"], sources=["gong"], accounts=["A1", "A2"])}
    )
    assert out_of_scope(plan, viewer) == ["segments: Enterprise", "sources: gong", "accounts: A2"]
    assert out_of_scope(plan, ADMIN) == []


def test_question_text_is_redacted_before_the_sink_sees_it():
    redactor = Redactor(PiiDetector(), b"k" * 32)
    asker, sink = _audited(ScriptedAsker(), redact=lambda text: redactor.redact(text).text)
    answer = asker.ask("what did jane.doe@example.com say? call +1 415 555 0100", viewer=ADMIN)
    (event,) = sink.entries
    assert "jane.doe@example.com" not in event.text and "<EMAIL_" in event.text
    assert "555 0100" not in event.text and "<PHONE_" in event.text
    assert answer.question.startswith("what did jane.doe")  # the asker itself got the question as asked
    failing = ScriptedAsker()
    failing.fail = ValueError("no account for jane.doe@example.com")
    asker, sink = _audited(failing, redact=lambda text: redactor.redact(text).text)
    with pytest.raises(ValueError):
        asker.ask("accounts of jane.doe@example.com", viewer=ADMIN)
    assert "jane.doe" not in (sink.entries[0].reason or "") and "<EMAIL_" in (sink.entries[0].reason or "")


def test_a_broken_sink_never_breaks_the_answer(caplog):
    class Broken:
        def write(self, entry: AuditEntry) -> None:
            raise OSError("disk full")

    asker = AuditedAsker(ScriptedAsker(), AuditLog(Broken()))
    assert asker.ask("top themes?", viewer=ADMIN).headline
    assert "could not record the audit event" in caplog.text


def test_denials_are_events_with_their_reason_both_redacted_and_counted_by_code():
    sink, metrics = MemoryAuditSink(), Metrics()
    AuditLog(sink, redact=str.upper, telemetry=metrics).denial(
        surface="slack", viewer="slack:U2", user_id="U2", action="slack.channel_settings", reason="admin only",
        code="admin_only", text="segment enterprise",
    )  # fmt: skip
    (event,) = sink.entries
    assert (event.kind, event.outcome, event.reason, event.text) == (
        "denial", "denied", "ADMIN ONLY", "SEGMENT ENTERPRISE"
    )  # fmt: skip
    got = parse(metrics.render().decode())
    assert got[("groundswell_access_denials_total", (("reason", "admin_only"), ("surface", "slack")))] == 1


def test_ask_via_passes_the_surface_to_an_audited_asker_only():
    plain = ScriptedAsker()
    ask_via(plain, "q", viewer=ADMIN, thread_id=None, surface="slack", user_id="U1")
    assert plain.calls == [("q", ADMIN, None)]
    asker, sink = _audited(ScriptedAsker())
    ask_via(asker, "q", viewer=ADMIN, thread_id="t", surface="slack", user_id="U1")
    assert (sink.entries[0].surface, sink.entries[0].user_id) == ("slack", "U1")


def test_scoped_usage_collects_only_inside_a_question_and_forwards_every_call():
    ledger = MemoryUsageLog()
    usage = ScopedUsageLog(forward=ledger)
    usage.record(LlmCall("ask", "m", prompt_tokens=5))
    with usage.collect() as calls:
        usage.record(LlmCall("ask", "m", prompt_tokens=7))
    assert [c.prompt_tokens for c in calls.calls] == [7]
    assert [c.prompt_tokens for c in ledger.calls] == [5, 7]


def test_a_plan_run_without_the_agent_is_audited_with_its_numbers():
    answer = ranking_answer("top themes?")
    sink = MemoryAuditSink()
    AuditLog(sink).plan_run(surface="mcp", viewer=ADMIN, plan=answer.plan, results=answer.results, latency_ms=12.34,
                            user_id="tok_9")  # fmt: skip
    restricted = answer.plan.model_copy(update={"filters": Filters(segments=["Enterprise"])})
    AuditLog(sink).plan_run(surface="rest", viewer=SMB_ONLY, plan=restricted, results=[], latency_ms=1.0)
    ran, refused = sink.entries
    assert (ran.action, ran.surface, ran.user_id, ran.outcome, ran.text) == (
        "run_query", "mcp", "tok_9", "answered", "top themes?"
    )  # fmt: skip
    assert ran.unit_ids == ["u-1", "u-2", "u-3"] and ran.latency_ms == 12.3 and ran.answer_sha256 is None
    assert [r["count"] for r in ran.evidence[0]["rows"]] == [142, 97, 55]
    assert refused.outcome == "refused" and refused.unit_ids == []


def test_names_taken_out_of_a_restricted_viewers_question_count_as_out_of_scope():
    viewer = Viewer(name="v", segments=frozenset({"SMB"}))
    plan = ranking_answer("q").plan.model_copy(
        update={"unsupported": ["by region", "Enterprise" + OUT_OF_SCOPE_NOTE, "gong" + OUT_OF_SCOPE_NOTE]}
    )
    assert out_of_scope(plan, viewer) == ["named: Enterprise, gong"]
    assert out_of_scope(plan.model_copy(update={"unsupported": ["by region"]}), viewer) == []
