"""Synthetic but well-formed PII: Luhn-valid cards, mod-97-valid IBANs, realistic keys and ids."""

from __future__ import annotations

import random
import string

__all__ = ["PII_SENTENCES", "iban_valid", "luhn_valid", "make_pii"]

_ALNUM = string.ascii_letters + string.digits

PII_SENTENCES: dict[str, tuple[str, ...]] = {
    "email": ("Please also cc {email} on this.", "My colleague {email} can share more details."),
    "phone": ("You can reach me at {phone}.", "Call me on {phone} if that's easier."),
    "credit_card": ("The card we used is {credit_card}, exp 09/27.", "It was charged to card {credit_card}."),
    "iban": ("Please refund to IBAN {iban}.", "Our bank details for the transfer: {iban}."),
    "api_key": ("Our API key is {api_key} in case you need it.", "We're calling the API with {api_key}."),
    "ssn": (
        "One row shows an employee SSN ({ssn}), is that supposed to be visible?",
        "The import file had {ssn} in the notes column.",
    ),
    "ip_address": ("Our requests come from {ip_address}.", "We already allow-listed {ip_address}."),
    "person_name": ("Please loop in {person_name} from our finance team.", "{person_name} on our side saw it too."),
}


def luhn_valid(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_valid(iban: str) -> bool:
    compact = iban.replace(" ", "")
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def _card(rng: random.Random) -> str:
    digits = [rng.choice((4, 5))] + [rng.randrange(10) for _ in range(14)]
    for check in range(10):
        if luhn_valid("".join(map(str, [*digits, check]))):
            digits.append(check)
            break
    raw = "".join(map(str, digits))
    sep = rng.choice((" ", "-", ""))
    return sep.join(raw[i : i + 4] for i in range(0, 16, 4))


def _iban(rng: random.Random) -> str:
    country, length = rng.choice((("DE", 18), ("FR", 23), ("ES", 20), ("NL", 14)))
    if country == "NL":
        bban = "".join(rng.choice(string.ascii_uppercase) for _ in range(4)) + "".join(
            str(rng.randrange(10)) for _ in range(10)
        )
    else:
        bban = "".join(str(rng.randrange(10)) for _ in range(length))
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    check = 98 - int(numeric) % 97
    compact = f"{country}{check:02d}{bban}"
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def make_pii(rng: random.Random, kind: str, *, email: str, phone: str, name: str) -> str:
    """One PII value of ``kind``; email/phone/name are supplied by the caller (they belong to someone)."""
    if kind == "credit_card":
        return _card(rng)
    if kind == "iban":
        return _iban(rng)
    if kind == "api_key":
        if rng.random() < 0.5:
            return "sk_live_" + "".join(rng.choice(_ALNUM) for _ in range(24))
        return "ghp_" + "".join(rng.choice(_ALNUM) for _ in range(36))
    if kind == "ssn":
        return f"{rng.randrange(100, 665):03d}-{rng.randrange(10, 99):02d}-{rng.randrange(1000, 9999):04d}"
    if kind == "ip_address":
        first = rng.choice((73, 98, 184, 203, 81, 92))
        return f"{first}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    return {"email": email, "phone": phone, "person_name": name}[kind]
