"""Pseudonyms carry 64 bits: no collision among 200k distinct identifiers, and every token reads as one."""

from __future__ import annotations

from groundswell.core.privacy import PiiDetector, Redactor
from groundswell.core.privacy.redact import TOKEN_HEX, pseudonym_digest
from groundswell.core.privacy.reveal import TOKEN, is_legacy, tokens_in

KEY = b"entropy-test-key"
N = 200_000


def test_no_collision_among_200k_distinct_identifiers() -> None:
    redactor = Redactor(PiiDetector(), KEY)
    kinds = [("EMAIL_ADDRESS", "user{}@example.com"), ("PERSON", "Person Number {}"), ("PHONE_NUMBER", "+1415{:07d}")]
    for entity_type, form in kinds:
        tokens = {redactor.token(entity_type, form.format(i)) for i in range(N)}
        assert len(tokens) == N, entity_type  # 16 bits gave ~N²/2^17 collisions here; 64 bits: ~1e-9
        sample = next(iter(tokens))
        assert TOKEN.fullmatch(sample) and not is_legacy(sample)


def test_tokens_hold_the_first_64_bits_of_the_keyed_hmac() -> None:
    redactor = Redactor(PiiDetector(), KEY)
    token = redactor.token("EMAIL_ADDRESS", "Bob@Example.com")
    assert token == f"<EMAIL_{pseudonym_digest(KEY, 'EMAIL_ADDRESS', 'bob@example.com')[:TOKEN_HEX]}>"
    assert TOKEN_HEX * 4 >= 64
    assert tokens_in(f"mail {token} again {token}") == [token]


def test_legacy_tokens_are_recognised_and_told_apart() -> None:
    assert tokens_in("from <EMAIL_19c2> and <PERSON_7f3a01>") == ["<EMAIL_19c2>", "<PERSON_7f3a01>"]
    assert is_legacy("<EMAIL_19c2>") and is_legacy("<PERSON_7f3a01>")
    assert not is_legacy("<EMAIL_0123456789abcdef>") and not is_legacy("not a token")
