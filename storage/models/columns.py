"""Column helpers shared by every table module."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field

__all__ = ["_json", "_text"]


def _json(default: Any = None) -> Any:
    return Field(default_factory=(lambda: default() if callable(default) else default), sa_column=Column(JSON))


def _text() -> Any:
    return Field(default="", sa_column=Column(Text, nullable=False))
