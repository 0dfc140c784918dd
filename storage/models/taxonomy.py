"""Taxonomy versions, themes, classifications, review labels, proposals and reprocessing state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from groundswell.storage.models.columns import _json, _text
from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

__all__ = [
    "Classification",
    "LabelQuality",
    "ReviewLabel",
    "TaxonomyReprocess",
    "TaxonomyVersion",
    "Theme",
    "ThemeProposal",
]


class TaxonomyVersion(SQLModel, table=True):
    __tablename__ = "taxonomy_version"

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(unique=True)
    parent_version: int | None = None
    note: str = ""
    migration: dict[str, Any] = _json(dict)  # old theme key -> new theme key(s)
    created_by: str = "system"
    created_at: datetime


class Theme(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("version", "key", name="uq_theme_version_key"),)

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(index=True)
    key: str  # stable id across versions, e.g. "auth.sso-login"
    parent_key: str | None = None
    name: str
    description: str = ""
    aliases: list[str] = _json(list)
    examples: list[str] = _json(list)
    owner_team: str | None = None
    status: str = "active"  # active | proposed | retired


class Classification(SQLModel, table=True):
    __table_args__ = (Index("ix_class_version_theme", "taxonomy_version", "theme_key"),)

    unit_id: str = Field(primary_key=True, foreign_key="feedback_unit.id")
    taxonomy_version: int = Field(primary_key=True)
    theme_key: str | None = None
    subtheme_key: str | None = None
    sentiment: str | None = None
    sentiment_score: float | None = None
    intent: str | None = None
    severity: str | None = None
    confidence: dict[str, float] = _json(dict)
    classifier: str = ""
    classifier_version: str = ""
    needs_review: bool = False
    mixed: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})  # praise and a complaint
    created_at: datetime


class ReviewLabel(SQLModel, table=True):
    """A human's label for one unit: a training example, and gold data for ``eval gold`` (theme None: other)."""

    __tablename__ = "review_label"
    __table_args__ = (Index("ix_review_label_set_version", "gold_set", "taxonomy_version"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: str = Field(foreign_key="feedback_unit.id", index=True)
    taxonomy_version: int
    theme_key: str | None = None  # a leaf theme, or None for "other"
    sentiment: str | None = None
    intent: str | None = None
    severity: str | None = None
    reviewer: str
    gold_set: str = "default"
    created_at: datetime


class LabelQuality(SQLModel, table=True):
    """How precise the classifier's label for one theme measured on a reviewed gold set (``eval gold``, held out).

    ``predicted``: reviewed units the classifier put in the theme; ``correct``: those a reviewer put there too.
    Each run of ``eval gold`` replaces its version's and gold set's rows."""

    __tablename__ = "label_quality"

    taxonomy_version: int = Field(primary_key=True)
    gold_set: str = Field(primary_key=True)
    theme_key: str = Field(primary_key=True)  # a leaf theme key
    predicted: int
    correct: int
    measured_at: datetime


class ThemeProposal(SQLModel, table=True):
    """A theme discovery (or a person) proposed, waiting in the review queue."""

    __tablename__ = "theme_proposal"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    description: str = _text()
    terms: list[str] = _json(list)  # distinctive terms, best first
    example_unit_ids: list[str] = _json(list)
    examples: list[str] = _json(list)  # the example units' (redacted) texts, for review
    size: int = 0
    suggested_parent: str | None = None
    taxonomy_version: int | None = None  # the version discovery ran against
    status: str = Field(default="pending", index=True)  # pending | accepted | rejected
    theme_key: str | None = None  # the key it became when accepted
    decided_by: str | None = None
    decided_at: datetime | None = None
    created_at: datetime


class TaxonomyReprocess(SQLModel, table=True):
    """Checkpoint of moving classifications from one taxonomy version to another, batch by batch."""

    __tablename__ = "taxonomy_reprocess"

    to_version: int = Field(primary_key=True)
    from_version: int
    after_unit_id: str | None = None  # last unit done; the next batch starts after it
    migrated: int = 0
    needs_review: int = 0
    done: bool = False
    updated_at: datetime
