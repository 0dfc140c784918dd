"""PiiDetector: each entity type in realistic support text, product words left alone, overlaps, fast path, offline."""

from __future__ import annotations

import socket
from itertools import pairwise

import pytest
from groundswell.core.privacy import PiiDetector, PiiSpan
from groundswell.core.privacy.detect import needed_entities
from groundswell.core.privacy.spans import resolve_overlaps


def _found(detector: PiiDetector, text: str) -> set[tuple[str, str]]:
    return {(span.type, text[span.start : span.end]) for span in detector.detect(text)}


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("Please reply to jane.doe@acme-corp.com about the invoice.", "EMAIL_ADDRESS", "jane.doe@acme-corp.com"),
        ("You can call me on +1 (415) 555-0132 after 5pm.", "PHONE_NUMBER", "+1 (415) 555-0132"),
        ("Phone:\n358 0594", "PHONE_NUMBER", "358 0594"),
        ("They're not answering at 516 466 638", "PHONE_NUMBER", "516 466 638"),
        ("My card 4111 1111 1111 1111 was charged twice.", "CREDIT_CARD", "4111 1111 1111 1111"),
        ("Need to change billing date of my card 2623322164608847", "CREDIT_CARD", "2623322164608847"),
        ("Refund to IBAN GB59NAWV77136867049356 please.", "IBAN_CODE", "GB59NAWV77136867049356"),
        ("My SSN is 536-90-4399, is that needed?", "US_SSN", "536-90-4399"),
        ("Requests from 172.61.42.192 are blocked.", "IP_ADDRESS", "172.61.42.192"),
        ("See https://status.example.com/incidents/42 for details", "URL", "https://status.example.com/incidents/42"),
        ("Our key sk_live_4eC39HqLyjWDarjtT1zdp7dc leaked", "API_KEY", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
        ("token ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 in CI", "API_KEY", "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"),
        ("bot uses xoxb-1234567890-abcdefghij", "API_KEY", "xoxb-1234567890-abcdefghij"),
        ("aws AKIAIOSFODNN7EXAMPLE rotated", "API_KEY", "AKIAIOSFODNN7EXAMPLE"),
        ("config has api_key=9f8e7d6c5b4a and more", "API_KEY", "9f8e7d6c5b4a"),
        ("my password: hunter2!! is too short", "API_KEY", "hunter2!!"),
        ("Authorization: Bearer abc.def-ghi_jkl123", "API_KEY", "abc.def-ghi_jkl123"),
        ("Hi, my name is Maria Lopez and I run ops.", "PERSON", "Maria Lopez"),
        ("I'm Tom from Acme, the export fails.", "PERSON", "Tom"),
        ("Hello, this is Dr. Kyle Kuefer. Who are you?", "PERSON", "Kyle Kuefer"),
        ("Thanks,\nMaria Lopez", "PERSON", "Maria Lopez"),
        ("That fixed it. Cheers, Tom", "PERSON", "Tom"),
        ("Kind regards,\n\nAnna Schmidt", "PERSON", "Anna Schmidt"),
        ("Priya Raman asked about SSO again", "PERSON", "Priya Raman"),
    ],
)
def test_detects_each_type_in_context(detector: PiiDetector, text: str, entity: str, value: str) -> None:
    assert (entity, value) in _found(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "Salesforce Sync keeps failing since Brightloop 4.12.",
        "Hi team, the Dashboard Builder is slow. Thanks, Support",
        "This is Dashboard Builder feedback: I'm Very disappointed with version 4.12 and 3 seats",
        "Order 12 arrived on 2024-03-01 with 3 items.",
        "We pay 1200 per year for 15 users.",
    ],
)
def test_no_false_positives_on_product_text(detector: PiiDetector, text: str) -> None:
    assert detector.detect(text) == []


def test_known_names_are_always_person() -> None:
    detector = PiiDetector(known_names=["Zed Quorn"])
    assert _found(detector, "zed says hi; Zed Quorn confirmed") == {("PERSON", "Zed Quorn")}


def test_spans_do_not_overlap_and_are_sorted(detector: PiiDetector) -> None:
    text = "mail bob@example.com, url https://example.com/x, call 415-555-0132"
    spans = detector.detect(text)
    assert spans == sorted(spans)
    assert all(not a.overlaps(b) for a, b in pairwise(spans))
    assert ("EMAIL_ADDRESS", "bob@example.com") in _found(detector, text)


def test_resolve_overlaps_prefers_longest_then_score() -> None:
    short = PiiSpan(0, 5, "URL", 0.9)
    long = PiiSpan(0, 10, "EMAIL_ADDRESS", 0.5)
    weak = PiiSpan(20, 25, "PHONE_NUMBER", 0.4)
    strong = PiiSpan(20, 25, "CREDIT_CARD", 0.8)
    assert resolve_overlaps([short, long, weak, strong]) == [long, strong]


def test_fast_path_skips_presidio_on_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    detector = PiiDetector()
    calls: list[str] = []
    for recognizer in detector.recognizers:
        original = recognizer.analyze

        def spy(*args: object, _name: str = recognizer.name, _original=original, **kwargs: object) -> object:
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(recognizer, "analyze", spy)
    assert detector.detect("the export button does nothing when i click it") == []
    assert calls == []
    detector.detect("the export button does nothing when i click it, call 415-555-0132")
    assert "PhoneNumbersRecognizer" in calls
    assert "EmailRecognizer" not in calls and "OfflineEmailRecognizer" not in calls


def test_needed_entities_are_cheap_cues() -> None:
    assert needed_entities("all lower case words") == []
    assert "EMAIL_ADDRESS" in needed_entities("a@b")
    assert "PHONE_NUMBER" in needed_entities("call 555")
    assert "PERSON" in needed_entities("Thanks Tom")
    assert "API_KEY" in needed_entities("password=x")


def test_detection_makes_no_network_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """tldextract's default fetches the public-suffix list (DNS lookup, then connect): both are blocked here."""
    attempts: list[object] = []
    local = ("127.0.0.1", "::1", "localhost")
    real_connect, real_getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def guarded_connect(self: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if self.family != socket.AF_UNIX and host not in local:
            attempts.append(address)
            raise OSError(f"network blocked in tests: {address}")
        real_connect(self, address)

    def guarded_getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if host not in local:
            attempts.append(host)
            raise OSError(f"DNS blocked in tests: {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    detector = PiiDetector()
    text = "Write to ana@example.co.uk or ana@mail.example.museum, see www.example.io, call +44 20 7946 0958"
    found = _found(detector, text)
    assert ("EMAIL_ADDRESS", "ana@example.co.uk") in found
    assert ("EMAIL_ADDRESS", "ana@mail.example.museum") in found
    assert attempts == []
