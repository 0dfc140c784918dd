"""What is not a customer signal: greetings, thanks, sign-offs, acknowledgements, follow-up pings, call logistics,
signatures; plus the discourse markers that open a new point ("Also", "PS", "On another note").

General customer-service language, written as clause patterns: a sentence is chatter when every clause in it is.
"""

from __future__ import annotations

import re
from enum import StrEnum

__all__ = [
    "Kind",
    "classify",
    "inline_markers",
    "is_delimiter",
    "is_marker",
    "is_signature_line",
    "marker_end",
    "strip_edges",
]


LEAD_IN_WORDS = 3
MAX_CHATTER_CHARS = 200  # longer sentences are content (and never a signature line)
EDGE_CHARS = 40
DETAIL_WORDS = 9  # words besides the identifier in a contact/account-detail sentence


class Kind(StrEnum):
    CHATTER = "chatter"  # drop at the edges of a signal; never a signal alone
    SIGNOFF = "signoff"  # chatter that may open a signature block ("Best,", "Thanks in advance!")
    ADDON = "addon"  # rides along with a signal ("Screenshots attached."), never a signal alone
    DETAIL = "detail"  # contact or account details ("You can reach me at …"): trimmed like chatter unless alone
    CONTENT = "content"


_GREET = r"(?:hi+|hello|hey+a?|hiya|howdy|greetings|dear|yo|good (?:morning|afternoon|evening|day)|morning|afternoon)"
_GROUP = r"(?:there|all|team|everyone|everybody|folks|guys|people|y'?all|support|friends|community|again)"
_THANKS = (
    r"(?:many |big |huge |a (?:big|huge) )?(?:thanks|thank you|thank u|thx|thnx|thanx|tks|ty|tysm|tyvm|tia|ta|cheers)"
    r"(?: (?:so|very) much| a (?:lot|ton|bunch)| again| in advance| all| guys| team| everyone| heaps"
    r"| for (?:the|your|all the|all your|this) (?:\w+ ){0,2}(?:help|reply|response|answer|time|support|update|info"
    r"|information|assistance|patience|fix|call|chat|session|meeting|demo)"
    r"| for (?:setting|looking into|checking|getting back|having|making|joining|reaching out|following up)"
    r"(?: (?:this|it|that|us|me|to me|to us|on this|the time))?(?: up| on this)?)*"
)
_ACK = (
    r"(?:ok(?:ay)?|k+|sure(?: thing)?|yes|yeah|yep|yup|no|nope|great|perfect|awesome|cool|nice|excellent|wonderful"
    r"|lovely|brilliant|fantastic|amazing|good|right|alright|all right|fine|done|agreed|confirmed|understood|noted"
    r"|got it|gotcha|makes sense|sounds (?:good|great|perfect|fine)|that works|works for me|all good|no worries"
    r"|no problem|np|will do|of course|exactly|true|fair enough|i see|ah|oh|hmm+|wow|lol|haha+|same|me too|yes please"
    r"|sorry|apologies|oops)"
)
_SIGNOFF = (
    r"(?:best|best regards|kind regards|warm regards|warmest regards|regards|rgds|sincerely|yours(?: truly)?"
    r"|all the best|warmly|br|kr|talk (?:soon|later)|speak (?:soon|later)|bye|goodbye|bye for now|cya|see you"
    r"(?: soon| then| later)?|take care|have a (?:good|great|nice|lovely) (?:one|day|week|weekend|evening))"
)
_CLAUSES = [
    rf"{_GREET}(?: {_GROUP})*",
    _THANKS,
    r"(?:much |really |greatly |i |we )?appreciate(?:d)?(?: it| that| (?:the|your) (?:\w+ )?(?:help|time|support))?",
    _ACK,
    rf"{_ACK} (?:thanks|thank you|then|now|again)",
    _SIGNOFF,
    r"(?:it|that|this)(?: fix| suggestion| workaround)? (?:worked|works|fixed it|did it|did the trick|solved it|helped)"
    r"(?: for (?:me|us)| perfectly| now)?",
    r"(?:you can|feel free to|please|go ahead and) close (?:this|it|the)(?: ticket| case| thread| one)?(?: now)?",
    r"(?:the )?(?:issue|problem|ticket) (?:is |has been |was )?(?:resolved|solved|fixed|sorted)(?: now)?",
    r"(?:just )?(?:checking|following) (?:in|up)(?: on (?:this|that|my \w+))?(?: one| again)?",
    r"any (?:update|updates|news|progress|word)(?: on (?:this|that|my \w+)| here| yet| so far)*",
    r"(?:bump|bumping)(?: this)?",
    r"(?:following|watching|subscribing to) (?:this|the)(?: thread| topic| post)?",
    r"same (?:question|here|for (?:me|us))|(?:\+1)+|me too|nothing (?:to add|else|more)|no comment|none|nothing|n/?a",
    r"(?:ok(?:ay)? |sure )?(?:i'?ll|i will|will|let me|we'?ll|we will|going to|gonna) (?:try|test|check|look into)"
    r"(?: (?:that|this|it)(?: out)?)?(?: now| later| tomorrow| today| again)?(?: and (?:get back|report back|let you"
    r" know|revert)(?: to you)?)?",
    r"(?:can|do|could) you (?:hear|see) (?:me|it|that|my screen)(?: now| ok| okay| alright)?",
    r"(?:sorry )?(?:i was|i'?m|you'?re|you are|we'?re|we are) (?:on mute|muted|back|here|dialing in|joining)",
    r"(?:yes |yep |yeah )?(?:i|we) can (?:see|hear) (?:it|you|that|everything)(?: now| fine| ok)?",
    r"let'?s (?:get started|start|begin|kick off|kick it off|wrap up|dive in)",
    r"(?:we'?re|i'?m|we are|i am) (?:good|all set|fine|ok|okay|set)(?: on (?:our|my) (?:side|end))?",
    r"(?:sorry|apologies) (?:for|about) (?:the )?(?:delay|late reply|wait)",
    r"(?:hope|i hope) (?:you(?:'re| are)|all is|you'?re all) (?:well|good|doing well)",
    r"(?:how are you|how'?s it going|hope you'?re well|long time no see|nice to (?:meet|see) you(?: all)?)",
]
_ADDONS = [
    r"(?:i'?m |i am |i'?ll |we'?re |we are )?(?:attaching|attached|sending|uploading|adding|here (?:is|are))"
    r"(?: (?:a|the|some))? (?:screenshot|screen ?shot|screen recording|file|log|video|recording|har file)s?"
    r"(?: now| here| below| too)?",
    r"(?:screenshot|screen ?shot|file|log|video|recording|har file)s? (?:is |are )?(?:attached|below|enclosed)",
]
_CHATTER_RE = re.compile("|".join(f"(?:{p})" for p in _CLAUSES))
_SIGNOFF_RE = re.compile(f"(?:{_SIGNOFF})|(?:{_THANKS})")
_ADDON_RE = re.compile("|".join(f"(?:{p})" for p in _ADDONS))
_CLAUSE_SPLIT = re.compile(r"\s*(?:[,;:.!?\u2026()]+|\s[-\u2013\u2014]+\s)\s*")
_NOISE = re.compile(r"[^\w\s'+/]")
_GREETING_NAME = re.compile(
    rf"(?i:{_GREET})(?: [A-Z][\w'\u2019.-]*){{1,3}}(?i:(?: {_GROUP})*)[\s,!.:]*"
)  # "Hi Acme support," / "Dear Ms Lee"
_NAME = re.compile(r"[A-Z][\w'\u2019.-]*(?: [A-Z][\w'\u2019.-]*){0,2}")
_CONTACT = re.compile(
    r"(?:^[A-Za-z]{1,6}\.?:\s*\S)|(?:\+?\d[\d ().-]{6,}\d)|(?:[\w.+-]+@[\w-]+\.[\w.]+)|(?:https?://|www\.)", re.I
)
_COMPANY_SUFFIX = re.compile(r"\s(?:inc|ltd|llc|co|corp|plc|s\.a|b\.v|pty)\.$", re.I)
_IDENTIFIER = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.-]+|https?://\S+|\+?\d[\d ().-]{7,}\d|\b\d{1,3}(?:\.\d{1,3}){3}\b"
    r"|\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,}|\b(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{24,}"
)  # e-mail, URL, phone or card number, IP address, IBAN, API token
_DELIMITER = re.compile(r"^(?:--+|\u2014+|__+|sent from my \w+.*|get outlook for \w+.*)$", re.I)
_MARKER = re.compile(
    r"(?:(?:oh|and|ah) (?:also|and|btw)|also|additionally|in addition|besides(?: that)?|furthermore|moreover"
    r"|(?:one|two|a few) (?:more|other|last) (?:thing|issue|question|point|request)s?|(?:and )?another (?:thing|issue"
    r"|question|point|request|problem|topic)|last(?:ly| thing)|finally|separately|separate (?:thing|issue|note|question"
    r"|topic|point)|unrelated(?: (?:note|question|issue|thing))?(?:,? but [^:.!?\n]{0,30}:)?|(?:on|in) (?:a |an )?"
    r"(?:different|other|another|separate|unrelated) (?:note|topic|subject|matter)|oh and|oh,? also|p\.?\s?p?\.?s\.?"
    r"|side ?note|btw|by the way|while (?:i have you|i'?ve got you|i'?m at it|we'?re at it|we are at it)|second(?:ly)?"
    r"|third(?:ly)?|next|plus|on top of that|apart from that|other than that|aside from that|different (?:topic|issue"
    r"|question|thing)|(?:a |the )?(?:second|third|final|other) (?:thing|issue|point|question|request))"
    r"(?=[\s,:;.!\u2013\u2014-])[\s,:;.!\u2013\u2014-]*",
    re.I,
)
_INLINE_CANDIDATE = re.compile(r"(?<=[\w,)\"'])\s+(?=[A-Z])")
_LOOSE_MARKERS = frozenset({"next", "plus", "second", "third", "finally", "lastly", "also", "btw"})
_EDGE_GREETING = re.compile(rf"^{_GREET}(?: {_GROUP})?[,!]?\s+(?=\S)", re.I)
_EDGE_THANKS = re.compile(r"\s+(?:thx|thanks!?|thank you!?|cheers!?|ty|tia)\W*$", re.I)


