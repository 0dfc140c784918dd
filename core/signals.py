"""A signal as the jobs count it: one live, non-duplicate, classified feedback unit with its context at the time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["Signal"]


@dataclass(frozen=True, slots=True)
class Signal:
    """``theme_key`` is the leaf (sub-theme when there is one), ``parent_key`` its top-level theme."""

    unit_id: str
    at: datetime
    theme_key: str
    parent_key: str | None
    source: str
    segment: str | None = None
    account: str | None = None  # account external id (CRM id) or internal id when it has none
    arr: float | None = None  # the account's ARR at the time

    def matches(self, theme_key: str) -> bool:
        """True when this signal is on ``theme_key`` (a leaf, or a parent matching all its children)."""
        return theme_key in (self.theme_key, self.parent_key)
