"""Helpers for fakes of vendors without a machine-readable spec: documented request shapes, opaque cursors, times.

``check_shape(value, shape)`` checks a JSON body against a shape transcribed from the vendor's reference:
a dict of ``key -> type | nested shape | [item type or shape]``; keys ending in ``!`` are required. Unknown
keys, missing required keys and wrong types are problems (the fake logs them in ``errors`` and answers 400).
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

Shape = dict[str, Any]


def check_shape(value: Any, shape: Any, where: str = "body") -> list[str]:
    """Problems of ``value`` against ``shape`` (empty when it conforms)."""
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            return [f"{where}: expected an object, got {type(value).__name__}"]
        fields = {key.rstrip("!"): sub for key, sub in shape.items()}
        problems = [f"{where}.{k}: unknown field" for k in value if k not in fields]
        problems += [f"{where}.{k.rstrip('!')}: required" for k in shape if k.endswith("!") and k[:-1] not in value]
        for key, sub in fields.items():
            if key in value:
                problems += check_shape(value[key], sub, f"{where}.{key}")
        return problems
    if isinstance(shape, list):
        if not isinstance(value, list):
            return [f"{where}: expected an array, got {type(value).__name__}"]
        return [p for i, item in enumerate(value) for p in check_shape(item, shape[0], f"{where}[{i}]")]
    expected = shape if isinstance(shape, tuple) else (shape,)
    if bool not in expected and isinstance(value, bool):
        return [f"{where}: expected {_names(expected)}, got bool"]
    if not isinstance(value, expected):
        return [f"{where}: expected {_names(expected)}, got {type(value).__name__}"]
    return []


def _names(types: tuple[type, ...]) -> str:
    return "|".join(t.__name__ for t in types)


def offset_cursor(offset: int, tag: str = "o") -> str:
    """An opaque cursor for a position in a result list."""
    return base64.urlsafe_b64encode(f"{tag}{offset}".encode()).decode().rstrip("=")


def cursor_offset(cursor: str | None, tag: str = "o") -> int:
    """The position an ``offset_cursor`` stands for; ValueError for a cursor this fake never gave."""
    if not cursor:
        return 0
    text = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()).decode()
    if not text.startswith(tag):
        raise ValueError(f"not a cursor of this listing: {cursor!r}")
    return int(text[len(tag) :])


def iso(ts: float) -> str:
    """Epoch seconds as ISO 8601 UTC with a ``Z``."""
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> float:
    """ISO 8601 (``Z`` or an offset) as epoch seconds; ValueError otherwise."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
