"""Our own Presidio recognizers: offline e-mail validation, secrets/API keys, phone numbers by context, names by cue.

Everything here is regex (plus the bundled public-suffix snapshot): no model, no network.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import tldextract
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import EmailRecognizer

__all__ = [
    "ApiKeyRecognizer",
    "ContextCardRecognizer",
    "ContextPhoneRecognizer",
    "OfflineEmailRecognizer",
    "PersonCueRecognizer",
]

# The bundled public-suffix snapshot only: no suffix-list URL, no disk cache, so never a fetch.
_OFFLINE_TLD = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail recognizer, validating the domain against the bundled suffix snapshot (never fetched)."""

    def validate_result(self, pattern_text: str) -> bool:
        return _OFFLINE_TLD(pattern_text).fqdn != ""


_SECRET_PATTERNS = (
    r"\b[sr]k_(?:live|test)_[0-9A-Za-z]{8,}\b",  # Stripe
    r"\b(?:gh[pousr]_[0-9A-Za-z]{20,}|github_pat_[0-9A-Za-z_]{20,})\b",  # GitHub
    r"\bxox[abposr]-[0-9A-Za-z-]{10,}\b",  # Slack
    r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b",  # AWS access key id
    r"\bsk-(?:proj-)?[0-9A-Za-z_-]{20,}\b",  # OpenAI-style
    r"\bAIza[0-9A-Za-z_-]{35}\b",  # Google
    r"\beyJ[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]{8,}\b",  # JWT
    r"(?i:\bbearer)\s+(?P<value>[0-9A-Za-z._~+/=-]{12,})",
    # key/secret/token/password followed by ':' or '=' and a value: the value only is the secret.
    r"(?i:(?<![0-9A-Za-z])(?:api[_ -]?key|api[_-]?secret|secret(?:[_-]?key)?|access[_-]?token|auth[_-]?token"
    r"|token|passw(?:or)?d|pwd|client[_-]?secret))[\"']?\s*[:=]\s*[\"']?(?P<value>[^\s\"',;]{4,})",
)


class RegexRecognizer(EntityRecognizer):
    """One entity from a few regexes; the span is the ``value`` group when the regex has one, else the match."""

    def __init__(self, entity: str, patterns: Iterable[str], score: float, name: str) -> None:
        super().__init__(supported_entities=[entity], name=name, supported_language="en")
        self.entity = entity
        self.score = score
        self._regexes = [re.compile(pattern) for pattern in patterns]

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        for regex in self._regexes:
            for match in regex.finditer(text):
                span = match.span("value") if "value" in regex.groupindex else match.span()
                start, end = self.adjust(text, *span)
                if end > start:
                    results.append(RecognizerResult(self.entity, start, end, self.score))
        return results

    def adjust(self, text: str, start: int, end: int) -> tuple[int, int]:
        """Hook to trim or reject (return an empty span) a candidate."""
        return start, end


class ApiKeyRecognizer(RegexRecognizer):
    """API keys, tokens and passwords (vendor prefixes, bearer tokens, ``password: …`` assignments)."""

    def __init__(self) -> None:
        super().__init__("API_KEY", _SECRET_PATTERNS, 0.9, "ApiKeyRecognizer")


_PHONE_CUE = (
    r"(?i:\b(?:phone|tel|telephone|mobile|cell|fax|call|ring|whatsapp|reach|dial|sms|text me|answer|answering"
    r"|registered))"
)
_GAP = r"[^\d\n]{0,25}?(?:\n[ \t]*)?"  # a few words, or the next line ("Phone:\n358 0594")
_PHONE_DIGITS = r"\+?\(?\d{1,4}\)?(?:[ .-]?\(?\d{2,5}\)?){1,4}"


