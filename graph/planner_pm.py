"""Product-manager language: abbreviations, calendar quarters, releases by recency, ARR bounds and answer kinds.

Vocabulary-agnostic like the rest of the planner: these rules know how people phrase questions ("accts",
"Q3", "week over week", "accounts over $100k ARR", "which teams need to act?"), never a customer's names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from groundswell.graph.planner_shape import Shape
from groundswell.graph.planner_text import Span, Text, tokens_of
from groundswell.graph.planner_time import TimeParse, release_window

__all__ = ["PMCues", "apply_pm_shape", "apply_pm_time", "expand", "pm_cues", "unknown_places"]

# Slack shorthand -> the words the rules know. Applied word by word before tokenising.
_ABBREVIATIONS = {
    "acct": "account", "accts": "accounts", "accnt": "account", "accnts": "accounts", "acc": "account",
    "accs": "accounts", "cust": "customer", "custs": "customers", "qtr": "quarter", "qtrs": "quarters",
    "wk": "week", "wks": "weeks", "yr": "year", "yrs": "years", "mth": "month", "mths": "months",
    "jan": "january", "feb": "february", "mar": "march", "apr": "april", "jun": "june", "jul": "july",
    "aug": "august", "sep": "september", "sept": "september", "oct": "october", "nov": "november",
    "dec": "december", "mkt": "market", "mktg": "marketing", "pls": "please", "plz": "please", "tix": "tickets",
    "negativity": "negative", "positivity": "positive", "channel": "source", "channels": "sources",
    "among": "in", "amongst": "in", "biz": "business", "convos": "conversations", "qtd": "quarter to date",
    "wow": "week over week", "mom": "month over month", "w/": "with", "abt": "about", "thru": "through",
}  # fmt: skip
_PHRASES = (
    (r"\btied to\b|\blinked to\b|\bconnected to\b|\brelated to\b", "about"),
    (r"\b(split|broken down|break(ing)? down|breakdown|segmented|bucketed|grouped|divided)\s+(out\s+)?by\b", "by"),
    (r"\b(divided|split|grouped)\s+(for|per|across)\b", "by"),
    (r"\bmid\s+market\b", "mid-market"),
)
_ABBREV = re.compile(r"(?<![\w.$])(" + "|".join(re.escape(k) for k in _ABBREVIATIONS) + r")(?![\w])", re.IGNORECASE)
_MONEY = r"\$?\s*(\d+(?:[.,]\d+)?)\s*(k|m|mm|million|thousand)?"
_ARR_MIN = re.compile(
    rf"\b(over|above|more than|greater than|at least|>=?)\s*{_MONEY}\s*(\+\s*)?(in\s+)?(arr|revenue)\b"
)
_ARR_MAX = re.compile(rf"\b(under|below|less than|at most|<=?)\s*{_MONEY}\s*(in\s+)?(arr|revenue)\b")
_ARR_PLUS = re.compile(rf"\b{_MONEY}\s*\+\s*(arr)\b")
_QUARTER = re.compile(r"\bq\s?([1-4])\b(?:\s*(\d{4}))?")
_OVER = re.compile(r"\b(week|month|quarter) over \1\b")
_LAST_RELEASE = re.compile(
    r"\b(the\s+)?(last|latest|most recent|recent|newest|previous)\s+(release|version|ship|deploy)\b"
)
_UNKNOWN_GROUP = re.compile(
    r"\b(?:by|per|each|across)\s+(region|country|countries|geo|geography|industry|industries"
    r"|csm|rep|owner|language|vertical|persona|role|platform|device|browser|os)s?\b"
)
_OVERVIEW = re.compile(
    r"\bwhat (are|do|did|is|have|has)( the)?( \w+)? (customers|people|users|clients|accounts|folks|they|we hearing)"
    r".{0,20}\b(saying|hearing|telling( us)?|thinking|feeling)\b.{0,12}\babout\b"
    r"|\bwhat (customers|people|users|clients|accounts|folks) (are|were|have been) (saying|telling( us)?|thinking)"
    r".{0,12}\babout\b"
    r"|\b(overview|summary|summari[sz]e|rundown|lowdown|tell me about"
    r"|what'?s the (story|feedback|word) (on|about|with))\b"
)
_OWNERS = re.compile(r"\b(which|what) teams?\b|\bteams? (need|needs|should|must|have) to act\b|\bowner teams?\b"
                     r"|\bwho (needs|should|has) to (act|fix|own)\b|\bwho owns\b|\b(which|what) owners?\b")  # fmt: skip
_BLOCKING = re.compile(
    r"\b(block\w*|threaten\w*|jeopardi[sz]\w*|putting .{0,10}at risk|at risk)\s+(the\s+|our\s+|upcoming\s+)?"
    r"renewals?\b|\brenewals? (at risk|risks?|in danger)\b|\bputting (the |our |upcoming )*renewals? at risk\b"
)
_ARR_AT_RISK = re.compile(r"\b(arr|revenue|dollars|money)\s+(is\s+)?(at risk|at stake|exposed)\b")
_ISSUES = re.compile(
    r"^\s*(what|which)?\s*(issues|themes|topics|problems|pain points)\b|^\s*what'?s (driving|about|behind|causing)\b"
)


def expand(question: str) -> str:
    """The question with shorthand spelt out ("accts" -> "accounts", "qtr" -> "quarter")."""
    text = _ABBREV.sub(lambda m: _ABBREVIATIONS[m.group(1).lower()], question)
    for pattern, repl in _PHRASES:
        text = re.sub(pattern, repl, text, flags=re.IGNORECASE)
    return text


def _money(number: str, scale: str | None) -> float:
    value = float(number.replace(",", ""))
    return value * {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6}.get(scale or "", 1)


@dataclass
class PMCues:
    arr_min: float | None = None
    arr_max: float | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)  # character spans other rules must not read
    overview: bool = False
    owners: bool = False
    blocking_renewals: bool = False
    arr_at_risk: bool = False
    unsupported: list[str] = field(default_factory=list)

    def strip(self, text: str) -> str:
        for start, end in sorted(self.spans, reverse=True):
            text = text[:start] + " " * (end - start) + text[end:]
        return text


def pm_cues(flat: str) -> PMCues:
    """Cues in the normalised question (``flat``: tokens joined by spaces, "$" and "+" dropped)."""
    cues = PMCues()
    for pattern, attr in ((_ARR_MIN, "arr_min"), (_ARR_MAX, "arr_max")):
        m = pattern.search(flat)
        if m:
            setattr(cues, attr, _money(m.group(2), m.group(3)))
            cues.spans.append(m.span())
    cues.overview = bool(_OVERVIEW.search(flat))
    cues.owners = bool(_OWNERS.search(flat))
    m = _BLOCKING.search(flat)
    if m:
        cues.blocking_renewals = True
        cues.spans.append(m.span())
    m = _ARR_AT_RISK.search(flat)
    if m and not cues.blocking_renewals:
        cues.arr_at_risk = True
        cues.spans.append((m.start(3), m.end(3)))
    for m in _UNKNOWN_GROUP.finditer(flat):
        cues.unsupported.append(f"grouping by {m.group(1)}")
        cues.spans.append(m.span())
    return cues


def apply_pm_time(flat: str, time: TimeParse, releases: dict[str, datetime]) -> None:
    """Calendar quarters, quarter/month to date, "X over X" and the latest release, onto ``time``."""
    as_of = time.as_of
    m = _QUARTER.search(flat)
    if m:
        quarter = int(m.group(1))
        year = int(m.group(2)) if m.group(2) else as_of.year
        year += 2000 if year < 100 else 0
        start = datetime(year, 3 * quarter - 2, 1, tzinfo=UTC)
        if not m.group(2) and start > as_of:
            start = start.replace(year=year - 1)
        end = datetime(start.year + (quarter == 4), (3 * quarter) % 12 + 1, 1, tzinfo=UTC)
        time.window = (start, min(end, as_of) if start < as_of else end, f"Q{quarter} {start.year}")
        time.whole = False
        return
    m = re.search(r"\b(quarter|month|year) to date\b", flat)
    if m:
        if m.group(1) == "quarter":
            start = datetime(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1, tzinfo=UTC)
        elif m.group(1) == "month":
            start = datetime(as_of.year, as_of.month, 1, tzinfo=UTC)
        else:
            start = datetime(as_of.year, 1, 1, tzinfo=UTC)
        time.window, time.whole = (start, as_of, f"{m.group(1)} to date"), False
        return
    m = _OVER.search(flat)
    if m:
        days = {"week": 7, "month": 30, "quarter": 90}[m.group(1)]
        time.window = (as_of - timedelta(days=days), as_of, f"last {days} days")
        time.previous = (as_of - timedelta(days=2 * days), as_of - timedelta(days=days), f"the {days} days before")
        return
    if time.release is None and releases and _LAST_RELEASE.search(flat):
        shipped = [(at, name) for name, at in releases.items() if at <= as_of] or [
            (at, name) for name, at in releases.items()
        ]
        at, name = max(shipped)
        time.unknown_release = None
        release_window(flat, name, at, time)
        time.notes.append(f"'the last release' read as {name} ({at.date().isoformat()})")


def apply_pm_shape(shape: Shape, cues: PMCues, flat: str, *, has_theme: bool, release: bool) -> dict[str, object]:
    """Adjust the detected shape; returns filters to add."""
    extra: dict[str, object] = {}
    if cues.arr_min is not None:
        extra["arr_min"] = cues.arr_min
    if cues.arr_max is not None:
        extra["arr_max"] = cues.arr_max
    if cues.blocking_renewals:
        shape.kind, shape.group_by, shape.metric, shape.cue = "set", "account", "arr", True
        extra["renewing_within_days"] = 90
        extra["at_risk_signals"] = True
        shape.notes.append("renewals: accounts renewing within 90 days with negative or churn-risk feedback")
    elif cues.owners:
        shape.kind, shape.group_by, shape.cue = "owners", "owner_team", True
    elif cues.overview and has_theme and shape.kind in (None, "quotes", "count", "ranking", "set"):
        shape.kind, shape.metric, shape.cue = "overview", "count", True
    elif cues.arr_at_risk and shape.kind in (None, "count"):
        shape.kind, shape.metric, shape.cue = "number", "arr_sum", True
    elif release and shape.metric == "growth" and shape.k is None and not re.search(r"\b(risers?|top)\b", flat):
        shape.kind, shape.metric, shape.cue = "comparison", "count", True
    elif shape.kind in (None, "count") and re.match(r"^\s*(accounts|customers|companies|clients)\b", flat):
        shape.kind, shape.group_by, shape.cue = "set", "account", True
    elif shape.kind in (None, "count") and _ISSUES.search(flat) and not re.search(r"\bhow many\b|\bcount\b", flat):
        shape.kind, shape.cue = "ranking", True
    return extra


_WHO = frozenset(tokens_of("customers accounts users clients companies folks people teams"))
_WHERE = frozenset(tokens_of("in from"))
_PLACED = frozenset(tokens_of("based located"))


def unknown_places(text: Text, is_content: Callable[[Text, int], bool]) -> list[str]:
    """ "customers in Germany", "accounts based in the EU": a place no field holds. Its words are marked
    explained (never a theme) and returned, for the plan's ``unsupported``."""
    out: list[str] = []
    words, left = text.words, set(text.leftover())
    for i in range(len(words) - 2):
        if words[i] not in _WHO:
            continue
        j = i + 1 + (words[i + 1] in _PLACED)
        if j >= len(words) or words[j] not in _WHERE:
            continue
        j += 1 + (j + 1 < len(words) and words[j + 1] == "the")
        run = []
        while j < len(words) and j in left and is_content(text, j):
            run.append(j)
            j += 1
        if run:
            out.append(f"{text.raw[i]} {' '.join(text.raw[i + 1 : run[-1] + 1])}")
            text.use(Span(i + 1, run[-1] + 1))
    return out
