"""Lost pipeline in questions: "lost pipeline", "lost deals", "closed-lost", "churn risk or lost pipeline".

A match sets ``Filters.lost_pipeline_days`` (default :data:`DEFAULT_LOST_DAYS`: deals lost in the window or the 30
days after it; "lost deals within 60 days" sets 60). Asked together with an intent and "or" ("churn risk or lost
pipeline"), the two are one combined set (``intents_or_lost_pipeline``). Amount words ("how much", "biggest",
"amount") make the metric ``lost_amount``: a number, or a ranking by the closed-lost amount behind each group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from groundswell.graph.planner_shape import Shape
from groundswell.graph.planner_text import Text

__all__ = ["DEFAULT_LOST_DAYS", "LostPipeline", "apply_lost_shape", "parse_lost_pipeline"]

DEFAULT_LOST_DAYS = 30
_DEAL = r"(?:pipeline|deals?|opportunit(?:y|ies)|revenue|business|renewals?)"
_LOST = re.compile(
    rf"\b(?:closed ?-? ?lost(?: {_DEAL})?|lost {_DEAL}|{_DEAL} (?:(?:we|they|that we) )?(?:lost|lose|losing)"
    rf"|(?:lose|losing) {_DEAL}|did we lose)\b"
)
_DAYS = re.compile(r"\b(?:with)?in\s+(?:the\s+)?(?:next\s+)?(\d+)\s*(days?|d|weeks?|months?)\s*(?:after|of)?\b")
_AMOUNT = re.compile(r"\b(how much|amounts?|values?|dollars?|biggest|largest|most|cost(?:ing)? us|by lost)\b|\$")
# Linking words a lost-pipeline question uses around its topic; never a theme.
_LINKS = ("tied to", "linked to", "associated with", "related to", "connected to", "cost us", "costing us",
          "driving", "behind", "cost", "issues", "issue", "among", "accounts with", "customers with")  # fmt: skip


@dataclass
class LostPipeline:
    days: int
    amount: bool  # the question asks for money
    either: bool  # "... or lost pipeline": OR with the intent filter
    span: tuple[int, int] | None = None  # "within N days", removed before the time parser reads the question
    notes: list[str] = field(default_factory=list)


def parse_lost_pipeline(flat: str, text: Text) -> LostPipeline | None:
    """The lost-pipeline part of a normalised question (its words marked used in ``text``), or None."""
    found = list(_LOST.finditer(flat))
    if not found:
        return None
    for match in found:
        text.take(match.group(0).replace("-", " "))
    for phrase in _LINKS:
        text.take(phrase)
    tail = flat[found[0].end() : found[0].end() + 60]
    days_match = _DAYS.match(tail.strip()) if tail.strip().startswith(("within", "in ")) else None
    days, span = DEFAULT_LOST_DAYS, None
    if days_match:
        days = int(days_match.group(1)) * {"d": 1, "w": 7, "m": 30}[days_match.group(2)[0]]
        start = found[0].end() + tail.index(days_match.group(0))
        span = (start, start + len(days_match.group(0)))
    before = flat[: found[0].start()]
    either = bool(re.search(r"\bor\s*$", before.strip()) or re.search(r"\bor\b", before[-40:]))
    lost = LostPipeline(days=days, amount=bool(_AMOUNT.search(flat)), either=either, span=span)
    lost.notes.append(
        f"lost pipeline: accounts with a closed-lost deal closing in the window or the {days} days after it"
    )
    return lost


def apply_lost_shape(shape: Shape, lost: LostPipeline) -> None:
    """Money questions about lost pipeline ask for ``lost_amount`` (a total, or the ranking's value)."""
    if not lost.amount or lost.either:
        return
    if shape.kind in (None, "count", "number"):
        shape.kind, shape.metric, shape.cue = "number", "lost_amount", True
    elif shape.kind == "ranking" and shape.metric == "count":
        shape.metric = "lost_amount"
        shape.notes.append("ranked by the closed-lost amount of the accounts behind each group")
