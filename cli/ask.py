"""`groundswell ask "QUESTION"`: the agent's answer with numbered citations (plan, results and answer with --json)."""

from __future__ import annotations

from typing import Annotated

import typer
from groundswell.cli.common import JsonOption, actor_name
from groundswell.cli.output import err, out, print_json
from groundswell.core.answer import Answer
from groundswell.core.errors import ConfigurationError

from groundswell.runtime import build_runtime
from groundswell.settings import Settings

__all__ = ["print_answer", "register"]


def print_answer(answer: Answer) -> None:
    """The answer as text; brackets are citations, not markup."""
    out.print(answer.text, markup=False, highlight=False)
    if answer.fallback:
        err.print(f"note: answered from templates ({answer.fallback})", markup=False)


def register(app: typer.Typer) -> None:
    @app.command()
    def ask(
        question: Annotated[str, typer.Argument(help="A question about customer feedback, in plain words.")],
        viewer: Annotated[
            str | None, typer.Option("--as", help="Ask as this configured viewer (GROUNDSWELL_VIEWERS).")
        ] = None,
        thread: Annotated[
            str | None, typer.Option("--thread", help="Conversation id: follow-ups keep its context.")
        ] = None,
        json_output: JsonOption = False,
    ) -> None:
        """Answer with exact numbers, revenue context and citations to the original records."""
        runtime = build_runtime(Settings())
        os_user = actor_name(None)  # the surface's user id: who ran the command
        try:
            who = runtime.viewer(viewer)
        except ConfigurationError as exc:  # an unknown viewer is a refused request, audited like the others
            runtime.audit.denial(
                surface="cli",
                viewer=viewer or "",
                user_id=os_user,
                action="ask",
                reason=str(exc),
                code="unknown_viewer",
                text=question,
            )
            raise
        answer = runtime.agent.ask(question, viewer=who, thread_id=thread, surface="cli", user_id=os_user)
        if json_output:
            dumped = answer.model_dump(mode="json")
            print_json({"plan": dumped["plan"], "results": dumped["results"], "answer": dumped, "viewer": who.name})
        else:
            print_answer(answer)
