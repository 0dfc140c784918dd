"""Question text for the deterministic planner: tokens, light stemming, spelling repair and phrase spans.

Everything here is vocabulary-agnostic: the words it knows are the *structure* of questions (time, counting,
ranking); names of themes, segments, sources and accounts come from the :class:`core.query.Vocabulary`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

__all__ = [
    "GENERIC",
    "NUMBER_WORDS",
    "STRUCTURE",
    "Span",
    "Text",
    "find_phrase",
    "normalize",
    "stem",
    "tokens_of",
]

_TOKEN = re.compile(r"\d+(?:\.\d+)+|\d+[a-z]*|[a-z]+(?:'[a-z]+)?")

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "sixty": 60, "ninety": 90,
}  # fmt: skip

# Words that shape a question (time, counting, ranking, comparing): spelling repair knows them, and they never
# make a question "about" an unknown topic.
_STRUCTURE_WORDS = """
last past previous prior preceding this next week weeks day days month months quarter quarters year years
yesterday today since before after vs versus compare compared comparison trend trending over time top most rank
ranking ranked how many much count number total ever all history feedback signal signals customer customers
account accounts theme themes segment segments source sources mention mentioned mentioning quote quotes example
examples what which who why when where is are was were do does did the a an of in on for from about with and or
to by per at as be been we our us they them their it its any every each more less fewer rising growing grow
fastest risers riser changed change up down going lately recently negative positive neutral sentiment severity
critical high low medium churn risk bug bugs report reports feature request requests praise praising complaint
complaints question questions renewing renewal renew within arr average biggest largest stake behind shipped
release released prioritise prioritize priority team teams act need say says saying talk talking come comes
coming up bring brings raise raised get got give show me list volume overall there have has had much complaining
frustrated unhappy angry love loving complain complained recent latest newest deploy version raising
"""
STRUCTURE = frozenset(_STRUCTURE_WORDS.split())

# Words that carry no topic on their own: a question whose leftover words are all GENERIC names no unknown theme.
_GENERIC_WORDS = """
out into off onto came via like since got getting gotten
review reviews ticket tickets call calls conversation conversations post posts response responses message messages
i you he she my your please tell can could would should will just also only than then that these those so such
very really still some same other new people user users client clients company companies hear hearing heard ask
asked asking asks talked lot lots much many number numbers data point points problem problems issue issues thing
things stuff topic topics area areas kind kinds type types whole product products app apps now currently vs
thank thanks hi hello hey week's month's overall broken go goes went way ways happen happened happening mentions
counted count counts d w m sentiment area whats what's s t don't didn't isn't aren't it's that's there's fb tell
us breakdown split group grouped market marketing doing done worse better open
"""
GENERIC = STRUCTURE | frozenset(_GENERIC_WORDS.split())


def normalize(text: str) -> str:
    """Lowercase ASCII with unified dashes and quotes."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    for dash in ("\u2013", "\u2014", "\u2212"):
        text = text.replace(dash, " - ")
    return text.lower()


def stem(word: str) -> str:
    """A light English stemmer: enough to meet "exports"/"export", "timeouts"/"timeout", "failing"/"fail"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed") and not word.endswith("eed"):
        return word[:-2]
    if len(word) > 4 and word.endswith(("shes", "ches", "xes", "sses")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens_of(text: str) -> list[str]:
    """Tokens of a phrase (names, aliases): the same tokenisation questions get, without spelling repair."""
    return [stem(t) for t in _TOKEN.findall(normalize(text).replace("-", " "))]


@dataclass(frozen=True)
class Span:
    start: int  # token index
    end: int  # exclusive

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass
class Text:
    """A question as raw tokens and stemmed tokens, plus which token spans are already explained."""

    raw: list[str]
    words: list[str]  # stemmed
    used: list[Span] = field(default_factory=list)

    @classmethod
    def parse(cls, question: str, lexicon: Iterable[str] = ()) -> Text:
        raw = _TOKEN.findall(normalize(question).replace("-", " "))
        known = set(STRUCTURE) | set(NUMBER_WORDS) | {w for w in lexicon if len(w) >= 3}
        repaired = [_repair(tok, known) for tok in raw]
        return cls(raw=repaired, words=[stem(t) for t in repaired])

    def joined(self, start: int = 0, end: int | None = None) -> str:
        return " ".join(self.words[start:end])

    def free(self, span: Span) -> bool:
        return not any(span.overlaps(u) for u in self.used)

    def use(self, span: Span) -> None:
        self.used.append(span)

    def leftover(self) -> list[int]:
        """Indices of tokens no rule explained."""
        return [i for i in range(len(self.words)) if all(not (u.start <= i < u.end) for u in self.used)]

    def has(self, *phrases: str) -> bool:
        return any(find_phrase(self, tokens_of(p)) is not None for p in phrases)

    def take_before(self, word: str, follower: str, *, gap: int = 3) -> bool:
        """Mark ``word`` (stemmed) used where ``follower`` comes within ``gap`` words after it ("complaining the
        most about"); True when it did."""
        hits = [i for i, w in enumerate(self.words) if w == word and follower in self.words[i + 1 : i + 2 + gap]]
        for i in hits:
            self.use(Span(i, i + 1))
        return bool(hits)

    def take(self, *phrases: str) -> bool:
        """True (and the span marked used) when one of ``phrases`` occurs."""
        for phrase in phrases:
            span = find_phrase(self, tokens_of(phrase))
            if span is not None:
                self.use(span)
                return True
        return False


# "whos", "whats", "hows": a contraction typed without its apostrophe
_CONTRACTED = frozenset(("who", "what", "how", "where", "that", "there", "here"))


def _repair(token: str, known: set[str]) -> str:
    """A misspelt word becomes the known word it is closest to: two letters swapped (``whcih``, ``mnay``,
    ``emial``) from four letters on, or a close spelling (``quater``, ``enterprize``) from five."""
    if token.endswith("s") and token[:-1] in _CONTRACTED:
        return f"{token[:-1]}'s"
    if len(token) < 4 or token in known or stem(token) in known or token[0].isdigit():
        return token
    near = process.extract(token, known, scorer=OSA.distance, score_cutoff=1, limit=None)
    swaps = sorted(word for word, _, _ in near if len(word) == len(token) and sorted(word) == sorted(token))
    if swaps:
        return swaps[0]
    if len(token) < 5:  # one letter off a four-letter word is often another word ("rise", "here")
        return token
    match = process.extractOne(token, known, scorer=fuzz.ratio, score_cutoff=85)
    return match[0] if match else token


def find_phrase(text: Text, phrase: list[str], *, fuzzy: bool = False) -> Span | None:
    """The first free occurrence of ``phrase`` (stemmed tokens) in ``text``; ``fuzzy`` tolerates typos."""
    n = len(phrase)
    if n == 0:
        return None
    for i in range(len(text.words) - n + 1):
        window = text.words[i : i + n]
        if window == phrase or (fuzzy and _close(window, phrase)):
            span = Span(i, i + n)
            if text.free(span):
                return span
    return None


def _close(window: list[str], phrase: list[str]) -> bool:
    """Token by token: short words must be equal, longer ones may carry a typo."""
    return all(
        a == b or (min(len(a), len(b)) >= 5 and fuzz.ratio(a, b) >= 85) for a, b in zip(window, phrase, strict=True)
    )
