"""The agent as its hosts see it: ``Agent.ask(question, viewer=..., thread_id=...) -> Answer``."""

from __future__ import annotations

from uuid import uuid4

from groundswell.core.answer import Answer
from groundswell.core.query import Viewer
from groundswell.graph.context import AgentContext
from groundswell.graph.graph import build_graph
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver

__all__ = ["Agent", "thread_key"]


def thread_key(viewer: Viewer, thread_id: str) -> str:
    """Threads are per viewer: one person's context never plans another person's follow-up."""
    return f"{viewer.name}:{thread_id}"


class Agent:
    """Implements :class:`core.answer.Asker`. Without a thread id each question stands alone."""

    def __init__(self, context: AgentContext, *, checkpointer: BaseCheckpointSaver | None = None) -> None:
        self.context = context
        self.checkpointer = checkpointer or InMemorySaver()
        self._threaded = build_graph(context, checkpointer=self.checkpointer)
        self._single = build_graph(context)

    def ask(self, question: str, *, viewer: Viewer, thread_id: str | None = None) -> Answer:
        state = {"question": question, "viewer": viewer.model_dump(mode="json"), "thread_id": thread_id}
        if thread_id is None:
            final = self._single.invoke(state, {"run_name": f"ask-{uuid4().hex[:8]}"})
        else:
            final = self._threaded.invoke(state, {"configurable": {"thread_id": thread_key(viewer, thread_id)}})
        return Answer.model_validate(final["answer"])
