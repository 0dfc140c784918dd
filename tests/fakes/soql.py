"""A small SOQL evaluator for the Salesforce fake: ``SELECT f, ... FROM Object [WHERE cond] [ORDER BY f, ...]``.

Conditions: comparisons (``= != > < >= <=``) of a field with a literal (``'text'``, ``true``/``false``/``null``,
numbers, dates, datetimes ``2026-01-05T10:00:00Z``), ``field IN (literal, ...)``, ``AND``/``OR`` and
parentheses. Anything else, or a field the object does not have, raises :class:`SoqlError` (the fake answers
400 ``MALFORMED_QUERY``/``INVALID_FIELD`` and logs it as an error of the connector).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

TOKEN = re.compile(r"\s*(?:(?P<str>'(?:\\.|[^'\\])*')|(?P<op>>=|<=|!=|=|>|<)|(?P<punc>[(),])|(?P<word>[\w.:+\-]+))")
DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$")
Row = Mapping[str, Any]
Predicate = Callable[[Row], bool]


class SoqlError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Query:
    fields: list[str]
    sobject: str
    where: Predicate
    order: list[str]


def _tokens(text: str) -> list[str]:
    tokens, pos = [], 0
    while pos < len(text.rstrip()):
        match = TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise SoqlError("MALFORMED_QUERY", f"unexpected character at {pos}: {text[pos : pos + 20]!r}")
        tokens.append(match.group(match.lastgroup or "word"))
        pos = match.end()
    return tokens


def sortable(value: Any) -> Any:
    """Field values compare as datetimes when they look like one."""
    if isinstance(value, str) and DATETIME.match(value):
        return datetime.fromisoformat(re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", value.replace("Z", "+00:00")))
    return value


def _literal(token: str) -> Any:
    if token.startswith("'"):
        return re.sub(r"\\(.)", r"\1", token[1:-1])
    low = token.lower()
    if low in ("true", "false"):
        return low == "true"
    if low == "null":
        return None
    if DATETIME.match(token):
        return sortable(token)
    if re.fullmatch(r"\d{4}-\d\d-\d\d", token):
        return token
    try:
        return float(token)
    except ValueError:
        raise SoqlError("MALFORMED_QUERY", f"unexpected token {token!r}") from None


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    ">": lambda a, b: a is not None and b is not None and a > b,
    "<": lambda a, b: a is not None and b is not None and a < b,
    ">=": lambda a, b: a is not None and b is not None and a >= b,
    "<=": lambda a, b: a is not None and b is not None and a <= b,
}


class _Parser:
    def __init__(self, tokens: list[str], columns: set[str]) -> None:
        self.tokens, self.pos, self.columns = tokens, 0, columns

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token.upper() != expected):
            raise SoqlError("MALFORMED_QUERY", f"expected {expected or 'a token'}, got {token!r}")
        self.pos += 1
        return token

    def field(self) -> str:
        name = self.take()
        if name not in self.columns:
            raise SoqlError("INVALID_FIELD", f"No such column '{name}'")
        return name

    def condition(self) -> Predicate:
        parts = [self.conjunction()]
        while (self.peek() or "").upper() == "OR":
            self.take()
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else lambda row: any(p(row) for p in parts)

    def conjunction(self) -> Predicate:
        parts = [self.factor()]
        while (self.peek() or "").upper() == "AND":
            self.take()
            parts.append(self.factor())
        return parts[0] if len(parts) == 1 else lambda row: all(p(row) for p in parts)

    def factor(self) -> Predicate:
        if self.peek() == "(":
            self.take()
            inner = self.condition()
            self.take(")")
            return inner
        name = self.field()
        if (self.peek() or "").upper() == "IN":
            self.take()
            self.take("(")
            values = [_literal(self.take())]
            while self.peek() == ",":
                self.take()
                values.append(_literal(self.take()))
            self.take(")")
            return lambda row: sortable(row.get(name)) in values
        op = self.take()
        if op not in _OPS:
            raise SoqlError("MALFORMED_QUERY", f"unexpected operator {op!r}")
        value = _literal(self.take())
        return lambda row: _OPS[op](sortable(row.get(name)), value)


def parse(text: str, schemas: Mapping[str, set[str]]) -> Query:
    tokens = _tokens(text)
    upper = [t.upper() for t in tokens]
    if not upper or upper[0] != "SELECT" or "FROM" not in upper:
        raise SoqlError("MALFORMED_QUERY", "expected SELECT ... FROM ...")
    cut = upper.index("FROM")
    sobject = tokens[cut + 1] if cut + 1 < len(tokens) else ""
    if sobject not in schemas:
        raise SoqlError("INVALID_TYPE", f"sObject type '{sobject}' is not supported")
    parser = _Parser(tokens[cut + 2 :], schemas[sobject])
    fields = [f for f in tokens[1:cut] if f != ","]
    for name in fields:
        if name not in schemas[sobject]:
            raise SoqlError("INVALID_FIELD", f"No such column '{name}' on entity '{sobject}'")
    where: Predicate = lambda row: True  # noqa: E731
    order: list[str] = []
    if (parser.peek() or "").upper() == "WHERE":
        parser.take()
        where = parser.condition()
    if (parser.peek() or "").upper() == "ORDER":
        parser.take()
        parser.take("BY")
        order.append(parser.field())
        while parser.peek() == ",":
            parser.take()
            order.append(parser.field())
    if parser.peek() is not None:
        raise SoqlError("MALFORMED_QUERY", f"unexpected token {parser.peek()!r}")
    return Query(fields, sobject, where, order)
