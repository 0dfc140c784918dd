"""Property: secrets planted in arbitrary text never survive redaction."""

from __future__ import annotations

from groundswell.core.privacy import PiiDetector, Redactor
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SECRETS = [
    "jane.roe@example.com",
    "ops-team+alerts@mail.example.org",
    "4111 1111 1111 1111",
    "5500-0000-0000-0004",
    "536-90-4399",
    "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
    "AKIAIOSFODNN7EXAMPLE",
]
FILLER = st.text(alphabet=st.sampled_from("abcdefghij XYZ.,!?\n"), max_size=40)
_DETECTOR = PiiDetector()
_REDACTOR = Redactor(_DETECTOR, b"property-key")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=FILLER, secret=st.sampled_from(SECRETS), after=FILLER, cue=st.sampled_from(["", "card ", "ssn: "]))
def test_planted_secret_never_survives(before: str, secret: str, after: str, cue: str) -> None:
    text = f"{before} {cue}{secret} {after}"
    redacted = _REDACTOR.redact(text).text
    assert secret not in redacted
    assert secret.replace(" ", "").replace("-", "") not in redacted.replace(" ", "").replace("-", "")
