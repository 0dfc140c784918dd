"""Phone numbers with libphonenumber (international and signature-block formats) and IBANs with mod-97."""

from __future__ import annotations

import re

import phonenumbers
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

__all__ = ["IbanChecksumRecognizer", "PhoneNumbersRecognizer", "iban_valid"]

# Regions tried for numbers written without a country code; "+…"/"00…" numbers need none.
PHONE_REGIONS = ("US", "GB", "DE", "FR", "ES", "IT", "NL", "IE", "CA", "AU", "IN", "BR", "CH", "AT", "SE", "JP")
# "T: +1 …", "Mob. 0151 …", "Tel.: …", "Phone/Fax …": a label opening a signature line
_LABEL = re.compile(r"(?i)\b(?:t|m|p|f|ph|tel|phone|mob|mobile|cell|fax|direct|office|dd|whatsapp)\b\.?\s*[:.]?\s*$")
_IDD = re.compile(r"(?<![\d+])00(?=[ .-]?[1-9]\d)")  # "00 44 20 …": the international prefix written as 00

_COUNTRY_BEFORE = re.compile(r"\+\d{1,3}[ .-]?$")


class PhoneNumbersRecognizer(EntityRecognizer):
    """Phone numbers libphonenumber finds valid for any of ``PHONE_REGIONS`` (international ones for all)."""

    def __init__(self, regions: tuple[str, ...] = PHONE_REGIONS) -> None:
        super().__init__(supported_entities=["PHONE_NUMBER"], name="PhoneNumbersRecognizer", supported_language="en")
        self.regions = regions

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        # "00" before a country code is "+" (" +": same length, so offsets stay those of ``text``)
        scan = _IDD.sub(" +", text) if "00" in text else text
        found: dict[tuple[int, int], float] = {}
        for region in self.regions:
            for match in phonenumbers.PhoneNumberMatcher(scan, region, leniency=phonenumbers.Leniency.VALID):
                label = _LABEL.search(text[max(0, match.start - 12) : match.start]) is not None
                score = 0.75 if match.raw_string.startswith("+") or label else 0.6
                start = match.start - 1 if text[match.start - 1 : match.start + 1] == "00" else match.start
                if (code := _COUNTRY_BEFORE.search(text, max(0, start - 6), start)) is not None:
                    start = code.start()  # "+44 (0) 7700 900123": the matcher starts at the trunk "(0)"
                key = (start, match.end)
                found[key] = max(found.get(key, 0.0), score)
        return [RecognizerResult("PHONE_NUMBER", start, end, score) for (start, end), score in found.items()]


_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]){11,30}(?![A-Za-z0-9])")


def iban_valid(candidate: str) -> bool:
    """ISO 13616 mod-97 check of an IBAN written in any case, with or without spaces and dashes."""
    compact = re.sub(r"[ -]", "", candidate).upper()
    if not 15 <= len(compact) <= 34 or not compact.isalnum() or not compact[:2].isalpha():
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


class IbanChecksumRecognizer(EntityRecognizer):
    """IBANs in any case ("de89 3704 …"), kept only when the mod-97 checksum holds."""

    def __init__(self) -> None:
        super().__init__(supported_entities=["IBAN_CODE"], name="IbanChecksumRecognizer", supported_language="en")

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        for match in _IBAN.finditer(text):
            value = match.group()
            # a longer match may swallow a trailing word ("… 0130 00 thanks"): try shorter prefixes at word breaks
            for end in sorted({len(value), *(i for i, ch in enumerate(value) if ch in " -")}, reverse=True):
                if iban_valid(value[:end]):
                    results.append(RecognizerResult("IBAN_CODE", match.start(), match.start() + end, 0.9))
                    break
        return results
