"""The one vocabulary of feedback intents: every classifier, prompt, planner and demo generator imports it here.

Order matters only for display and for JSON schema enums (stable prompts and cache keys).
"""

from __future__ import annotations

__all__ = ["INTENTS", "is_intent"]


INTENTS: tuple[str, ...] = ("bug_report", "feature_request", "complaint", "praise", "question", "churn_risk", "other")


def is_intent(value: object) -> bool:
    """True for one of :data:`INTENTS`."""
    return isinstance(value, str) and value in INTENTS
