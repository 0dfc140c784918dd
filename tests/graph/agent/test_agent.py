"""The agent end to end over stub tools: flow, follow-ups, bad input, permissions, LLM composition and fallbacks."""

from __future__ import annotations

import json

import httpx
from groundswell.core.answer import Answer, Asker
from groundswell.core.errors import GroundswellError
from groundswell.core.protocols import ChatReply
from groundswell.core.query import QueryPlan
from groundswell.graph.agent import Agent

from tests.graph.agent.stubs import (
    ADMIN,
    AS_OF,
    PRIOR_30,
    SMB_ONLY,
    UNITS,
    ScriptedChat,
    ScriptedPlanner,
    context,
    plan,
)

TOP = plan("ranking", k=3, quotes=2)


def _smb(previous: QueryPlan | None) -> QueryPlan:
    assert previous is not None
    return previous.model_copy(update={"filters": previous.filters.model_copy(update={"segments": ["SMB"]})})


def _agent(chat: ScriptedChat | None = None, **script) -> tuple[Agent, ScriptedPlanner]:
    planner = ScriptedPlanner({"top themes?": TOP, "and for SMB?": _smb, **script})
    return Agent(context(planner, chat)), planner


def test_agent_is_an_asker_and_answers_with_citations() -> None:
    agent, _ = _agent()
    assert isinstance(agent, Asker)
    answer = agent.ask("top themes?", viewer=ADMIN)
    assert answer.composer == "template" and answer.verified and answer.fallback is None
    assert answer.plan == TOP and answer.window == TOP.filters.window and answer.taxonomy_version == 2
    assert answer.stale_sources == ["gong"] and set(answer.freshness) == {"gong", "googleplay", "zendesk"}
    cited = {q.unit_id for q in answer.citations}
    evidence = {u for r in answer.results for row in r.rows for u in row.unit_ids}
    assert cited and cited <= evidence | {u.id for u in UNITS}
    assert [q.n for q in answer.citations] == list(range(1, len(answer.citations) + 1))
    assert all(f"[{q.n}]" in answer.text for q in answer.citations)


def test_follow_ups_keep_the_thread_context() -> None:
    agent, planner = _agent()
    agent.ask("top themes?", viewer=ADMIN, thread_id="t1")
    answer = agent.ask("and for SMB?", viewer=ADMIN, thread_id="t1")
    assert planner.calls[1] == ("and for SMB?", TOP)
    assert answer.plan.filters.segments == ["SMB"] and answer.plan.k == 3
    assert {q.segment for q in answer.citations} == {"SMB"}


def test_threads_are_per_viewer_and_questions_without_thread_stand_alone() -> None:
    agent, planner = _agent()
    agent.ask("top themes?", viewer=ADMIN, thread_id="t1")
    agent.ask("top themes?", viewer=SMB_ONLY, thread_id="t1")
    agent.ask("top themes?", viewer=ADMIN)
    assert [previous for _, previous in planner.calls] == [None, None, None]


def test_bad_input_gets_a_helpful_answer_never_a_traceback() -> None:
    def broken(previous: QueryPlan | None) -> QueryPlan:
        raise GroundswellError("no segment called 'Martian'")

    agent, _ = _agent(**{"what about the Martian segment?": broken})
    empty = agent.ask("   ", viewer=ADMIN)
    assert empty.plan.kind == "help" and "empty" in empty.text and "Try:" in empty.text
    long = agent.ask("why " * 2_600, viewer=ADMIN)
    assert long.plan.kind == "clarify" and "too long" in long.text and long.clarification
    martian = agent.ask("what about the Martian segment?", viewer=ADMIN)
    assert martian.plan.kind == "help" and "Martian" in martian.text


def test_restricted_viewer_sees_only_its_scope() -> None:
    agent, _ = _agent()
    answer = agent.ask("top themes?", viewer=SMB_ONLY)
    assert answer.citations and all(q.segment == "SMB" and q.source in {"zendesk", "gong"} for q in answer.citations)
    assert "googleplay ·" not in answer.text and set(answer.freshness) == {"gong", "zendesk"}
    admin = _agent()[0].ask("top themes?", viewer=ADMIN)
    assert sum(r.value for r in answer.results[0].rows) < sum(r.value for r in admin.results[0].rows)


