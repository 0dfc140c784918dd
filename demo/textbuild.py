"""Assembling message texts while recording where every signal and every PII string lands.

``Context`` is the shared state of one generation run: the RNG, the population, the PII and
identity ledgers, and id counters. Source builders (``demo.sources_*``) use it.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from groundswell.demo.phrasing_chatter import SIGNOFFS
from groundswell.demo.pii import PII_SENTENCES, make_pii
from groundswell.demo.planning import Signal
from groundswell.demo.population import Account, Person, Population, _phone
from groundswell.demo.timeline import Timeline

__all__ = ["Context", "TextBuilder"]

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_PII_OF_SLOT = {
    "first": "person_name",
    "full": "person_name",
    "agent": "person_name",
    "phone": "phone",
    "email": "email",
    "user": None,
    "person_name": "person_name",
    "credit_card": "credit_card",
    "iban": "iban",
    "api_key": "api_key",
    "ssn": "ssn",
    "ip_address": "ip_address",
}


class TextBuilder:
    """Appends text pieces, remembering signal spans and PII spans (character offsets)."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._len = 0
        self.pii: list[tuple[int, int, str, str]] = []  # start, end, type, value
        self.units: list[tuple[Signal, int, int]] = []

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def __len__(self) -> int:
        return self._len

    def add(self, piece: str, pii: str | None = None) -> None:
        if pii and piece:
            self.pii.append((self._len, self._len + len(piece), pii, piece))
        self._parts.append(piece)
        self._len += len(piece)

    def template(self, template: str, values: dict[str, str]) -> None:
        """Fill ``template``; values of PII-bearing slots (names, phones, emails...) are recorded."""
        pos = 0
        for match in _PLACEHOLDER.finditer(template):
            self.add(template[pos : match.start()])
            name = match.group(1)
            self.add(values[name], _PII_OF_SLOT.get(name))
            pos = match.end()
        self.add(template[pos:])

    def signal(self, sig: Signal, tail: tuple[str, dict[str, str]] | None = None) -> None:
        """The signal's text; a PII ``tail`` sentence, if given, is part of the unit span."""
        start = self._len
        self.add(sig.text)
        if tail:
            self.add(" ")
            self.template(*tail)
        self.units.append((sig, start, self._len))


@dataclass
class Context:
    rng: random.Random
    pop: Population
    tl: Timeline
    pii_rate: float = 0.05
    pii: list[dict[str, Any]] = field(default_factory=list)
    people_rows: list[dict[str, str]] = field(default_factory=list)
    _counters: dict[str, int] = field(default_factory=dict)

    def next_id(self, name: str, start: int) -> int:
        value = self._counters.get(name, start)
        self._counters[name] = value + 1
        return value

    def identity(self, source: str, kind: str, ref: str, person: Person | None, **ids: str | None) -> None:
        """One identifier occurrence for ``people.csv`` (person None = shared inbox or unknown)."""
        self.people_rows.append(
            {
                "rec_id": f"{source}:{kind}:{ref}",
                "person_id": person.id if person else "",
                "source": source,
                "name": ids.get("name") or "",
                "email": ids.get("email") or "",
                "phone": ids.get("phone") or "",
                "handle": ids.get("handle") or "",
                "account_id": (person.account_id if person else ids.get("account_id")) or "",
            }
        )

    def pii_tail(self, person: Person | None, account: Account | None) -> tuple[str, dict[str, str]] | None:
        """Maybe a sentence carrying one PII value (None most of the time)."""
        rng = self.rng
        if rng.random() >= self.pii_rate:
            return None
        kind = rng.choice(tuple(PII_SENTENCES))
        other = rng.choice(self.pop.people)
        domain = account.domains[0] if account else "gmail.com"
        value = make_pii(
            rng,
            kind,
            email=f"{other.first.lower()}.{other.last.lower()}@{domain}",
            phone=(person.phone if person and person.phone else _phone(rng, "NA")),
            name=other.full,
        )
        return rng.choice(PII_SENTENCES[kind]), {kind: value}

    def signoff(self, builder: TextBuilder, person: Person, account: Account | None, name: str) -> None:
        template = self.rng.choice(SIGNOFFS)
        if person.phone and self.rng.random() < 0.2:
            template = "Best,\n{full}\n{title}\nM: {phone}"
        first = name.split(" ")[0]
        builder.template(
            template,
            {
                "first": first,
                "full": name,
                "title": person.title,
                "phone": person.phone or "",
                "company": account.name if account else "",
            },
        )

    def record_text(self, source: str, external_id: str, message_id: str, builder: TextBuilder) -> str:
        """Finalize a message: locate its signals and PII; return the plain text."""
        text = builder.text
        for sig, start, end in builder.units:
            sig.external_id, sig.message_id, sig.char_start, sig.char_end = external_id, message_id, start, end
            sig.text = text[start:end]
        for start, end, kind, value in builder.pii:
            self.pii.append(
                {
                    "source": source,
                    "external_id": external_id,
                    "message_id": message_id,
                    "char_start": start,
                    "char_end": end,
                    "type": kind,
                    "value": value,
                }
            )
        return text
