"""``PiiDetector``: Presidio's analyzer with a no-op NLP engine (no spaCy model) and pattern recognizers only.

A cheap pre-check picks, per text, which entity types can possibly be present: text with no digit never runs the
phone/card/SSN/IBAN/IP recognizers, text with no '@' never runs the e-mail one, and so on. Plain prose pays only for
the name recognizers: cue regexes and one token scan against the name gazetteer (``core.privacy.person``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from groundswell.core.privacy.names import Gazetteer
from groundswell.core.privacy.numbers import IbanChecksumRecognizer, PhoneNumbersRecognizer
from groundswell.core.privacy.person import NameGazetteerRecognizer, has_strong_cue, opaque_regions
from groundswell.core.privacy.recognizers import (
    ApiKeyRecognizer,
    ContextCardRecognizer,
    ContextPhoneRecognizer,
    OfflineEmailRecognizer,
    PersonCueRecognizer,
)
from groundswell.core.privacy.spans import PiiSpan, resolve_overlaps
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry
from presidio_analyzer.nlp_engine import NoOpNlpEngine
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    IpRecognizer,
    UrlRecognizer,
    UsSsnRecognizer,
)

__all__ = ["PiiDetector", "needed_entities"]

SCORE_THRESHOLD = 0.3
_MIN_PHONE_DIGITS = 7
# Secrets and names we detect ourselves are kept at any score; Presidio's weak patterns (0.05 SSN-like) are not.

_HAS_DIGIT = re.compile(r"\d")
_HAS_DOMAIN = re.compile(r"[A-Za-z0-9]\.[A-Za-z]{2,}|://")
_HAS_SECRET_CUE = re.compile(r"[:=]|(?i:bearer)|[sr]k_|gh[pousr]_|github_pat_|xox[a-z]-|AKIA|ASIA|AIza|eyJ|\bsk-")
_HAS_CAPITAL = re.compile(r"[A-Z]")

_PRECHECKS: tuple[tuple[Callable[[str], bool], tuple[str, ...]], ...] = (
    (lambda text: _HAS_DIGIT.search(text) is not None, ("PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN")),
    (lambda text: "@" in text, ("EMAIL_ADDRESS",)),
    (lambda text: _HAS_DIGIT.search(text) is not None or ":" in text, ("IP_ADDRESS",)),
    (lambda text: _HAS_DOMAIN.search(text) is not None, ("URL",)),
    (lambda text: _HAS_SECRET_CUE.search(text) is not None, ("API_KEY",)),
    (lambda text: _HAS_CAPITAL.search(text) is not None or has_strong_cue(text), ("PERSON",)),
)


def needed_entities(text: str) -> list[str]:
    """The entity types whose recognizers could match ``text`` (cheap character checks, no regex over patterns)."""
    return [entity for check, entities in _PRECHECKS if check(text) for entity in entities]


def _recognizers(known_names: Iterable[str], gaz: Gazetteer | None) -> list[EntityRecognizer]:
    return [
        OfflineEmailRecognizer(),
        PhoneNumbersRecognizer(),
        ContextPhoneRecognizer(),
        CreditCardRecognizer(),
        ContextCardRecognizer(),
        IbanChecksumRecognizer(),
        IpRecognizer(),
        UrlRecognizer(),
        UsSsnRecognizer(),
        ApiKeyRecognizer(),
        PersonCueRecognizer(),
        NameGazetteerRecognizer(known_names, gaz),
    ]


class PiiDetector:
    """Finds PII spans offline. ``known_names``: people the identity graph knows, always flagged as PERSON;
    ``gaz``: the name gazetteer (default: Faker's first names and surnames, built once per process)."""

    def __init__(self, known_names: Iterable[str] = (), gaz: Gazetteer | None = None) -> None:
        nlp_engine = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}])
        nlp_engine.load()
        registry = RecognizerRegistry(supported_languages=["en"])
        for recognizer in _recognizers(known_names, gaz):
            registry.add_recognizer(recognizer)
        self.recognizers: list[EntityRecognizer] = list(registry.recognizers)
        self._person = next(r for r in self.recognizers if isinstance(r, NameGazetteerRecognizer))
        self._engine = AnalyzerEngine(
            registry=registry,
            nlp_engine=nlp_engine,
            supported_languages=["en"],
            default_score_threshold=SCORE_THRESHOLD,
        )

    def detect(self, text: str) -> list[PiiSpan]:
        """Non-overlapping PII spans of ``text``, sorted by start."""
        entities = needed_entities(text)
        if self._person.known and "PERSON" not in entities:
            entities.append("PERSON")
        if not entities:
            return []
        results = self._engine.analyze(text=text, language="en", entities=entities)
        spans = [PiiSpan(r.start, r.end, r.entity_type, round(r.score, 4)) for r in results]
        if any(span.type == "PERSON" for span in spans):
            opaque = opaque_regions(text)  # never a name inside a URL, an e-mail address or code
            spans = [s for s in spans if s.type != "PERSON" or not any(s.start < e and b < s.end for b, e in opaque)]
        return resolve_overlaps(span for span in spans if _plausible(text, span))


def _plausible(text: str, span: PiiSpan) -> bool:
    """libphonenumber's lenient matcher also takes short house-number pairs ("5112 39"): a phone has 7+ digits."""
    if span.type == "PHONE_NUMBER":
        return sum(ch.isdigit() for ch in text[span.start : span.end]) >= _MIN_PHONE_DIGITS
    return True