def _clauses(sentence: str) -> list[str]:
    return [c for c in _CLAUSE_SPLIT.split(sentence.replace("\u2019", "'")) if _NOISE.sub("", c).strip()]


def _chatter_clause(clause: str) -> bool:
    if _GREETING_NAME.fullmatch(clause.strip()):
        return True
    plain = " ".join(_NOISE.sub(" ", clause.lower()).split())
    return bool(_CHATTER_RE.fullmatch(plain))


def classify(sentence: str) -> Kind:
    """Whether a sentence carries content, rides along with it, or is chatter (``SIGNOFF`` may open a signature)."""
    if len(sentence) > MAX_CHATTER_CHARS:
        return Kind.CONTENT
    clauses = _clauses(sentence)
    if not clauses:
        return Kind.CHATTER  # emoji, dashes, punctuation only
    plain = [" ".join(_NOISE.sub(" ", c.lower()).split()) for c in clauses]
    if len(clauses) == 1 and _ADDON_RE.fullmatch(plain[0]):
        return Kind.ADDON
    if _IDENTIFIER.search(sentence) and len(_IDENTIFIER.sub(" ", sentence).split()) <= DETAIL_WORDS:
        return Kind.DETAIL
    if sentence.rstrip().endswith(":") and len(sentence.split()) <= LEAD_IN_WORDS:
        return Kind.CHATTER  # "Problems:", "Two things:" — a lead-in, not a point
    if not _chatter_clause(clauses[0]) or len(sentence.split()) > 16:
        return Kind.CONTENT
    for clause in clauses[1:]:
        if not (_chatter_clause(clause) or _NAME.fullmatch(clause.strip())):  # "Thanks, Carlos"
            return Kind.CONTENT
    return Kind.SIGNOFF if _SIGNOFF_RE.fullmatch(plain[0]) else Kind.CHATTER


