"""Hand-written text cues telling customer words from agent/rep and bot words.

Each cue is a regular expression with a signed weight in log-odds of "customer" (positive = customer,
negative = agent side) and a short label that ends up in an attribution's evidence. Bot cues are separate:
they mark automated text whoever "speaks" it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["AGENT_CUES", "BOT_CUES", "CUSTOMER_CUES", "Cue", "CueHit", "bot_hits", "cue_hits"]


@dataclass(frozen=True)
class Cue:
    label: str
    pattern: re.Pattern[str]
    weight: float


@dataclass(frozen=True)
class CueHit:
    label: str
    weight: float


def _cue(label: str, pattern: str, weight: float) -> Cue:
    return Cue(label, re.compile(pattern, re.IGNORECASE), weight)


_I = r"\b(?:i|we)(?:'ve| have|'m| am|'re| are)?"

AGENT_CUES: tuple[Cue, ...] = (
    _cue(
        "thanks for reaching out",
        r"\bthanks? (?:you )?(?:so much )?for (?:reaching out|contacting|getting in touch|your patience|joining"
        r"|taking the time|reporting|flagging|the report|confirming|letting us know|being a)",
        -2.5,
    ),
    _cue(
        "offer to help",
        r"\b(?:happy|glad|here) to help\b|\bhow (?:can|may) i (?:help|assist)|\bwhat can i do for you",
        -2.5,
    ),
    _cue(
        "anything else I can help",
        r"\banything else (?:i|we) can\b|\bcan i help (?:you )?with (?:anything|something) else",
        -3.0,
    ),
    _cue(
        "let me check", r"\blet me (?:check|look|see|pull|find|transfer|explain|share|know if)\b|\bone moment\b", -2.0
    ),
    _cue(
        "escalated / passed on",
        r"\b(?:i|we)(?:'ve| have)? (?:escalated|passed|forwarded|raised|issued|applied|reset|refunded)",
        -2.2,
    ),
    _cue(
        "our team / our side",
        r"\bour (?:team|engineers?|developers?|records|documentation|pricing|support|roadmap|product team|docs)\b",
        -1.6,
    ),
    _cue(
        "asks for details",
        r"\b(?:could|would) you (?:please )?(?:share|confirm|provide|try|walk me|attach)\b"
        r"|\bcan you (?:share|attach)\b",
        -1.6,
    ),
    _cue(
        "asks which/what of yours",
        r"\b(?:which|what) (?:account|email|order|browser|date|time|city|version)\b.*\?",
        -1.2,
    ),
    _cue("may I have", r"\bmay i (?:have|ask|get)\b|\bcan i (?:get|have) your\b", -2.0),
    _cue(
        "apology for inconvenience",
        r"\b(?:sorry|apologi[sz]e) for (?:the|any) (?:inconvenience|trouble|delay|confusion)",
        -2.0,
    ),
    _cue("empathy", r"\bi understand (?:how|that|your)\b", -1.5),
    _cue(
        "your account/order (second person)",
        r"\byour (?:account|order|ticket|subscription|reservation|payment|request|transfer)\b",
        -1.2,
    ),
    _cue("would you like", r"\bwould you like\b|\bdo you want me to\b|\bshall i\b|\bhow about\b", -1.5),
    _cue("offer options", r"\b(?:here are|there are|i found) (?:a few|some|\d+|two|three|several)\b", -1.6),
    _cue("confirmation request", r"\b(?:please confirm|to confirm|just to confirm|is that (?:correct|right))\b", -1.6),
    _cue(
        "sign-off wish",
        r"\b(?:have a (?:great|good|nice|wonderful|pleasant)|enjoy your|take care|you'?re welcome)\b",
        -1.5,
    ),
    _cue(
        "signature with team",
        r"(?:regards|cheers|best|thanks),?\s.*\b(?:team|support|success|engineer|specialist)\b",
        -2.0,
    ),
    _cue("great question / glad to hear", r"\bgreat question\b|\b(?:glad|love|great|good) to hear\b", -1.5),
    _cue("I can offer/escalate", r"\b(?:i|we) can (?:escalate|offer|set up|send you|refund|issue|add)\b", -1.4),
    _cue(
        "states availability/facts",
        r"\b(?:is|are) (?:available|located|open|confirmed|scheduled|booked)\b|^there (?:is|are)\b",
        -1.0,
    ),
    _cue("recommendation", r"\b(?:i|we)(?:'d)? recommend\b", -1.4),
    _cue("we will get back", r"\b(?:i|we)(?:'ll| will) (?:follow up|get back|send over|update you|keep you)\b", -1.6),
)

CUSTOMER_CUES: tuple[Cue, ...] = (
    _cue("I/we can't", _I + r" (?:can'?t|cannot|can not|couldn'?t|unable to|keep|kept|still|never)\b", 2.0),
    _cue("first-person problem", _I + r" (?:(?:been |keep |keeps )?(?:getting|losing|seeing|having|waiting))\b", 1.8),
    _cue(
        "my/our thing",
        r"\b(?:my|our) (?:account|order|invoice|bill|card|team|admins?|dashboard|data|export|package|refund"
        r"|users?|subscription|password|renewal)\b",
        1.4,
    ),
    _cue(
        "broken / not working",
        r"\b(?:doesn'?t|does not|isn'?t|won'?t|didn'?t|stopped|fails?|failing|crash(?:es|ed)?"
        r"|broken?|blank|error|bug)\b",
        1.0,
    ),
    _cue(
        "request (I want/need)",
        r"\bi(?:'d| would)? (?:want|need|like|love|prefer)\b|\bi'?m (?:looking|trying|interested)\b",
        1.4,
    ),
    _cue(
        "complaint",
        r"\b(?:frustrat\w*|annoy\w*|unacceptable|ridiculous|disappointed|not happy|unusable|switching to)\b",
        1.8,
    ),
    _cue(
        "thanks for help",
        r"\b(?:thanks|thank you)(?:,| so much| a lot)?(?: for (?:the|your) help)?[.! ]*"
        r"(?:that (?:fixed|worked|helps)|$)",
        1.0,
    ),
    _cue(
        "short answer",
        r"^\s*(?:yes|yeah|yep|no|nope|sure|ok(?:ay)?|exactly|correct|right|perfect|great)\b[^?]{0,40}$",
        1.0,
    ),
    _cue(
        "asks status/when",
        r"\b(?:any update|when will|where is my|why is|how (?:much|do i|can i (?!help|assist)))\b",
        1.2,
    ),
    _cue(
        "can you (do something for me)",
        r"\b(?:can|could|will|would) you (?:please )?(?:help|assist|fix|check|tell|give|find|search|book|recommend"
        r"|get|send|refund|look up|cancel|change)\b",
        1.2,
    ),
    _cue("for me / give me", r"\b(?:for me|give me|get me|find me|tell me|show me|send me)\b", 0.8),
    _cue("question about a thing", r"^(?![^?]*\byou)[^?]*\?\s*$", 0.8),
    _cue(
        "your product/company",
        r"\byour (?:product|app|tool|update|release|support|team|service|company|site|website|software"
        r"|platform|pricing|phone|agents?|staff)\b",
        1.2,
    ),
    _cue(
        "bare detail (id, email, name)", r"^\s*(?:\S+@\S+\.\w+|[\w#-]*\d[\w#-]*|[A-Z][a-z]+ [A-Z][a-z]+)\s*\.?\s*$", 1.0
    ),
    _cue(
        "thanks for help",
        r"\bthanks? (?:you )?(?:so much |a lot )?for (?:your|the|all (?:your|the)|trying to) help",
        1.4,
    ),
    _cue("will do / look forward", r"^\s*will do\b|\bi'?ll (?:wait|ask|try|look forward|check with)\b", 1.0),
)

BOT_CUES: tuple[Cue, ...] = (
    _cue("virtual assistant", r"\bi'?m (?:a|an|the) (?:virtual|automated|digital|ai)\b|\bi'?m (?:the )?\w+ bot\b", 3.0),
    _cue("menu options", r"\b(?:reply|press|type|select|choose) (?:\d|one of|an option|'?\w+'? to)\b", 2.5),
    _cue(
        "automated notice",
        r"\b(?:automated (?:message|notice)|do not reply|has been (?:created|closed|pulled up)|status changed)\b",
        2.5,
    ),
    _cue(
        "connecting to agent",
        r"\b(?:connected to a (?:live )?agent|transferring you|agent has joined|in progress)\b",
        2.0,
    ),
    _cue(
        "progress notice",
        r"^\s*(?:system action:|(?:searching|loading|validating|checking|processing|verifying)\b.*(?:\.\.\.|…)\s*$)",
        2.0,
    ),
    _cue("rate experience", r"\brate (?:your|the) (?:experience|support|conversation)\b", 2.0),
)


def _hits(cues: tuple[Cue, ...], text: str) -> list[CueHit]:
    return [CueHit(cue.label, cue.weight) for cue in cues if cue.pattern.search(text)]


def cue_hits(text: str) -> list[CueHit]:
    """Customer (+) and agent (-) cues found in ``text``."""
    return _hits(AGENT_CUES, text) + _hits(CUSTOMER_CUES, text)


def bot_hits(text: str) -> list[CueHit]:
    """Automated-text cues found in ``text`` (weights are positive: strength of "bot")."""
    return _hits(BOT_CUES, text)
