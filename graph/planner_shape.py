"""What kind of answer a question wants: count, number, ranking (and by what), comparison, trend, set, quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from groundswell.graph.planner_text import NUMBER_WORDS

__all__ = ["COUNT", "Shape", "detect_shape"]

_NUM = r"(\d+|" + "|".join(NUMBER_WORDS) + r")"


@dataclass
class Shape:
    kind: str | None = None
    metric: str = "count"
    group_by: str = "theme"
    k: int | None = None
    bucket: str = "week"
    quotes: int | None = None
    notes: list[str] = field(default_factory=list)
    cue: bool = False  # the question said what it wants (not just filters)


def _has(text: str, pattern: str) -> bool:
    return re.search(pattern, text) is not None


def _k(text: str) -> int | None:
    m = re.search(rf"\btop\s*{_NUM}\b", text) or re.search(
        rf"\b{_NUM}\s+(biggest|largest|most|top|main|leading|themes|topics|issues|risers|areas|segments|sources|accounts)\b",
        text,
    )
    if m:
        value = m.group(1)
        return NUMBER_WORDS.get(value) or int(value)
    return None


_GROUPS = (
    ("source", r"\b(per|by|each|across|which|what)\s+(feedback\s+)?(source|channel|tool)s?\b"),
    ("segment", r"\b(per|by|each|across|which|what)\s+(customer\s+)?segments?\b"),
    ("plan", r"\b(per|by|each|across|which|what)\s+plans?\b"),
    ("intent", r"\b(per|by|each|across)\s+intents?\b"),
    ("sentiment", r"\b(per|by|each|across)\s+sentiments?\b"),
    ("severity", r"\b(per|by|each|across)\s+severit(y|ies)\b"),
    ("parent_theme", r"\b(per|by|each|across|which|what)\s+(parent\s+themes?|product\s+areas?|areas?)\b"),
)
_GROWTH = (
    r"\b(ris(e|es|ing)|risers?|grow(s|ing|th)?|grew|fastest|what( \w+)? changed|increas(e|es|ing)|spik(e|es|ing)|climb"
    r"|went up|gone up"
    r"|trending(?! down)|(picking|picked|picks|pick|heating|heats|blowing|blew|ticking|taking) (up|off)\b"
    r"|gain(s|ed|ing)? (steam|traction|momentum)|movers?\b|emerging|surg(e|es|ed|ing)|jump(s|ed|ing)?\b)"
)
_YES_NO = r"^\s*(is|are|was|were|has|have|had|did|do|does)\b"
_COMPARE = (
    r"\b(vs|versus|compar(e|ed|ing)|trending|up or down|going (up|down)|hearing (less|more)|less about|more about)\b"
    r"|\b(better or worse|worse or better|getting (worse|better)|on the rise)\b"
    r"|^\s*(is|are|was|were|has|have)\b.{0,60}\b(up|down|increas\w*|decreas\w*|worse|better)\b"
)
_RANK = (
    r"\b(top|most|rank(ed|ing)?|biggest|main|leading|which themes|what themes|what are .* (talk|complain)ing about"
    r"|what do .* talk about|what comes up|what .* (bring|raise) up|talk(ing)? about|themes|topics|fastest"
    r"|hot|hottest|popular|common)\b"
)
COUNT = r"\b(how many|count|number of|how much (feedback|signals?)|volume|how often|tally)\b"


def detect_shape(text: str, *, has_theme: bool, has_previous: bool, has_account: bool) -> Shape:
    """Kind, metric, grouping and k from the normalised question."""
    shape = Shape(k=_k(text))
    for group, pattern in _GROUPS:
        if _has(text, pattern):
            shape.group_by = group
            break
    if _has(text, r"\b(quotes?|verbatims?|examples?|what (do|did|does) (they|customers|people|users) (say|said)"
                  r"|in their (own )?words)\b"):  # fmt: skip
        shape.kind, shape.quotes, shape.cue = "quotes", 5, True
        return shape
    if _has(text, r"\bprioriti[sz]e|\bpriorities\b|\bwhat should (we|product|the team)"):
        shape.kind, shape.metric, shape.cue = "ranking", "priority", True
        return shape
    if _has(text, r"\bwhich teams?\b|\bwhat teams?\b|\bteams? (need|should|must) (to )?act\b|\bowner teams?\b"):
        shape.kind, shape.cue = "ranking", True
        shape.notes.append("ranked by theme; each theme's owner team is shown")
        return shape
    if _has(
        text,
        r"\b(which|what|list( the| every| all)?|names? (of )?the|names of|show( me)?( the)?)"
        r"(?: (?!are|is|do|does|did|have|has|were|was)[\w-]+){0,2}? (customers|accounts?|companies|clients)\b|\bwho\b",
    ):
        shape.kind, shape.group_by, shape.cue = "set", "account", True
        return shape
    if has_account and _has(text, r"\b(say|saying|said|says|think|want|asking|feedback from|hear from)\b"):
        shape.kind, shape.cue = "account", True
        return shape
    arr_word = _has(text, r"\barr\b|\brevenue\b")
    per_account = arr_word and _has(text, r"\b(average|avg|mean|per account|per customer)\b")
    by_arr = _has(text, r"\b(by|in terms of|ordered by|sorted by|ranked by)\s+(arr|revenue)\b|\bhighest arr\b")
    if by_arr and _has(text, r"^\s*(accounts|customers|companies|clients)\b"):  # the list, sorted by ARR
        shape.kind, shape.group_by, shape.metric, shape.cue = "set", "account", "arr", True
    elif per_account or _has(text, r"\b(biggest|largest) (customers|accounts)\b"):
        shape.kind, shape.metric, shape.cue = "ranking", "arr_per_account", True
    elif by_arr or (arr_word and _has(text, r"\b(at stake|rank\w*|top|most|which themes|highest|sort\w*|order\w*)\b")):
        shape.kind, shape.metric, shape.cue = "ranking", "arr", True
    elif arr_word and _has(text, r"\bhow much\b|\btotal\b|\bbehind\b|\bsum\b"):
        shape.kind, shape.metric, shape.cue = "number", "arr_sum", True
    if shape.kind:
        return shape
    if _has(text, r"\bover time\b|\b(weekly|daily|monthly)\b|\b(per|by|each) (week|day|month)\b|\btime series\b"):
        shape.kind, shape.cue = "trend", True
        shape.bucket = "day" if _has(text, r"\b(daily|day)\b") else "month" if _has(text, r"\bmonth") else "week"
        return shape
    growth, compare = _has(text, _GROWTH), _has(text, _COMPARE)
    ranking_cue = _has(text, _RANK) or shape.k is not None or _has(text, r"\bwhich\b|\bwhat( \w+)? changed\b")
    # "anything picking up?", "complaints trending up?": which themes rise; "is X rising?" asks about X itself
    asks_which = ranking_cue or not (_has(text, _YES_NO) or _has(text, COUNT))
    if growth and (not has_theme or _has(text, r"\brisers?\b|\bwhich themes\b|\bwhat( \w+)? changed\b")) and asks_which:
        shape.kind, shape.metric, shape.cue = "ranking", "growth", True
        return shape
    if (compare or growth or has_previous) and (has_theme or not ranking_cue):
        shape.kind, shape.cue = "comparison", True
        return shape
    if shape.group_by != "theme" and not _has(text, COUNT + r"|\btotal\b"):
        shape.kind, shape.cue = "ranking", True
        return shape
    if _has(text, COUNT):
        shape.kind, shape.cue = ("ranking" if shape.group_by != "theme" else "count"), True
        return shape
    if ranking_cue and not _has(text, r"^\s*(which|what) accounts"):
        shape.kind, shape.cue = "ranking", True
    return shape
