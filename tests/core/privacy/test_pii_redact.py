"""Redactor pseudonyms (stable, keyed, collision-safe) and the Fernet vault."""

from __future__ import annotations

import re

import pytest
from groundswell.core.privacy import PiiDetector, PiiSpan, Redactor, Vault
from groundswell.core.privacy.redact import VaultError, normalise

KEY = b"test-key-0123456789"
TOKEN = re.compile(r"<([A-Z_]+)_([0-9a-f]{4,})>")


def test_redacts_every_span_with_typed_tokens(detector: PiiDetector) -> None:
    text = "Hi, my name is Maria Lopez, mail maria@example.com or call +1 415 555 0132."
    result = Redactor(detector, KEY).redact(text)
    assert "Maria" not in result.text and "maria@example.com" not in result.text and "555" not in result.text
    kinds = {m.group(1) for m in TOKEN.finditer(result.text)}
    assert kinds == {"PERSON", "EMAIL", "PHONE"}
    assert set(result.pseudonyms.values()) == {"Maria Lopez", "maria@example.com", "+1 415 555 0132"}
    assert all(TOKEN.fullmatch(token) for token in result.pseudonyms)
    assert [text[s.start : s.end] for s in result.spans] == ["Maria Lopez", "maria@example.com", "+1 415 555 0132"]


def test_pseudonyms_are_stable_across_calls_and_forms(detector: PiiDetector) -> None:
    redactor = Redactor(detector, KEY)
    first = redactor.redact("Contact bob@example.com today")
    second = Redactor(detector, KEY).redact("BOB@example.com wrote again")
    token = next(iter(first.pseudonyms))
    assert token in second.text and token in first.text
    assert normalise("PHONE_NUMBER", "+1 (415) 555-0132") == normalise("PHONE_NUMBER", "+14155550132")


def test_a_different_key_gives_different_tokens(detector: PiiDetector) -> None:
    text = "Contact bob@example.com today"
    assert Redactor(detector, KEY).redact(text).text != Redactor(detector, b"other-key").redact(text).text


def test_colliding_prefixes_are_extended_within_a_text(monkeypatch: pytest.MonkeyPatch, detector: PiiDetector) -> None:
    redactor = Redactor(detector, KEY)
    shared = "abcd" * 4  # the first 16 hex digits (64 bits) agree
    digests = {"a@example.com": shared + "11" + "0" * 46, "b@example.com": shared + "22" + "0" * 46}
    monkeypatch.setattr(redactor, "digest", lambda entity_type, value: digests[value.lower()])
    result = redactor.redact("a@example.com then b@example.com then a@example.com")
    a, b = f"<EMAIL_{shared}>", f"<EMAIL_{shared}22>"
    assert result.text == f"{a} then {b} then {a}"
    assert result.pseudonyms == {a: "a@example.com", b: "b@example.com"}


def test_text_without_pii_is_unchanged(detector: PiiDetector) -> None:
    result = Redactor(detector, KEY).redact("the export is slow")
    assert (result.text, result.spans, result.pseudonyms) == ("the export is slow", [], {})


def test_empty_key_is_refused(detector: PiiDetector) -> None:
    with pytest.raises(ValueError):
        Redactor(detector, b"")
    with pytest.raises(ValueError):
        Vault(b"")


def test_vault_roundtrip_and_wrong_key_fails() -> None:
    ciphertext = Vault(KEY).encrypt("Maria Lopez")
    assert b"Maria" not in ciphertext
    assert Vault(KEY).decrypt(ciphertext) == "Maria Lopez"
    with pytest.raises(VaultError):
        Vault(b"wrong-key").decrypt(ciphertext)
    with pytest.raises(VaultError):
        Vault(KEY).decrypt(ciphertext[:-3] + b"xyz")


def test_piispan_is_frozen() -> None:
    span = PiiSpan(0, 3, "PERSON", 0.6)
    with pytest.raises(AttributeError):
        span.start = 1  # type: ignore[misc]
