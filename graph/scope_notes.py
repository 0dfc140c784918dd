"""Say when a question names a segment or source outside the viewer's scope, instead of silently answering
from the viewer's own data as if no filter had been asked for (or mistaking the name for a theme).

The name is taken out of the question before planning (so neither planner tries to read it as a topic) and
stated in the plan's ``unsupported`` list, which every answer's footer shows."""

from __future__ import annotations

import re

from groundswell.core.query import OUT_OF_SCOPE_NOTE, QueryPlan, Vocabulary

__all__ = ["note_out_of_scope", "without_out_of_scope"]

NOTE = "{name}" + OUT_OF_SCOPE_NOTE


def _pattern(name: str) -> re.Pattern[str] | None:
    words = re.findall(r"[^\W_]+", name)
    if not words:
        return None
    return re.compile(r"\b" + r"[\s_-]*".join(re.escape(w) for w in words) + r"(?:'s)?\b", re.IGNORECASE)


def without_out_of_scope(question: str, vocabulary: Vocabulary) -> tuple[str, list[str]]:
    """The question without the out-of-scope names it uses (whole words), and those names."""
    named: list[str] = []
    for name in sorted(vocabulary.out_of_scope, key=len, reverse=True):  # "Mid-Market" before "Market"
        pattern = _pattern(name)
        if pattern is not None and pattern.search(question):
            named.append(name)
            question = pattern.sub(" ", question)
    if not named:
        return question, named  # untouched: planners keyed by the exact question (eval specs) still match
    return re.sub(r"\s{2,}", " ", question).strip(), named


def note_out_of_scope(plan: QueryPlan, question: str, named: list[str]) -> QueryPlan:
    """``plan`` for the original ``question``, with each out-of-scope name stated in ``unsupported``."""
    fresh = [n for n in (NOTE.format(name=name) for name in named) if n not in plan.unsupported]
    return plan.model_copy(update={"question": question, "unsupported": [*plan.unsupported, *fresh]})
