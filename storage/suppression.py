"""The suppression list: hashed identifiers of forgotten people, so a re-sync cannot bring them back.

Only ``sha256("groundswell/suppress/v1|kind|value")`` is stored, never the identifier. At ingest a record is
dropped (and the hit counted on its entry) when its own key, an email anywhere in its payload, or an
identifier of one of its authors is on the list.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from typing import Any

from groundswell.core.identity import normalize_email
from groundswell.core.models import ConversationDoc, PersonDoc, RawRecord
from groundswell.storage.db import utcnow
from groundswell.storage.identity import author_identifiers, person_doc_identifiers
from groundswell.storage.models import SuppressionEntry
from sqlmodel import Session, col, select

__all__ = [
    "Suppressions",
    "add_suppressions",
    "digest",
    "doc_keys",
    "record_key",
    "record_keys",
]

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def digest(kind: str, value: str) -> str:
    """The stored form of one identifier (``value`` as ``storage.identity`` normalises it)."""
    return hashlib.sha256(f"groundswell/suppress/v1|{kind}|{value}".encode()).hexdigest()


def record_key(source: str, external_id: str) -> tuple[str, str]:
    return ("record", f"{source}:{external_id}")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def record_keys(record: RawRecord) -> list[tuple[str, str]]:
    """What a raw record can be suppressed by before it is read: its own key and every email it carries."""
    keys = [record_key(record.source, record.external_id)]
    for text in _strings(record.payload):
        if "@" in text:
            keys += [("email", e) for found in _EMAIL.findall(text) if (e := normalize_email(found))]
    return keys


def doc_keys(doc: object) -> list[tuple[str, str]]:
    """What a normalised document can be suppressed by: its authors' (or the contact's) identifiers."""
    if isinstance(doc, PersonDoc):
        return person_doc_identifiers(doc)
    if isinstance(doc, ConversationDoc):
        return [key for message in doc.messages for key in author_identifiers(message.author, doc.source)]
    return []


def add_suppressions(*, session: Session, keys: Iterable[tuple[str, str]], receipt_id: str) -> int:
    """Put identifiers on the list (hashed); returns how many were new."""
    added = 0
    for kind, value in dict.fromkeys(keys):
        key = digest(kind, value)
        if session.get(SuppressionEntry, key) is None:
            session.add(SuppressionEntry(digest=key, kind=kind, receipt_id=receipt_id, created_at=utcnow()))
            added += 1
    session.flush()
    return added


class Suppressions:
    """The list as one ingest run sees it (read once); ``hit`` says whether keys are suppressed and counts it."""

    def __init__(self, session: Session) -> None:
        self._digests = set(session.exec(select(SuppressionEntry.digest)))

    def __bool__(self) -> bool:
        return bool(self._digests)

    def hit(self, session: Session, keys: Iterable[tuple[str, str]]) -> bool:
        if not self._digests:
            return False
        found = {d for kind, value in keys if (d := digest(kind, value)) in self._digests}
        if not found:
            return False
        now = utcnow()
        for entry in session.exec(select(SuppressionEntry).where(col(SuppressionEntry.digest).in_(found))):
            entry.hits, entry.last_hit_at = entry.hits + 1, now
            session.add(entry)
        return True
