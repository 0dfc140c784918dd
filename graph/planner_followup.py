"""Follow-ups in a thread: "and for SMB?", "what about last quarter?", "show more quotes", "why?".

A follow-up starts from the thread's previous plan and replaces only what the new question names.
"""

from __future__ import annotations

import re
from typing import Any

from groundswell.core.query import Filters, QueryPlan, Window
from groundswell.graph.planner_shape import Shape
from groundswell.graph.planner_time import TimeParse

__all__ = ["follow_up", "is_follow_up"]

_OPENERS = re.compile(
    r"^\s*(and|what about|how about|same (for|but|with)|now|ok(ay)?|also|only|just|then|but|instead|for)\b"
)
_MORE_QUOTES = re.compile(r"\b(more|other|another|additional|further) (quotes?|examples?|verbatims?)\b|^\s*more\b")
_SAME = re.compile(r"\b(this|that|these|those|the same) (segment|source|theme|account|plan|window|period)s?\b")
_WHY = re.compile(r"^\s*(why|how come|show (me )?(the )?evidence|evidence|proof|says who|source)\b")


def is_follow_up(text: str, *, shape_cue: bool, found: bool) -> bool:
    """A question that leans on the previous one (the caller knows there is a previous plan)."""
    if _OPENERS.match(text) or _MORE_QUOTES.search(text) or _WHY.match(text) or _SAME.search(text):
        return True
    return found and not shape_cue and len(text.split()) <= 6


def follow_up(
    previous: QueryPlan, text: str, shape: Shape, found: dict[str, Any], time: TimeParse, base: dict[str, Any]
) -> QueryPlan:
    """The previous plan with what the follow-up names replaced."""
    notes = [f"follow-up of: {previous.question}"] if previous.question else ["follow-up"]
    if _MORE_QUOTES.search(text):
        more = min(20, max(previous.quotes, 3) * 2)
        return previous.model_copy(update={"kind": "quotes", "quotes": more, "notes": notes, **base})
    if _WHY.match(text):
        notes.append("evidence: the same plan with quotes")
        return previous.model_copy(update={"quotes": max(previous.quotes, 5), "notes": notes, **base})
    filters = previous.filters.model_copy(update=found)
    update: dict[str, Any] = {"notes": notes, **base}
    if time.window is not None:
        window = Window(start=time.window[0], end=time.window[1], label=time.window[2])
        filters = filters.model_copy(update={"window": window})
        if time.previous is not None:
            update["previous_window"] = Window(start=time.previous[0], end=time.previous[1], label=time.previous[2])
        elif previous.previous_window is not None:
            length = window.end - window.start
            update["previous_window"] = Window(
                start=window.start - length, end=window.start, label=f"the {length.days} days before"
            )
    elif time.whole:
        filters = filters.model_copy(update={"window": None})
    update["filters"] = Filters.model_validate(filters.model_dump())
    if shape.cue and shape.kind:
        update.update(kind=shape.kind, metric=shape.metric, group_by=shape.group_by)
    if shape.k:
        update["k"] = shape.k
    return previous.model_copy(update=update)
