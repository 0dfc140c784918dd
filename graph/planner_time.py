"""Time windows in questions: relative windows, calendar months, "since ...", releases and comparisons.

All windows are ``[start, end)`` in UTC relative to ``as_of``. "Last N days" / "this week" end at ``as_of``.
A comparison ("vs the 30 before", "prior 30d") gets a previous window of the same length right before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import dateparser
from groundswell.graph.planner_text import NUMBER_WORDS

__all__ = ["MONTHS", "TimeParse", "parse_time", "release_named", "release_since", "release_window"]

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")  # fmt: skip
_UNITS = {"d": 1, "day": 1, "days": 1, "w": 7, "wk": 7, "wks": 7, "week": 7, "weeks": 7, "month": 30, "months": 30,
          "mo": 30, "quarter": 90, "quarters": 90, "q": 90, "year": 365, "years": 365, "yr": 365}  # fmt: skip
_NUM = r"(\d+|" + "|".join(NUMBER_WORDS) + r"|a|an)"
_SEP = r"(?:\s+|(?<=\d)\s*)"  # "30 days", "30d"; never "an d(ay)" inside "and"
_UNIT = r"(days?|d|weeks?|wks?|w|months?|mo|quarters?|q|years?|yr)"
_AMOUNT = re.compile(rf"\b(last|past|previous|prior|preceding|over|in|the|for)?\s*{_NUM}{_SEP}{_UNIT}\b")
_AMOUNT_GLUED = re.compile(rf"\b(\d+)({_UNIT})\b")
_BARE_LAST = re.compile(rf"\b(last|past)\s+{_NUM}\b(?!\s*(\.|\d|{_UNIT}\b))")
_NAMED = re.compile(r"\b(this|last|past|previous|the past|the last)\s+(week|month|quarter|year)(?:'?s)?\b")
_PREV = re.compile(
    rf"\b(vs|versus|compared?\s+(to|with)|compare)\b|\b(prior|previous|preceding)\s+({_NUM}|day|week|month|quarter"
    rf"|period|window|one)|\b(\d+({_SEP}{_UNIT})?|{_NUM}{_SEP}{_UNIT}|\d+{_UNIT}|day|days|week|weeks|month|period)\s+"
    r"(before|earlier)\b"
)
_WHOLE = re.compile(r"\b(in total|ever|all time|all-time|so far|to date|all history|since the (beginning|start))\b")
_VERSION = re.compile(r"\b\d+\.\d+(?:\.\d+)*\b")


@dataclass
class TimeParse:
    as_of: datetime
    window: tuple[datetime, datetime, str] | None = None
    previous: tuple[datetime, datetime, str] | None = None
    whole: bool = False  # "in total", "ever": all history
    release: str | None = None  # the release the window hangs on
    release_sized: bool = False  # the question gave the window's length ("in the 2 weeks after 2.3.0")
    unknown_release: str | None = None  # a version the vocabulary does not know
    notes: list[str] = field(default_factory=list)


def _n(word: str) -> int:
    if word in ("a", "an"):
        return 1
    return NUMBER_WORDS.get(word) or int(word)


def _days(unit: str) -> int:
    return _UNITS.get(unit) or _UNITS.get(unit.rstrip("s"), 1)


def _label(days: int) -> str:
    return {7: "last 7 days", 1: "last day"}.get(days, f"last {days} days")


def release_named(text: str, releases: dict[str, datetime]) -> tuple[str | None, str | None]:
    """(release name, unknown version) for the first release a question names ("4.12" matches "4.12.0")."""
    for name in sorted(releases, key=len, reverse=True):
        if re.search(rf"(?<![\w.]){re.escape(name.lower())}(?![\w]|\.\d)", text):
            return name, None
    for version in _VERSION.findall(text):
        prefixed = sorted((at, name) for name, at in releases.items() if name.lower().startswith(version + "."))
        if prefixed:
            return prefixed[0][1], None
        return None, version
    return None, None


def release_window(text: str, name: str, at: datetime, out: TimeParse) -> None:
    size = 7
    m = re.search(rf"\b{_NUM}{_SEP}{_UNIT}\s+(after|before)\b", text) or re.search(
        rf"\b(\d+)({_UNIT})\s+(after|before)", text
    )
    if m:
        size = _n(m.group(1)) * _days(m.group(2))
    elif re.search(r"\b(the )?day (after|before)\b", text):
        size = 1
    elif m := re.search(r"\b(the|a|first) (week|month) (after|before|following)\b", text):
        size = _days(m.group(2))
    out.release_sized = size != 7 or m is not None
    after = [at, at + timedelta(days=size), f"{size} days after {name}"]
    before = [at - timedelta(days=size), at, f"{size} days before {name}"]
    if re.search(r"\b(after|since|following|post)\b", text) or not re.search(r"\bbefore\b", text):
        out.window, out.previous = tuple(after), tuple(before)  # type: ignore[assignment]
    else:
        out.window = tuple(before)  # type: ignore[assignment]
    out.release = name


def release_since(out: TimeParse) -> None:
    """A release window read as "since the release" (counts, lists, rankings): from the release until now."""
    if out.release is None or out.release_sized or out.window is None or out.previous is None:
        return
    start = out.window[0]
    out.window, out.previous = (start, out.as_of, f"since {out.release}"), None


def _relative(text: str, as_of: datetime) -> tuple[datetime, datetime, str] | None:
    day = as_of.replace(hour=0, minute=0, second=0, microsecond=0)
    if re.search(r"\byesterday\b", text):
        return day - timedelta(days=1), day, "yesterday"
    if re.search(r"\btoday\b", text):
        return (day, as_of, "today") if as_of > day else (day - timedelta(days=1), day, "today")
    candidates: list[tuple[int, int, str]] = []  # (position, days, label)
    for m in _AMOUNT.finditer(text):
        if m.group(1) in ("prior", "previous", "preceding") or re.search(r"(before|earlier)\s*$", text[: m.start()]):
            continue
        days = _n(m.group(2)) * _days(m.group(3))
        candidates.append((m.start(), days, _label(days)))
    for m in _AMOUNT_GLUED.finditer(text):
        if re.search(r"(prior|previous|preceding)\s*$", text[: m.start()]):
            continue
        days = int(m.group(1)) * _days(m.group(2))
        candidates.append((m.start(), days, _label(days)))
    for m in _NAMED.finditer(text):
        days = {"week": 7, "month": 30, "quarter": 90, "year": 365}[m.group(2)]
        named = f"{m.group(1)} {m.group(2)}"
        label = "this week" if named == "this week" else f"{named} ({days}d)"
        candidates.append((m.start(), days, label))
    for m in _BARE_LAST.finditer(text):  # "last 30 vs prior 30": days
        candidates.append((m.start(), _n(m.group(2)), _label(_n(m.group(2)))))
    if candidates:
        _, days, label = min(candidates)
        return as_of - timedelta(days=days), as_of, label
    return _calendar(text, as_of)


def _calendar(text: str, as_of: datetime) -> tuple[datetime, datetime, str] | None:
    m = re.search(r"\bsince\s+(.{2,40}?)(?:[?,;!]|\s+(?:vs|and|for|about|from|in|with)\b|$)", text)
    if m:
        settings = {"RELATIVE_BASE": as_of.replace(tzinfo=None), "PREFER_DATES_FROM": "past"}
        words = m.group(1).split()
        # the longest leading words that are a date: "since oct 1 how many sms complaints" -> "oct 1"
        for n in range(min(len(words), 4), 0, -1):
            phrase = " ".join(words[:n])
            if n < len(words) and not re.search(r"\d|" + "|".join(MONTHS), phrase):
                continue  # a cut-off phrase must still look like a date
            parsed = dateparser.parse(phrase, languages=["en"], settings=settings)  # type: ignore[arg-type]
            if parsed is not None:
                start = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
                if start < as_of:
                    return start, as_of, f"since {start.date().isoformat()}"
                break
    m = re.search(r"\b(in|during|for|of)\s+(" + "|".join(MONTHS) + r")(\s+(\d{4}))?\b", text)
    if m:
        month = MONTHS.index(m.group(2)) + 1
        year = int(m.group(4)) if m.group(4) else as_of.year
        start = datetime(year, month, 1, tzinfo=UTC)
        if not m.group(4) and start > as_of:
            start = start.replace(year=year - 1)
        end = datetime(start.year + (start.month == 12), start.month % 12 + 1, 1, tzinfo=UTC)
        return start, min(end, as_of) if start < as_of else end, start.strftime("%B %Y")
    return None


def _previous_length(text: str, current: int) -> int:
    m = re.search(rf"\b(prior|previous|preceding|before|earlier)\s+{_NUM}{_SEP}{_UNIT}", text)
    if m:
        return _n(m.group(2)) * _days(m.group(3))
    return current


def parse_time(text: str, *, as_of: datetime, releases: dict[str, datetime]) -> TimeParse:
    """Windows a question names. ``text`` is the normalised question (lowercase, spelling repaired)."""
    out = TimeParse(as_of=as_of, whole=bool(_WHOLE.search(text)))
    name, unknown = release_named(text, releases)
    if name is not None:
        release_window(text, name, releases[name], out)
        return out
    out.unknown_release = unknown if unknown and re.search(r"\b(release|shipped|ship|launch|version)", text) else None
    window = _relative(text, as_of)
    if window is None:
        return out
    out.window = window
    if _PREV.search(text):
        length = _previous_length(text, (window[1] - window[0]).days or 1)
        start = window[0]
        out.previous = (start - timedelta(days=length), start, f"the {length} days before")
    return out
