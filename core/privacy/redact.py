"""Replace PII spans with stable pseudonyms (``<EMAIL_3f9c04ab7d21e6b0>``), and encrypt the originals for the vault.

A pseudonym is the entity's short name plus the first 16 hex digits (64 bits) of HMAC-SHA256(key, type + normalised
value), so the same person/e-mail reads the same in every unit redacted under one key; a different key gives
unrelated tokens. At 10M identifiers of one type the chance of any collision is about n²/2^65 ≈ 3·10⁻⁶ (a token
that still collides inside one text is extended). Tokens of 4 hex digits (16 bits) are the legacy scheme that
``storage.rekey`` rewrites.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass, field

from cryptography.fernet import Fernet, InvalidToken
from groundswell.core.errors import GroundswellError
from groundswell.core.privacy.detect import PiiDetector
from groundswell.core.privacy.spans import PiiSpan

__all__ = [
    "LEGACY_HEX",
    "TOKEN_HEX",
    "RedactionResult",
    "Redactor",
    "Vault",
    "VaultError",
    "entity_type_of",
    "normalise",
    "pseudonym_digest",
    "short_type",
]

_SHORT_TYPES = {
    "EMAIL_ADDRESS": "EMAIL",
    "PHONE_NUMBER": "PHONE",
    "CREDIT_CARD": "CARD",
    "IBAN_CODE": "IBAN",
    "US_SSN": "SSN",
    "IP_ADDRESS": "IP",
}
_DIGIT_LIKE = frozenset({"PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN"})
_LONG_TYPES = {short: long for long, short in _SHORT_TYPES.items()}
TOKEN_HEX = 16  # hex digits of the HMAC in a token: 64 bits
LEGACY_HEX = 4  # the first scheme's 16 bits (extended by 2 digits on a collision inside one text)


def short_type(entity_type: str) -> str:
    """The label used inside tokens: EMAIL_ADDRESS -> EMAIL; PERSON, URL, API_KEY unchanged."""
    return _SHORT_TYPES.get(entity_type, entity_type)


def entity_type_of(label: str) -> str:
    """The inverse of ``short_type``: EMAIL -> EMAIL_ADDRESS; PERSON unchanged."""
    return _LONG_TYPES.get(label, label)


def normalise(entity_type: str, value: str) -> str:
    """The form hashed for the pseudonym: "+1 (555) 010-0000" and "15550100000" hash alike, names ignore case."""
    if entity_type in _DIGIT_LIKE:
        return re.sub(r"[^0-9A-Za-z]", "", value).upper()
    return " ".join(value.split()).casefold()


def pseudonym_digest(key: bytes, entity_type: str, value: str) -> str:
    """HMAC-SHA256(key, type NUL normalised value) in hex: a token holds its first ``TOKEN_HEX`` digits."""
    message = f"{entity_type}\x00{normalise(entity_type, value)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class RedactionResult:
    """The redacted text, the spans replaced (offsets in the original) and token -> original value."""

    text: str
    spans: list[PiiSpan]
    pseudonyms: dict[str, str] = field(default_factory=dict)


class Redactor:
    """``redact(text)`` replaces every detected span with its keyed pseudonym."""

    def __init__(self, detector: PiiDetector, key: bytes) -> None:
        if not key:
            raise ValueError("the redaction key must not be empty")
        self.detector = detector
        self._key = key

    def digest(self, entity_type: str, value: str) -> str:
        return pseudonym_digest(self._key, entity_type, value)

    def token(self, entity_type: str, value: str) -> str:
        """The pseudonym of ``value`` (what ``redact`` writes unless it collides inside one text)."""
        return f"<{short_type(entity_type)}_{self.digest(entity_type, value)[:TOKEN_HEX]}>"

    def redact(self, text: str) -> RedactionResult:
        spans = self.detector.detect(text)
        pseudonyms: dict[str, str] = {}
        owner: dict[str, str] = {}  # token -> normalised value, to extend tokens that collide within this text
        pieces: list[str] = []
        cursor = 0
        for span in spans:
            original = text[span.start : span.end]
            token = self._token(span.type, original, owner)
            pseudonyms.setdefault(token, original)
            pieces += [text[cursor : span.start], token]
            cursor = span.end
        pieces.append(text[cursor:])
        return RedactionResult("".join(pieces), spans, pseudonyms)

    def _token(self, entity_type: str, original: str, owner: dict[str, str]) -> str:
        identity = f"{entity_type}\x00{normalise(entity_type, original)}"
        digest = self.digest(entity_type, original)
        for length in range(TOKEN_HEX, len(digest) + 1, 2):
            token = f"<{short_type(entity_type)}_{digest[:length]}>"
            if owner.setdefault(token, identity) == identity:
                return token
        raise AssertionError("unreachable: a full SHA-256 digest cannot collide")  # pragma: no cover


class VaultError(GroundswellError):
    """A vault entry could not be decrypted (wrong key or tampered ciphertext)."""


class Vault:
    """Encrypts/decrypts pseudonymised originals (Fernet, key derived from the redaction key)."""

    def __init__(self, key: bytes) -> None:
        if not key:
            raise ValueError("the vault key must not be empty")
        derived = hmac.new(key, b"groundswell/pii-vault/v1", hashlib.sha256).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def encrypt(self, original: str) -> bytes:
        return self._fernet.encrypt(original.encode())

    def decrypt(self, ciphertext: bytes) -> str:
        try:
            return self._fernet.decrypt(ciphertext).decode()
        except InvalidToken as error:
            raise VaultError("cannot decrypt vault entry: wrong key or corrupted ciphertext") from error
