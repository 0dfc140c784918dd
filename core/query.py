"""The typed query plan: what a question asks, in terms the analytics tools execute exactly.

Both planners (the deterministic parser and the LLM planner) produce a :class:`QueryPlan`; the LLM's output is
validated against this very schema. Tools run a plan with SQL and never guess; composers only phrase results.

Semantics (the demo corpus's ground truth uses the same ones, see ``demo/answers.py``):

- The counted object is a feedback unit that is not a duplicate (``duplicate_of`` is null) and not deleted.
- A window is ``[start, end)`` in UTC over the unit's ``created_at``. "Last N days" ends at ``as_of``.
- ``themes`` hold theme keys of one taxonomy version; a parent key matches all its children.
- ``segments``/``plans`` are the account's values *at the time of the unit* (the snapshot valid then).
- ARR sums count each distinct account once, at its latest matching unit's snapshot.
- Lost pipeline: a closed-lost opportunity (closed, not won) of an account "counts for" a plan when its close date
  is in ``[window start, window end + N days)`` (no window: any close date before ``as_of + N days``), N being
  ``lost_pipeline_days``. The filter keeps units of accounts with such a loss; ``lost_amount`` sums those deals'
  amounts over the distinct accounts behind a group, each deal attributed once: to the group(s) its loss reason
  names (theme name or alias, whole words), else split evenly over its account's groups, so groups sum to the total.
  ``intents_or_lost_pipeline`` turns
  "intent in ``intents``" AND "lost pipeline" into OR ("churn risk or lost pipeline": one combined set).
- Rankings sort by value descending, then key ascending, and keep the top ``k`` (the tools break ties on the
  label a reader sees first, e.g. "Parent > Leaf", which is the key the demo's answers use).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from groundswell.core.segments import segment_key
from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "Exclusions",
    "Filters",
    "GroupBy",
    "Kind",
    "Metric",
    "QueryPlan",
    "RankingWeights",
    "ThemeTerm",
    "Viewer",
    "Vocabulary",
    "Window",
]

Kind = Literal[
    "count",
    "number",
    "ranking",
    "comparison",
    "trend",
    "set",
    "quotes",
    "account",
    "overview",  # "what are customers saying about X?": X's sub-themes, intents, trend and quotes
    "owners",  # "which teams need to act?": owner teams with their top open themes and tickets
    "clarify",
    "help",
]
Metric = Literal["count", "growth", "arr", "arr_per_account", "arr_sum", "negative_share", "priority", "lost_amount"]
GroupBy = Literal[
    "theme", "parent_theme", "segment", "plan", "source", "account", "intent", "sentiment", "severity", "owner_team"
]


class Window(BaseModel):
    """``[start, end)`` in UTC; ``label`` is how the answer names it ("last 30 days")."""

    model_config = ConfigDict(frozen=True)

    start: datetime
    end: datetime
    label: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.end <= self.start:
            raise ValueError(f"window end {self.end.isoformat()} is not after start {self.start.isoformat()}")
        return self


class Exclusions(BaseModel):
    """Values a question rules out ("not from intercom", "excluding SMB", "other than checkout"): a unit is kept
    unless its value is one of them (a unit without the value, e.g. no account hence no segment, is kept)."""

    model_config = ConfigDict(frozen=True)

    themes: list[str] = []  # theme keys; a parent key rules out all its children
    segments: list[str] = []
    plans: list[str] = []
    sources: list[str] = []
    intents: list[str] = []
    sentiments: list[str] = []

    def by_field(self) -> list[tuple[str, list[str]]]:
        """(field noun in the singular, values) for each field that rules something out."""
        return [(name[:-1], values) for name in type(self).model_fields if (values := getattr(self, name))]

    def __bool__(self) -> bool:
        return bool(self.by_field())


class Filters(BaseModel):
    """Conjunction of filters; an empty list means "any"."""

    model_config = ConfigDict(frozen=True)

    window: Window | None = None
    themes: list[str] = []  # theme keys (leaf or parent) of the plan's taxonomy version
    segments: list[str] = []
    plans: list[str] = []
    accounts: list[str] = []  # account external ids (CRM ids)
    renewing_within_days: int | None = Field(default=None, ge=0)  # renewal date in [as_of, as_of + N days]
    # accounts that lost a deal closing in [window start, window end + N days) (see the module docstring)
    lost_pipeline_days: int | None = Field(default=None, ge=0, le=3650)
    intents_or_lost_pipeline: bool = False  # True: (intent in intents) OR lost pipeline, instead of AND
    sources: list[str] = []
    sentiments: list[str] = []  # negative | neutral | positive
    mixed: bool | None = None  # True: only units holding both praise and a complaint; False: none of them
    intents: list[str] = []  # core.labels.INTENTS
    severities: list[str] = []  # low | medium | high | critical
    text: str | None = None  # semantic search query (quotes/search only; never changes a count)
    # account ARR at the time of the unit (the snapshot valid then), inclusive bounds; None: any
    arr_min: float | None = Field(default=None, ge=0)
    arr_max: float | None = Field(default=None, ge=0)
    # True: keep units that are negative OR churn-risk signals ("feedback blocking renewals"), instead of the
    # sentiments/intents conjunction
    at_risk_signals: bool = False
    exclude: Exclusions = Exclusions()  # "not from intercom", "other than checkout"


class RankingWeights(BaseModel):
    """Weights of the ``priority`` metric; shown in the answer so the ranking can be argued with."""

    model_config = ConfigDict(frozen=True)

    volume: float = 0.35
    arr: float = 0.25
    severity: float = 0.2
    trend: float = 0.1
    lost: float = 0.1  # closed-lost pipeline of the accounts behind the group


class QueryPlan(BaseModel):
    """One question, planned. ``kind="clarify"`` carries a question back to the user instead of a guess."""

    model_config = ConfigDict(frozen=True)

    kind: Kind
    metric: Metric = "count"
    group_by: GroupBy = "theme"
    k: int = Field(default=5, ge=1, le=50)
    filters: Filters = Filters()
    previous_window: Window | None = None  # comparison / growth
    weights: RankingWeights | None = None  # metric == "priority"
    bucket: Literal["day", "week", "month"] = "week"  # trend series
    quotes: int = Field(default=3, ge=0, le=20)  # representative quotes to attach
    as_of: datetime
    taxonomy_version: int | None = None  # None: the current version when run; the answer states the one used
    question: str = ""
    clarification: str | None = None  # kind == "clarify": what to ask the user
    notes: list[str] = []  # what the planner assumed ("no window given: last 30 days")
    # parts of the question the plan cannot honour ("accounts over $100k ARR" without ARR data, "by region"):
    # the answer must say each of them, never drop them silently
    unsupported: list[str] = []


class Viewer(BaseModel):
    """Who is asking. Every tool filters by this; ``None`` in a scope means unrestricted."""

    model_config = ConfigDict(frozen=True)

    name: str
    role: str = "member"  # admin | analyst | member | restricted (names come from settings)
    sources: frozenset[str] | None = None
    segments: frozenset[str] | None = None
    accounts: frozenset[str] | None = None  # account external ids
    can_reveal_pii: bool = False

    def narrowed(self, other: Viewer | None) -> Viewer:
        """What both may see: e.g. a digest one person asks for in a channel everyone reads (never widens)."""
        if other is None:
            return self

        def meet(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
            return b if a is None else a if b is None else a & b

        return self.model_copy(
            update={
                "sources": meet(self.sources, other.sources),
                "segments": meet(self.segments, other.segments),
                "accounts": meet(self.accounts, other.accounts),
                "can_reveal_pii": self.can_reveal_pii and other.can_reveal_pii,
            }
        )

    def may_see_segment(self, segment: str) -> bool:
        return self.segments is None or segment_key(segment) in {segment_key(s) for s in self.segments}


class ThemeTerm(BaseModel):
    """A theme as the planner matches it: key, names and aliases in the customer's product language."""

    model_config = ConfigDict(frozen=True)

    key: str
    name: str
    parent_key: str | None = None
    parent_name: str | None = None
    aliases: list[str] = []
    owner_team: str | None = None


OUT_OF_SCOPE_NOTE = " (outside what you may see: this answer covers only your own scope)"  # after a name


class Vocabulary(BaseModel):
    """What the database really holds, for matching question words to filters (built by storage, passed in)."""

    model_config = ConfigDict(frozen=True)

    taxonomy_version: int | None = None
    themes: list[ThemeTerm] = []
    segments: list[str] = []
    plans: list[str] = []
    sources: list[str] = []
    accounts: dict[str, str] = {}  # external id -> account name
    releases: dict[str, datetime] = {}  # release name ("4.12") -> when it shipped (UTC)
    as_of: datetime | None = None  # "now" for relative windows; None: the wall clock
    out_of_scope: list[str] = []  # segment and source names the viewer may not see: named to say so, never filtered