def _reply(text: str, **kwargs) -> ChatReply:
    return ChatReply(content=text, model="scripted", **kwargs)


def test_llm_prose_from_tool_outputs_only_is_sent_when_verified() -> None:
    def good_text(agent_answer: Answer) -> str:
        row = agent_answer.results[0].rows[0]
        return f"{row.label} leads with {int(row.value)} signals [1]."

    template = _agent()[0].ask("top themes?", viewer=ADMIN)
    chat = ScriptedChat([_reply(good_text(template))])
    answer = _agent(chat)[0].ask("top themes?", viewer=ADMIN)
    assert answer.composer == "llm" and answer.verified and answer.text.startswith(good_text(template))
    payload = json.loads(chat.sent[0][1]["content"])
    assert payload["results"][0]["rows"][0]["value"] == template.results[0].rows[0].value
    assert all(set(c["text"]) == {"untrusted_customer_feedback"} for c in payload["citations"])
    assert "DATA" in chat.sent[0][0]["content"] and "Sources:" in answer.text


def test_llm_answer_with_an_invented_number_is_replaced_by_the_template() -> None:
    chat = ScriptedChat([_reply("SSO login leads with 4,711 signals [1], up 38% [9].")])
    answer = _agent(chat)[0].ask("top themes?", viewer=ADMIN)
    assert answer.composer == "template" and not answer.verified
    assert "4,711" not in answer.text and "failed verification" in (answer.fallback or "")


def test_llm_errors_and_tool_calls_fall_back_to_templates() -> None:
    request = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")
    chat = ScriptedChat(
        [
            httpx.ReadTimeout("timed out", request=request),
            _reply("", tool_calls=[{"id": "c1", "name": "delete_everything", "arguments": {}}]),
            _reply("   "),
        ]
    )
    agent, _ = _agent(chat)
    answers = [agent.ask("top themes?", viewer=ADMIN) for _ in range(3)]
    assert [a.composer for a in answers] == ["template"] * 3 and all(a.verified for a in answers)
    assert [
        "ReadTimeout" in (answers[0].fallback or ""),
        "tool" in (answers[1].fallback or ""),
        "no text" in (answers[2].fallback or ""),
    ] == [True] * 3


def test_clarify_and_help_never_reach_the_llm() -> None:
    chat = ScriptedChat([])
    clarify = QueryPlan(kind="clarify", as_of=AS_OF, clarification="Which segment?")
    agent, _ = _agent(chat, **{"hmm?": clarify})
    assert agent.ask("hmm?", viewer=ADMIN).text == "Which segment?" and chat.sent == []


def test_comparison_answer_names_both_windows() -> None:
    p = plan("comparison", previous_window=PRIOR_30, filters={"themes": ["auth.sso_login"]})
    answer = _agent(**{"sso vs before?": p})[0].ask("sso vs before?", viewer=ADMIN)
    assert "vs" in answer.headline and "prior 30 days" in answer.text and answer.verified


def test_pii_is_revealed_only_for_viewers_allowed_to_see_it() -> None:
    from dataclasses import replace

    calls: list[str] = []

    def reveal(citations, viewer):  # type: ignore[no-untyped-def]
        calls.append(viewer.name)
        return [q.model_copy(update={"text": q.text.replace("Customer", "Jane Doe")}) for q in citations]

    planner = ScriptedPlanner({"top themes?": TOP})
    base = context(planner)
    agent = Agent(replace(base, tools=replace(base.tools, reveal=reveal)))
    hidden = agent.ask("top themes?", viewer=ADMIN)
    shown = agent.ask("top themes?", viewer=ADMIN.model_copy(update={"name": "dpo", "can_reveal_pii": True}))
    assert calls == ["dpo"] and "Jane Doe" not in hidden.text
    assert "Jane Doe" in shown.citations[0].text and "Jane Doe" in shown.text and shown.verified
