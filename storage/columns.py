"""Column helpers shared by the table modules."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field

__all__ = ["json_field", "text_field"]


def json_field(default: Any = None) -> Any:
    """A JSON column; ``default`` may be a factory (list, dict) or a value."""
    return Field(default_factory=(lambda: default() if callable(default) else default), sa_column=Column(JSON))


def text_field() -> Any:
    """A non-null unbounded text column, empty by default."""
    return Field(default="", sa_column=Column(Text, nullable=False))
