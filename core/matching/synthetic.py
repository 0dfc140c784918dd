"""Seeded synthetic noisy person records (benchmarks and tests): people, duplicates with typical corruptions."""

from __future__ import annotations

import random
from dataclasses import replace

from groundswell.core.matching.records import PersonRecord

__all__ = ["synthetic_people"]

_ONSETS = ["b", "br", "c", "ch", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "sh", "t", "v", "w", "z"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ou"]
_CODAS = ["", "n", "r", "l", "s", "th", "m", "ck", "x", "nd"]
_STATES = ["nsw", "vic", "qld", "wa", "sa", "tas", "act", "nt"]
_STREET_TYPES = ["street", "road", "avenue", "place", "crescent", "lane", "drive", "court"]
_FREE = ["gmail.com", "yahoo.com", "hotmail.com", "outlook.com"]


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables))


def _typo(rng: random.Random, value: str | None) -> str | None:
    if not value or len(value) < 2:
        return value
    pos = rng.randrange(len(value) - 1)
    kind = rng.random()
    if kind < 0.3:
        return value[:pos] + value[pos + 1] + value[pos] + value[pos + 2 :]
    if kind < 0.6:
        return value[:pos] + value[pos + 1 :]
    if kind < 0.8:
        return value[:pos] + rng.choice("abcdefghijklmnopqrstuvwxyz") + value[pos + 1 :]
    return value[:pos] + rng.choice("aeiou") + value[pos:]


def _person(rng: random.Random, k: int, first_names: list[str], last_names: list[str]) -> PersonRecord:
    first, last = rng.choice(first_names), rng.choice(last_names)
    company = _word(rng, 2)
    corporate = rng.random() < 0.6
    email = f"{first}.{last}{rng.randrange(100)}@" + (f"{company}.com" if corporate else rng.choice(_FREE))
    return PersonRecord(
        rec_id=f"p{k}-0",
        first_name=first,
        last_name=last,
        email=email if rng.random() < 0.7 else None,
        phone=f"+61 4{rng.randrange(10**8):08d}" if rng.random() < 0.5 else None,
        company=company if corporate else None,
        street=f"{rng.randrange(1, 300)} {_word(rng, 2)} {rng.choice(_STREET_TYPES)}",
        city=_word(rng, 2),
        postcode=f"{rng.randrange(800, 7999):04d}",
        state=rng.choice(_STATES),
        dob=f"{rng.randrange(1930, 2005)}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}",
        external_id=f"{rng.randrange(10**6, 10**7)}",
    )


def _corrupt(rng: random.Random, rec: PersonRecord, rec_id: str) -> PersonRecord:
    changes: dict[str, str | None] = {"rec_id": rec_id}
    for name in ("first_name", "last_name", "street", "city", "postcode", "dob", "external_id"):
        roll = rng.random()
        if roll < 0.12:
            changes[name] = _typo(rng, getattr(rec, name))
        elif roll < 0.18:
            changes[name] = None
    if rng.random() < 0.4:
        changes["email"] = None
    if rng.random() < 0.05:
        changes["first_name"], changes["last_name"] = rec.last_name, rec.first_name
    return replace(rec, **changes)


def synthetic_people(
    people: int, *, seed: int = 7, dup_rate: float = 0.3, max_dups: int = 3
) -> tuple[list[PersonRecord], dict[str, str]]:
    """``people`` originals plus corrupted duplicates for about ``dup_rate`` of them, shuffled.

    Returns the records and the truth: rec_id → person id.
    """
    rng = random.Random(seed)
    first_names = sorted({_word(rng, rng.choice((1, 2, 2, 3))) for _ in range(max(people // 20, 50))})
    last_names = sorted({_word(rng, rng.choice((2, 2, 3))) for _ in range(max(people // 5, 100))})
    records: list[PersonRecord] = []
    truth: dict[str, str] = {}
    for k in range(people):
        original = _person(rng, k, first_names, last_names)
        records.append(original)
        truth[original.rec_id] = f"p{k}"
        if rng.random() < dup_rate:
            for d in range(1, rng.randint(1, max_dups) + 1):
                dup = _corrupt(rng, original, f"p{k}-{d}")
                records.append(dup)
                truth[dup.rec_id] = f"p{k}"
    rng.shuffle(records)
    return records, truth
