"""Find and redact denormalised copies of a person's data in every text and JSON column of the schema.

A forget request deletes what is keyed by the person (units, records, identifiers); copies made elsewhere
(Slack answers quoting a unit, ticket drafts, audit details, LLM caches, identity evidence) are found here by
value — the person's emails, phones, names — and by the ids of the units that were deleted, and redacted in
place. Values are compared case-insensitively, also in their JSON-escaped form (non-ASCII names).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from typing import Any, Protocol

from sqlalchemy import JSON, String, Table, Text, TypeDecorator, cast, func, or_, select, update
from sqlmodel import Session, SQLModel

__all__ = ["ERASED", "Rewriter", "Scrubber", "is_text", "rewrite_tables", "scrub_tables"]

ERASED = "[erased]"


class Scrubber:
    """Redacts ``needles`` (substrings) and erased unit ids from strings and JSON values."""

    def __init__(self, needles: Iterable[str], unit_ids: Collection[str]) -> None:
        self.needles = sorted({n for n in needles if n}, key=len, reverse=True)
        self.unit_ids = set(unit_ids)
        self._pattern = re.compile("|".join(map(re.escape, self.needles)), re.IGNORECASE) if self.needles else None

    def patterns(self) -> list[str]:
        """Lower-cased substrings to look for in a column's text (plain and JSON-escaped)."""
        found: set[str] = set()
        for value in [*self.needles, *self.unit_ids]:
            found.add(value.lower())
            found.add(json.dumps(value.lower())[1:-1])
        return sorted(found)

    def text(self, value: str) -> str:
        if value in self.unit_ids:
            return ERASED
        for unit_id in self.unit_ids:
            if unit_id in value:
                value = value.replace(unit_id, ERASED)
        return self._pattern.sub(ERASED, value) if self._pattern else value

    def json(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(item) for item in value if not (isinstance(item, str) and item in self.unit_ids)]
        if isinstance(value, dict):
            if value.get("unit_id") in self.unit_ids:  # a quote or citation of an erased unit: all its text goes
                return {k: (ERASED if isinstance(v, str) else self.json(v)) for k, v in value.items()}
            return {self.text(str(k)): self.json(v) for k, v in value.items()}
        return value


def is_text(column: Any) -> bool:
    """A text or JSON column, also behind a TypeDecorator (SQLModel's ``AutoString`` is one)."""
    kind = column.type
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    return isinstance(kind, String | Text | JSON)


def _text_columns(table: Table) -> list[Any]:
    return [c for c in table.columns if is_text(c) and not c.primary_key]


class Rewriter(Protocol):
    """What ``rewrite_tables`` asks of a rewrite: lower-cased substrings to look for, and the rewrites."""

    def patterns(self) -> list[str]: ...

    def text(self, value: str) -> str: ...

    def json(self, value: Any) -> Any: ...


Extra = Callable[[Table, Any, Any], dict[str, Any]]  # (table, column, new value) -> more columns to set


def rewrite_tables(
    *, session: Session, rewriter: Rewriter, skip: Collection[str] = (), extra: Extra | None = None
) -> Counter[str]:
    """Rewrite every row of every table (but ``skip``) holding a pattern in a text or JSON column (compared
    case-insensitively): rows changed per ``table.column``."""
    counts: Counter[str] = Counter()
    patterns = rewriter.patterns()
    if not patterns:
        return counts
    for table in SQLModel.metadata.sorted_tables:
        columns = _text_columns(table)
        keys = list(table.primary_key.columns)
        if table.name in skip or not columns or not keys:
            continue
        for column in columns:
            haystack = func.lower(cast(column, Text))
            statement = select(*keys, column).where(or_(*[haystack.contains(p, autoescape=True) for p in patterns]))
            for row in session.execute(statement).all():
                *key_values, value = row
                clean = rewriter.json(value) if isinstance(column.type, JSON) else rewriter.text(value)
                if clean == value:
                    continue
                values = {column.name: clean, **(extra(table, column, clean) if extra else {})}
                where = [k == v for k, v in zip(keys, key_values, strict=True)]
                session.execute(update(table).where(*where).values(values))
                counts[f"{table.name}.{column.name}"] += 1
    return counts


def scrub_tables(*, session: Session, scrubber: Scrubber, skip: Collection[str]) -> Counter[str]:
    """Redact every row of every table (but ``skip``) holding a needle in a text or JSON column: rows per table."""
    counts: Counter[str] = Counter()
    for name, n in rewrite_tables(session=session, rewriter=scrubber, skip=skip).items():
        counts[name.partition(".")[0]] += n
    return counts
