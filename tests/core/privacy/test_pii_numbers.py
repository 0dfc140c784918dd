"""Phone numbers (libphonenumber: international and signature-block formats) and IBANs (any case, mod-97)."""

from __future__ import annotations

import pytest
from groundswell.core.privacy.detect import PiiDetector
from groundswell.core.privacy.numbers import iban_valid


@pytest.fixture(scope="module")
def detector() -> PiiDetector:
    return PiiDetector()


def _found(detector: PiiDetector, text: str, kind: str) -> list[str]:
    return [text[s.start : s.end] for s in detector.detect(text) if s.type == kind]


@pytest.mark.parametrize(
    "text, phone",
    [
        ("Call me on +44 20 7946 0958 tomorrow", "+44 20 7946 0958"),
        ("Reach me at +49 (0)30 1234 5678", "+49 (0)30 1234 5678"),
        ("tel 00 44 20 7946 0958", "00 44 20 7946 0958"),
        ("fax 0044 20 7946 0958", "0044 20 7946 0958"),
        ("+81 3-1234-5678 is the Tokyo office", "+81 3-1234-5678"),
        ("Tel.: +41 44 668 18 00", "+41 44 668 18 00"),
        ("Regards\nJo\nM +61 412 345 678", "+61 412 345 678"),
        ("Mob. 0151 2345 6789", "0151 2345 6789"),
        ("p. 415.555.0132", "415.555.0132"),
        ("+44 (0) 7700 900123", "+44 (0) 7700 900123"),
    ],
)
def test_phone_formats(detector: PiiDetector, text: str, phone: str) -> None:
    assert phone in _found(detector, text, "PHONE_NUMBER")


def test_signature_block_with_several_numbers(detector: PiiDetector) -> None:
    text = "Best,\nAna\nT: +1 (415) 555-0132 | M: +33 6 12 34 56 78"
    assert _found(detector, text, "PHONE_NUMBER") == ["+1 (415) 555-0132", "+33 6 12 34 56 78"]


@pytest.mark.parametrize("text", ["order 2026-11-20 shipped 12:30", "version 4.10.0 build 410", "ticket 12345"])
def test_no_phone_in_dates_versions_ids(detector: PiiDetector, text: str) -> None:
    assert _found(detector, text, "PHONE_NUMBER") == []


@pytest.mark.parametrize(
    "text, iban",
    [
        ("IBAN: GB82WEST12345698765432", "GB82WEST12345698765432"),
        ("iban gb82 west 1234 5698 7654 32", "gb82 west 1234 5698 7654 32"),
        ("my iban is de89 3704 0044 0532 0130 00 thanks", "de89 3704 0044 0532 0130 00"),
        ("De89370400440532013000", "De89370400440532013000"),
    ],
)
def test_iban_any_case(detector: PiiDetector, text: str, iban: str) -> None:
    assert _found(detector, text, "IBAN_CODE") == [iban]


def test_iban_with_a_bad_checksum_is_not_an_iban(detector: PiiDetector) -> None:
    assert _found(detector, "IBAN: GB82WEST12345698765433", "IBAN_CODE") == []
    assert iban_valid("gb82-west-1234-5698-7654-32") and not iban_valid("GB00WEST12345698765432")
