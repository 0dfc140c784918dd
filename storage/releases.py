"""The company's releases: name -> when it shipped (UTC), for planner windows like "after 4.12 shipped"."""

from __future__ import annotations

from datetime import datetime

from groundswell.core.errors import StorageError
from groundswell.storage.db import as_utc
from groundswell.storage.models import Release
from sqlmodel import Session, select

__all__ = ["add_release", "list_releases", "release_rows"]


def add_release(*, session: Session, name: str, shipped_at: datetime, notes: str = "") -> Release:
    """Record a release (again: its date and notes are updated)."""
    name = name.strip()
    if not name:
        raise StorageError("a release needs a name")
    row = session.get(Release, name)
    if row is None:
        row = Release(name=name, shipped_at=as_utc(shipped_at), notes=notes)
    else:
        row.shipped_at, row.notes = as_utc(shipped_at), notes or row.notes  # type: ignore[assignment]
    session.add(row)
    session.flush()
    return row


def release_rows(*, session: Session) -> list[Release]:
    """All releases, oldest first."""
    return list(session.exec(select(Release).order_by(Release.shipped_at, Release.name)))  # type: ignore[arg-type]


def list_releases(*, session: Session) -> dict[str, datetime]:
    """Release name -> shipped at (aware UTC), oldest first."""
    return {row.name: as_utc(row.shipped_at) for row in release_rows(session=session)}  # type: ignore[misc]
