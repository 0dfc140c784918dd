"""Person records in, match pairs and clusters out; normalised columns for vectorised comparison."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any

import numpy as np
from groundswell.core.identity import email_domain, normalize_email, normalize_phone

__all__ = ["FIELDS", "MatchPair", "MatchResult", "PersonRecord", "Prepared", "prepare", "records_from_rows", "soundex"]


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One sighting of a person in one source; every field optional."""

    rec_id: str
    first_name: str | None = None
    last_name: str | None = None
    full_name: str | None = None
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    domain: str | None = None
    street: str | None = None
    city: str | None = None
    postcode: str | None = None
    state: str | None = None
    dob: str | None = None
    external_id: str | None = None


FIELDS: tuple[str, ...] = tuple(f.name for f in fields(PersonRecord))


@dataclass(frozen=True, slots=True)
class MatchPair:
    """Two records judged to be the same person: ``a < b`` (rec ids), confidence in [0, 1], why."""

    a: str
    b: str
    confidence: float
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MatchResult:
    """Matched pairs (above threshold) and clusters of two or more rec ids (each sorted; list sorted)."""

    pairs: list[MatchPair]
    clusters: list[tuple[str, ...]]


def records_from_rows(rows: Iterable[Mapping[str, Any]]) -> list[PersonRecord]:
    """Build records from dict rows (e.g. csv.DictReader); unknown columns ignored, blanks become None."""
    out: list[PersonRecord] = []
    for row in rows:
        values = {name: (str(row[name]).strip() or None) if row.get(name) is not None else None for name in FIELDS}
        if not values["rec_id"]:
            continue
        out.append(PersonRecord(**values))  # type: ignore[arg-type]
    return out


_SOUNDEX = {
    c: d
    for d, letters in {"1": "bfpv", "2": "cgjkqsxz", "3": "dt", "4": "l", "5": "mn", "6": "r"}.items()
    for c in letters
}
_NON_ALNUM = re.compile(r"[^a-z0-9 ]+")
_NON_DIGIT = re.compile(r"\D")


@lru_cache(maxsize=200_000)
def soundex(name: str) -> str:
    """American Soundex (``robert`` → ``r163``); empty string for empty input."""
    letters = [c for c in name.lower() if c.isalpha()]
    if not letters:
        return ""
    code, last = [letters[0]], _SOUNDEX.get(letters[0], "")
    for c in letters[1:]:
        digit = _SOUNDEX.get(c, "")
        if digit and digit != last:
            code.append(digit)
        if c not in "hw":
            last = digit
    return ("".join(code) + "000")[:4]


def _text(value: str | None) -> str:
    return " ".join(_NON_ALNUM.sub(" ", value.lower()).split()) if value else ""


def _digits(value: str | None) -> str:
    return _NON_DIGIT.sub("", value) if value else ""


@dataclass(slots=True)
class Prepared:
    """Column-wise normalised values ('' = missing; object arrays of str), aligned with the input record order."""

    ids: list[str]
    first: np.ndarray
    last: np.ndarray
    email: np.ndarray
    email_local: np.ndarray
    phone: np.ndarray
    company: np.ndarray
    street: np.ndarray
    city: np.ndarray
    postcode: np.ndarray
    state: np.ndarray
    dob: np.ndarray
    external_id: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


def _names(rec: PersonRecord) -> tuple[str, str]:
    first, last = _text(rec.first_name), _text(rec.last_name)
    if (not first or not last) and rec.full_name:
        parts = _text(rec.full_name).split()
        if parts:
            first = first or (parts[0] if len(parts) > 1 or not last else "")
            last = last or (parts[-1] if len(parts) > 1 or not first else "")
    return first, last


def _company(rec: PersonRecord) -> str:
    """Corporate domain if known (never a free-mail one), else the normalised company name."""
    for candidate in (rec.domain, rec.email):
        if candidate:
            dom = email_domain(candidate if "@" in candidate else f"x@{candidate}")
            if dom:
                return dom
    return _text(rec.company)


def prepare(records: list[PersonRecord]) -> Prepared:
    """Normalise every record once: names split/lower-cased, email/phone canonical, digits-only codes."""
    cols: dict[str, list[str]] = {name: [] for name in Prepared.__slots__}
    for rec in records:
        first, last = _names(rec)
        email = normalize_email(rec.email) if rec.email else None
        phone = normalize_phone(rec.phone) if rec.phone else None
        cols["ids"].append(rec.rec_id)
        cols["first"].append(first)
        cols["last"].append(last)
        cols["email"].append(email or "")
        cols["email_local"].append(email.split("@", 1)[0] if email else "")
        cols["phone"].append(phone.lstrip("+")[-9:] if phone else "")
        cols["company"].append(_company(rec))
        cols["street"].append(_text(rec.street))
        cols["city"].append(_text(rec.city))
        cols["postcode"].append(_text(rec.postcode).replace(" ", ""))
        cols["state"].append(_text(rec.state))
        cols["dob"].append(_digits(rec.dob))
        cols["external_id"].append(_text(rec.external_id).replace(" ", ""))
    arrays = {name: np.asarray(values, dtype=object) for name, values in cols.items() if name != "ids"}
    return Prepared(ids=cols["ids"], **arrays)
