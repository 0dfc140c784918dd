"""The question inside a long Slack message: greetings and context first, the question after, a sign-off last.

"hey all, hope the weekend was good. I'm prepping the QBR deck. how many negative signals this week? thanks!"
is planned from "how many negative signals this week?": context sentences ("sorry to bug you", "last thing
for today", "sales keeps forwarding me angry emails") would otherwise read as filters (bug reports, today,
the email theme). A question that points back at its context ("is that a real trend?") keeps the sentence
before it.
"""

from __future__ import annotations

import re

__all__ = ["focus_question"]

# sentence ends, and a dash between clauses ("quick one before standup — I want the top 5 ...")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)|\n+|\s+[\u2014\u2013-]{1,2}\s+")
_FILLER = re.compile(r"^\s*((so|ok|okay|and|but|also|anyway|quick (q|question|one)|q|last (one|q))\b[\s,:;-]*)+")
_ASKS = re.compile(
    r"^(what|what's|whats|which|who|who's|how|why|when|where|is|are|was|were|do|does|did|has|have|can|could"
    r"|would|will|should|any|anything|show|give|list|tell|pull|break|rank|sort|compare|count|find|get|please"
    r"|i want|i need|i'd like|id like|i'm looking for)\b"
)
_SIGN_OFF = re.compile(
    r"^\W*(thanks|thank you|thx|ty|cheers|happy to|let me know|lmk|appreciate|much appreciated|no rush"
    r"|ideally|have a)\b"
)
# a word pointing back at an earlier sentence ("is that real?", "how many of those"), not "this week"
_BACK = re.compile(
    r"\b(that|those|these|this|it|them|they|such)\b(?!\s+(week|month|quarter|year|morning|time|one|sprint|past))"
)


def _asks(sentence: str) -> bool:
    return "?" in sentence or bool(_ASKS.match(_FILLER.sub("", sentence.lower())))


def focus_question(message: str) -> str:
    """The sentences of ``message`` that ask (the whole message when none of them clearly does)."""
    sentences = [s.strip() for s in _SENTENCE_END.split(message.strip()) if s.strip()]
    if len(sentences) < 2:
        return message
    first = next((i for i, s in enumerate(sentences) if "?" in s), None)
    if first is None:
        first = next((i for i, s in enumerate(sentences) if _asks(s)), None)
    if first is None:
        return message
    last = len(sentences)
    while last - 1 > first and not _asks(sentences[last - 1]) and _SIGN_OFF.match(sentences[last - 1].lower()):
        last -= 1
    if first > 0 and "?" not in sentences[first - 1] and _asks(sentences[first - 1]):
        first -= 1  # "What has Globex Inc." + "said about calendar sync?": one question cut at an abbreviation
    elif first > 0 and _BACK.search(_FILLER.sub("", sentences[first].lower())):
        first -= 1
    return " ".join(sentences[first:last])