def is_signature_line(sentence: str) -> bool:
    """A line that can follow a sign-off: a name, a job title, a company, contact details, a delimiter."""
    if len(sentence) > MAX_CHATTER_CHARS:
        return False
    line = _COMPANY_SUFFIX.sub("", sentence.strip())
    if _DELIMITER.match(line) or _CONTACT.search(line):
        return True
    parts = [part.split() for part in re.split(r"\s[|\u00b7\u2022,@-]\s", line)]
    return all(len(part) <= 6 for part in parts) and not line.endswith((".", "?", "!", ":"))


def is_delimiter(sentence: str) -> bool:
    """``--`` or "Sent from my phone": whatever follows is a signature."""
    return bool(_DELIMITER.match(sentence.strip()))


def is_marker(sentence: str) -> bool:
    """A sentence that is nothing but a discourse marker ("Also:", "P.S.")."""
    match = _MARKER.match(sentence.strip() + " ")
    return bool(match) and match.end() >= len(sentence.strip())


def marker_end(sentence: str, pos: int = 0) -> int:
    """Length of a discourse marker opening ``sentence[pos:]`` ("Also, ", "On another note, "), or 0 when none.

    Loose markers ("Next", "Plus", "Also") count only when punctuation follows or they open a clause with a capital.
    """
    match = _MARKER.match(sentence, pos)
    if not match or match.end() >= len(sentence):
        return 0
    word = match.group().strip(" ,:;.!-\u2013\u2014").lower()
    punctuated = bool(re.search(r"[,:;.!\u2013\u2014-]", match.group()))
    if word in _LOOSE_MARKERS and not punctuated and not (word == "also" and sentence[match.end()].isalpha()):
        return 0
    return match.end() - pos


def inline_markers(sentence: str) -> list[int]:
    """Offsets where a capitalised marker opens a new point mid-sentence ("… not a great look Also: The …")."""
    cuts = []
    for match in _INLINE_CANDIDATE.finditer(sentence):
        start = match.end()
        length = marker_end(sentence, start)
        marker = sentence[start : start + length]
        if length and (re.search(r"[:,]", marker) or len(marker.split()) > 1 or sentence[start + length].isupper()):
            cuts.append(start)
    return cuts


def strip_edges(text: str, *, first: bool, last: bool) -> tuple[int, int]:
    """(left, right) trims: a leading greeting without its own sentence ("hi there Our …"), a trailing "thx"."""
    left = 0
    if first:
        greeting = _EDGE_GREETING.match(text)
        if greeting and (text[greeting.end()].isupper() or re.search(rf"[,!]|\b{_GROUP}\b", greeting.group(), re.I)):
            left = greeting.end()
    right = len(text)
    if last:
        tail = max(left, len(text) - EDGE_CHARS)
        thanks = _EDGE_THANKS.search(text, tail)
        if thanks and len(text[left : thanks.start()].split()) >= 4:
            right = thanks.start()
    return left, right
