"""The agent's per-thread state. Values are JSON-ready dicts so any checkpointer stores them as is."""

from __future__ import annotations

from typing import Any, TypedDict

__all__ = ["AgentState"]


class AgentState(TypedDict, total=False):
    """One turn's working memory; ``plan`` survives the turn and feeds the next question's planner."""

    question: str
    viewer: dict[str, Any]  # Viewer, JSON
    thread_id: str | None
    previous_plan: dict[str, Any] | None  # the thread's last plan (follow-ups: "and for SMB?")
    plan: dict[str, Any]  # QueryPlan, JSON
    results: list[dict[str, Any]]  # ToolResult, JSON
    citations: list[dict[str, Any]]  # CitedQuote, JSON, numbered [1..n]
    freshness: dict[str, Any]  # source -> newest data time (ISO) or None
    stale_sources: list[str]
    taxonomy_version: int | None
    names: dict[str, str]  # theme key / account id -> display name, for the plan's filters
    quoted: int  # the first citations are quotes to show
    headline: str
    template_text: str
    llm_text: str | None
    fallback: str | None  # why the template was used although a chat model is configured
    verified: bool
    problems: list[str]  # verifier findings on the LLM text
    answer: dict[str, Any]  # Answer, JSON