class ContextPhoneRecognizer(RegexRecognizer):
    """Local-format numbers (``358 0594``) that libphonenumber rejects, when a phone cue comes shortly before."""

    def __init__(self) -> None:
        pattern = rf"{_PHONE_CUE}{_GAP}(?<![\w-])(?P<value>{_PHONE_DIGITS})(?![\w-])"
        super().__init__("PHONE_NUMBER", [pattern], 0.45, "ContextPhoneRecognizer")

    def adjust(self, text: str, start: int, end: int) -> tuple[int, int]:
        return (start, end) if 7 <= _digit_count(text[start:end]) <= 15 else (start, start)


_CARD_CUE = r"(?i:\b(?:card|cc|credit|debit|visa|mastercard|amex|maestro))"
_CARD_DIGITS = r"\d(?:[ -]?\d){11,18}"


class ContextCardRecognizer(RegexRecognizer):
    """12-19 digit numbers right after a card cue ("my card 2720418695252980") that fail Presidio's issuer regex."""

    def __init__(self) -> None:
        pattern = rf"{_CARD_CUE}{_GAP}(?<![\w-])(?P<value>{_CARD_DIGITS})(?![\w-])"
        super().__init__("CREDIT_CARD", [pattern], 0.5, "ContextCardRecognizer")


def _digit_count(value: str) -> int:
    return sum(ch.isdigit() for ch in value)


_NAME = r"[A-Z][a-zà-ÿ'’-]+(?:[- ](?:[A-Z][a-zà-ÿ'’-]+|[A-Z]\.)){0,2}"
_NAME_END = r"(?=[ \t]*(?:[,.!:;)\n]|$| from | at | here | with | of | and ))"
_NAME_CUES = (
    # "my name is Maria Lopez", "you can call me Jo", "I spoke with Ana Ruiz"
    rf"(?i:\bname is|\bname's|\bname:|\bcall me|\bspoke (?:to|with)|\btalked to)\s+(?P<value>{_NAME})",
    # weaker cues need the name to end there: "I'm Tom from Acme", "this is Ana here", "I am Jo."
    rf"(?i:\bi'm|\bi am|\bthis is)\s+(?P<value>{_NAME}){_NAME_END}",
    # "Mr. Smith", "Dr Ana Ruiz"
    rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+(?P<value>{_NAME})",
    # "Dear Maria,", "Hi Tom!"
    rf"(?i:\b(?:dear|hi|hello|hey))[ \t]+(?P<value>{_NAME}){_NAME_END}",
    # sign-offs: "Thanks,\nMaria Lopez", "Cheers, Tom", "Best regards,\n\nAna"
    rf"(?i:\b(?:thanks|thank you|cheers|regards|best|sincerely|yours|cc|signed))[ \t]*(?:,[ \t]*\n?|\n)\s*"
    rf"(?P<value>{_NAME}){_NAME_END}",
)


# Capitalised words that are never (the start of) a name in a cue position.
_STOP_WORDS = (
    "The A An This That It We You They He She I Our Your Team Support Customer Customers Everyone All Sales "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Today Tomorrow Yesterday Hi Hello Thanks Regards "
    "Best Cheers Sincerely Dear Please Yes No Not So And But Or If When Also Just Here There Again Kind Warm "
    "Many Much More Great Good Sorry Feature Product Account Admin Billing Release Version Dashboard Is Was "
    "In On At For To Of My Me Us Him Her Them Via Using With Without Any Some Mr Mrs Ms Miss Mx Dr Prof"
)


class PersonCueRecognizer(RegexRecognizer):
    """Names introduced by a cue (self-introductions, titles, greetings, sign-offs)."""

    _STOP = frozenset(_STOP_WORDS.split())

    def __init__(self) -> None:
        super().__init__("PERSON", _NAME_CUES, 0.6, "PersonCueRecognizer")

    def adjust(self, text: str, start: int, end: int) -> tuple[int, int]:
        """Drops leading stop words and cuts the candidate at the first stop word or lower-case word."""
        words = text[start:end].split(" ")
        while words and words[0].rstrip(".") in self._STOP:
            start += len(words[0]) + 1
            words = words[1:]
        kept: list[str] = []
        for word in words:
            if word.rstrip(".'’") in self._STOP or not word[:1].isupper():
                break
            kept.append(word)
        return start, start + len(" ".join(kept))
