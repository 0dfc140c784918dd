"""The agent as a LangGraph flowchart: plan → run tools → compose → verify (→ template rewrite) → finish."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from groundswell.core.answer import Answer, CitedQuote, ToolResult
from groundswell.core.errors import GroundswellError
from groundswell.core.query import QueryPlan, Viewer, Vocabulary
from groundswell.graph.compose import compose_template, footer, quotes_block
from groundswell.graph.context import AgentContext
from groundswell.graph.prompts import compose_messages, compose_payload
from groundswell.graph.scope_notes import note_out_of_scope, without_out_of_scope
from groundswell.graph.state import AgentState
from groundswell.graph.tools import NO_TOOLS, Gathered, gather
from groundswell.graph.verify import evidence_for, verify
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from pydantic import ValidationError

__all__ = ["build_graph"]

log = logging.getLogger(__name__)


def _help_plan(question: str, as_of: datetime, note: str, kind: str = "help") -> QueryPlan:
    if kind == "clarify":
        return QueryPlan(kind="clarify", as_of=as_of, question=question[:200], clarification=note)
    return QueryPlan(kind="help", as_of=as_of, question=question[:200], notes=[note])


def _names(plan: QueryPlan, vocabulary: Vocabulary) -> dict[str, str]:
    """Display names of the themes and accounts the plan filters on."""
    themes = {t.key: f"{t.parent_name} > {t.name}" if t.parent_name else t.name for t in vocabulary.themes}
    wanted = {k: themes[k] for k in plan.filters.themes if k in themes}
    return wanted | {a: vocabulary.accounts[a] for a in plan.filters.accounts if a in vocabulary.accounts}


def _gathered(state: AgentState) -> Gathered:
    return Gathered(
        results=[ToolResult.model_validate(r) for r in state.get("results", [])],
        citations=[CitedQuote.model_validate(c) for c in state.get("citations", [])],
        freshness={k: datetime.fromisoformat(v) if v else None for k, v in state.get("freshness", {}).items()},
        stale_sources=list(state.get("stale_sources", [])),
        taxonomy_version=state.get("taxonomy_version"),
        quoted=state.get("quoted", 0),
        names=dict(state.get("names", {})),
    )


def build_graph(context: AgentContext, *, checkpointer: BaseCheckpointSaver | None = None) -> CompiledStateGraph:
    """Compile the agent over ``context``; with a checkpointer, state (the last plan) persists per thread_id."""
    options = context.options

    def plan(state: AgentState) -> dict[str, Any]:
        """Question → typed plan; the thread's previous plan feeds follow-ups."""
        question = (state.get("question") or "").strip()
        previous = state.get("plan")
        as_of = context.now()
        if not question:
            new = _help_plan(question, as_of, "The question was empty.")
        elif len(question) > options.max_question_chars:
            limit = f"{options.max_question_chars:,}"
            note = f"That question is too long to plan reliably; ask it in a sentence or two (< {limit} characters)."
            new = _help_plan(question, as_of, note, "clarify")
        else:
            try:
                vocabulary = context.tools.vocabulary(as_of, Viewer.model_validate(state["viewer"]))
                previous_plan = QueryPlan.model_validate(previous) if previous else None
                asked, hidden = without_out_of_scope(question, vocabulary)
                new = context.planner(asked, vocabulary=vocabulary, as_of=as_of, previous=previous_plan)
                new = note_out_of_scope(new, question, hidden) if hidden else new
                return {
                    "plan": new.model_dump(mode="json"),
                    "previous_plan": previous,
                    "names": _names(new, vocabulary),
                }
            except (GroundswellError, ValidationError, ValueError) as exc:
                new = _help_plan(question, as_of, f"I could not turn that into a query: {exc}")
        return {"plan": new.model_dump(mode="json"), "previous_plan": previous, "names": {}}

    def run_tools(state: AgentState) -> dict[str, Any]:
        """Run the plan as the viewer: exact results, numbered citations, freshness."""
        plan_ = QueryPlan.model_validate(state["plan"])
        viewer = Viewer.model_validate(state["viewer"])
        try:
            gathered = gather(context, plan_, viewer)
        except GroundswellError as exc:
            plan_ = _help_plan(plan_.question, plan_.as_of, f"I could not run that query: {exc}")
            gathered = Gathered()
        return {
            "plan": plan_.model_dump(mode="json"),
            "results": [r.model_dump(mode="json") for r in gathered.results],
            "citations": [c.model_dump(mode="json") for c in gathered.citations],
            "freshness": {k: v.isoformat() if v else None for k, v in gathered.freshness.items()},
            "stale_sources": gathered.stale_sources,
            "taxonomy_version": gathered.taxonomy_version,
            "quoted": gathered.quoted,
        }

    def compose(state: AgentState) -> dict[str, Any]:
        """Template text always; LLM prose from the tool outputs when a chat model is configured."""
        plan_ = QueryPlan.model_validate(state["plan"])
        gathered = _gathered(state)
        headline, template = compose_template(plan_, gathered, quote_chars=options.quote_chars)
        update: dict[str, Any] = {"headline": headline, "template_text": template, "llm_text": None, "fallback": None}
        if context.chat_model is None or plan_.kind in NO_TOOLS:
            return update
        payload = compose_payload(state.get("question", ""), plan_, gathered, quote_chars=options.quote_chars)
        try:
            reply = context.chat_model.chat(compose_messages(payload), max_tokens=options.llm_max_tokens)
        except Exception as exc:  # any endpoint failure (timeout, 429, 5xx, bad JSON) means the template answers
            log.warning("LLM composition failed, answering from templates: %s", exc)
            return update | {"fallback": f"language model unavailable: {type(exc).__name__}"}
        if reply.tool_calls:
            return update | {"fallback": "the language model asked for a tool; the composer has none"}
        if not reply.content.strip():
            return update | {"fallback": "the language model returned no text"}
        block = quotes_block(gathered.citations[: gathered.quoted], options.quote_chars)
        parts = (reply.content.strip(), block, footer(plan_, gathered))
        return update | {"llm_text": "\n\n".join(p for p in parts if p)}

    def check(state: AgentState) -> dict[str, Any]:
        """Every number and citation of the text to send must come from the results."""
        plan_ = QueryPlan.model_validate(state["plan"])
        gathered = _gathered(state)
        viewer = Viewer.model_validate(state["viewer"])
        evidence = evidence_for(
            plan_,
            gathered.results,
            gathered.citations,
            viewer,
            freshness=gathered.freshness,
            quote_chars=options.quote_chars,
            names=gathered.names,
        )
        if plan_.kind in NO_TOOLS:  # a question back or the help text: no figures from data to check
            return {"verified": True, "problems": []}
        text = state.get("llm_text") or state["template_text"]
        report = verify(text, evidence)
        if state.get("llm_text") and not report.ok:
            log.warning("LLM answer failed verification: %s", "; ".join(report.problems))
        return {"verified": report.ok, "problems": report.problems}

    def route(state: AgentState) -> str:
        return "finish" if state.get("verified") or not state.get("llm_text") else "rewrite"

    def rewrite(state: AgentState) -> dict[str, Any]:
        """The LLM text failed verification: answer from the template instead, flagged."""
        reason = "LLM answer failed verification: " + "; ".join(state.get("problems", [])[:3])
        return {"llm_text": None, "verified": False, "fallback": reason}

    def finish(state: AgentState) -> dict[str, Any]:
        plan_ = QueryPlan.model_validate(state["plan"])
        gathered = _gathered(state)
        llm_text = state.get("llm_text")
        answer = Answer(
            question=state.get("question", ""),
            text=llm_text or state["template_text"],
            headline=state.get("headline", ""),
            plan=plan_,
            results=gathered.results,
            citations=gathered.citations,
            window=plan_.filters.window,
            taxonomy_version=gathered.taxonomy_version,
            freshness=gathered.freshness,
            stale_sources=gathered.stale_sources,
            composer="llm" if llm_text else "template",
            verified=bool(state.get("verified")),
            clarification=plan_.clarification if plan_.kind == "clarify" else None,
            thread_id=state.get("thread_id"),
            fallback=state.get("fallback"),
        )
        return {"answer": answer.model_dump(mode="json")}

    builder = StateGraph(AgentState)
    for name, node in (
        ("plan", plan),
        ("run_tools", run_tools),
        ("compose", compose),
        ("verify", check),
        ("rewrite", rewrite),
        ("finish", finish),
    ):
        builder.add_node(name, node)
    builder.add_edge(START, "plan")
    builder.add_edge("plan", "run_tools")
    builder.add_edge("run_tools", "compose")
    builder.add_edge("compose", "verify")
    builder.add_conditional_edges("verify", route, {"finish": "finish", "rewrite": "rewrite"})
    builder.add_edge("rewrite", "finish")
    builder.add_edge("finish", END)
    return builder.compile(checkpointer=checkpointer)
