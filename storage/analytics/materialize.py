"""Each distinct scope of one ``run_plan`` computed once, into a temporary table the tool's queries then read.

A tool asks several questions of the same scope (evidence ids per row, group aggregates, ARR of the latest
unit per account …). The scope itself is the expensive part: the snapshot valid at every unit's time, the
classification join, the permission and filter predicates. Without this cache each query computes it again
(three passes over 19k units of a 100k corpus cost ~1.5 s on SQLite). The temporary table lives on the
session's connection and is dropped when the plan has run; nothing outside the session sees it.
"""

from __future__ import annotations

import contextlib
import uuid

import sqlalchemy as sa
from sqlalchemy.sql.sqltypes import NullType
from sqlmodel import Session

__all__ = ["ScopeCache"]


class ScopeCache:
    """Materialised scopes of one session, keyed by their SQL and parameters."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._tables: dict[str, sa.Table] = {}

    def _key(self, statement: sa.Select) -> str:
        compiled = statement.compile(dialect=self._session.get_bind().dialect)
        return f"{compiled.string}\n{sorted((k, repr(v)) for k, v in compiled.params.items())}"

    def subquery(self, statement: sa.Select, name: str) -> sa.Subquery:
        """``statement``'s rows, read from a temporary table filled on first use."""
        key = self._key(statement)
        table = self._tables.get(key)
        if table is None:
            columns = [
                sa.Column(c.name, sa.String() if isinstance(c.type, NullType) else c.type)
                for c in statement.selected_columns
            ]
            table = sa.Table(f"gs_scope_{uuid.uuid4().hex[:12]}", sa.MetaData(), *columns, prefixes=["TEMPORARY"])
            connection = self._session.connection()
            table.create(connection)
            connection.execute(table.insert().from_select([c.name for c in columns], statement))
            self._tables[key] = table
        return sa.select(table).subquery(name)

    def drop(self) -> None:
        """Drop every table this cache made (best effort: a failed transaction drops them itself on PostgreSQL,
        and SQLite's temporary tables end with the connection)."""
        connection = self._session.connection()
        for table in self._tables.values():
            with contextlib.suppress(sa.exc.SQLAlchemyError):
                table.drop(connection)
        self._tables.clear()
