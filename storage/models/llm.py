"""Tables of the language-model layer: the label cache and the usage ledger.

Kept beside ``storage/models.py`` (at its 400-line limit) and registered with the same SQLModel metadata; the
Alembic environment imports both modules.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

__all__ = ["LlmLabelCache", "LlmUsage"]


class LlmLabelCache(SQLModel, table=True):
    """Labels a model gave one unit text; the key hashes model, prompt version, taxonomy version and text."""

    __tablename__ = "llm_label_cache"

    key: str = Field(primary_key=True)  # sha256 hex
    model: str
    prompt_version: str
    taxonomy_version: int
    labels: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    created_at: datetime


class LlmUsage(SQLModel, table=True):
    """One call to a language model (or one batch served from cache): tokens, cost, time, error."""

    __tablename__ = "llm_usage"
    __table_args__ = (Index("ix_llm_usage_at_purpose", "at", "purpose"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    purpose: str  # classify | plan | compose | …
    model: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    cached: bool = False
    items: int = 1
    seconds: float = 0.0
    error: str | None = None
