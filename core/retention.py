"""Retention policy: how long each source's data is kept, as a whole and field by field.

Written as one setting, ``GROUNDSWELL_RETENTION``: comma-separated ``SCOPE:DAYS`` entries where SCOPE is a
source name, ``*`` (every other source), or ``SOURCE.FIELD`` / ``*.FIELD`` for one field:

- ``zendesk:365`` — records of zendesk whose last activity is older than 365 days are deleted with their
  units, classifications, vectors, rejected copies and unused vault entries.
- ``*.raw_payload:90`` — raw payload bodies are emptied after 90 days (the row, its content hash and its
  units stay, so a re-sync of the same content changes nothing and analytics keep working).
- ``*.rejected_raw:30`` — rejected records (which keep the raw text of what could not be read) are deleted.

A field is never kept longer than its record. The legacy ``GROUNDSWELL_RETENTION_DAYS`` is the ``*`` default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from groundswell.core.errors import ConfigurationError

__all__ = ["FIELDS", "RetentionPolicy", "parse_retention"]

FIELDS = frozenset({"raw_payload", "rejected_raw"})
ANY = "*"


@dataclass(frozen=True)
class RetentionPolicy:
    records: dict[str, int] = field(default_factory=dict)  # source or "*" -> days
    fields: dict[tuple[str, str], int] = field(default_factory=dict)  # (source or "*", field) -> days

    def __bool__(self) -> bool:
        return bool(self.records or self.fields)

    def record_days(self, source: str) -> int | None:
        return self.records.get(source, self.records.get(ANY))

    def field_days(self, source: str, name: str) -> int | None:
        own = self.fields.get((source, name), self.fields.get((ANY, name)))
        whole = self.record_days(source)
        candidates = [d for d in (own, whole) if d is not None]
        return min(candidates) if candidates else None

    def record_cutoff(self, source: str, now: datetime) -> datetime | None:
        days = self.record_days(source)
        return None if days is None else now - timedelta(days=days)

    def field_cutoff(self, source: str, name: str, now: datetime) -> datetime | None:
        days = self.field_days(source, name)
        return None if days is None else now - timedelta(days=days)


def parse_retention(text: str | None, default_days: int | None = None) -> RetentionPolicy:
    """The policy ``text`` describes (see the module docstring); ConfigurationError says what is wrong."""
    records: dict[str, int] = {}
    fields: dict[tuple[str, str], int] = {}
    if default_days is not None:
        records[ANY] = default_days
    for entry in (e.strip() for e in (text or "").split(",")):
        if not entry:
            continue
        scope, sep, days_text = entry.rpartition(":")
        if not sep or not scope.strip():
            raise ConfigurationError(f"retention entry {entry!r} must look like SOURCE:DAYS or SOURCE.FIELD:DAYS")
        try:
            days = int(days_text)
        except ValueError:
            raise ConfigurationError(f"retention entry {entry!r}: {days_text!r} is not a number of days") from None
        if days < 1:
            raise ConfigurationError(f"retention entry {entry!r}: days must be at least 1")
        source, dot, name = scope.strip().partition(".")
        if not dot:
            records[source] = days
        elif name in FIELDS:
            fields[(source, name)] = days
        else:
            raise ConfigurationError(f"retention entry {entry!r}: unknown field {name!r} (known: {sorted(FIELDS)})")
    return RetentionPolicy(records=records, fields=fields)
