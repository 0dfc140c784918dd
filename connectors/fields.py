"""Declared fields and schema drift, shared by file and API connectors.

A connector declares the fields it relies on as ``path -> type``: dotted paths, ``name[]`` for "in every
element of the list ``name``", and a type name (``str``, ``int``, ``float``, ``number``, ``bool``, ``list``,
``dict``, ``timestamp``, ``id`` = str or int; alternatives with ``|``; a trailing ``?`` allows null). A record
that lacks one, or carries it with another type, yields :class:`~core.models.FieldDrift` findings, each with
an example; a missing field with a similar-looking sibling of the right type is reported as ``renamed``.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from groundswell.core.models import FieldDrift

__all__ = ["FieldSpec", "walk"]


def walk(data: Any, parts: list[str]) -> Iterator[tuple[str, Any]]:
    """Yield (problem, value) pairs along a dotted path; ``name[]`` descends into every list element."""
    if not parts:
        yield "", data
        return
    head, rest = parts[0], parts[1:]
    each = head.endswith("[]")
    key = head[:-2] if each else head
    if not isinstance(data, dict) or key not in data:
        yield "missing", data
        return
    value = data[key]
    if not each:
        yield from walk(value, rest)
    elif not isinstance(value, list):
        yield f"is {type(value).__name__}, not a list", value
    else:
        for item in value:
            yield from walk(item, rest)


def _is_timestamp(value: Any) -> bool:
    from groundswell.connectors.files.text import parse_timestamp  # here: connectors.files imports this module

    if isinstance(value, bool):
        return False
    try:
        parse_timestamp(value)
    except (ValueError, OverflowError, OSError, TypeError):
        return False
    return True


_CHECKS = {
    "str": lambda v: isinstance(v, str),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "list": lambda v: isinstance(v, list),
    "dict": lambda v: isinstance(v, dict),
    "timestamp": _is_timestamp,
    "id": lambda v: isinstance(v, str | int) and not isinstance(v, bool) and str(v) != "",
}


def _type_ok(kind: str, value: Any) -> bool:
    nullable = kind.endswith("?")
    if value is None:
        return nullable
    return any(_CHECKS[name](value) for name in kind.rstrip("?").split("|"))


def _excerpt(value: Any, limit: int = 120) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class FieldSpec:
    """The fields a connector relies on, ``{"path": "type"}``; ``check`` says how a record drifted."""

    fields: Mapping[str, str]

    def __post_init__(self) -> None:
        for path, kind in self.fields.items():
            unknown = [n for n in kind.rstrip("?").split("|") if n not in _CHECKS]
            if unknown:
                raise ValueError(f"field spec {path!r}: unknown type {', '.join(unknown)} (known: {sorted(_CHECKS)})")

    def check(self, record: Any) -> list[FieldDrift]:
        """Every declared field the record lacks or carries with another type (one finding per path)."""
        findings: list[FieldDrift] = []
        for path, kind in self.fields.items():
            finding = self._check_path(record, path, kind)
            if finding is not None:
                findings.append(finding)
        return findings

    def _check_path(self, record: Any, path: str, kind: str) -> FieldDrift | None:
        leaf = path.split(".")[-1].removesuffix("[]")
        for problem, value in walk(record, path.split(".")):
            if problem == "missing":
                renamed = self._renamed(value, leaf, kind)
                if renamed:
                    return FieldDrift(
                        path=path, problem="renamed", expected=kind, found=renamed, example=_excerpt(value)
                    )
                return FieldDrift(path=path, problem="missing", expected=kind, example=_excerpt(value))
            if problem:
                return FieldDrift(
                    path=path, problem="retyped", expected="list", found=type(value).__name__, example=_excerpt(value)
                )
            if not _type_ok(kind, value):
                found = "null" if value is None else type(value).__name__
                return FieldDrift(path=path, problem="retyped", expected=kind, found=found, example=_excerpt(value))
        return None

    def _renamed(self, parent: Any, leaf: str, kind: str) -> str | None:
        """A sibling key that looks like ``leaf`` and holds the declared type: the field was likely renamed."""
        if not isinstance(parent, dict):
            return None
        declared = {p.split(".")[-1].removesuffix("[]") for p in self.fields}
        candidates = [k for k in parent if k not in declared and _type_ok(kind, parent[k])]
        close = difflib.get_close_matches(leaf, candidates, n=1, cutoff=0.6)
        return close[0] if close else None

    @staticmethod
    def reason(findings: list[FieldDrift]) -> str:
        """One line for the rejected record: ``schema drift: field 'x' missing; field 'y' retyped (int → str)``."""
        parts = []
        for f in findings:
            detail = {"missing": "missing", "renamed": f"missing (renamed to '{f.found}'?)"}.get(
                f.problem, f"retyped ({f.expected} → {f.found})"
            )
            parts.append(f"field '{f.path}' {detail}")
        return "schema drift: " + "; ".join(parts)
