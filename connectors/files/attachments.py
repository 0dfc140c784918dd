"""Attachment metadata as the sources spell it, read into :class:`~core.models.Attachment` (never the bytes)."""

from __future__ import annotations

from typing import Any

from groundswell.core.models import Attachment

__all__ = ["read_attachments"]


def read_attachments(items: Any, *, name: str, content_type: str, url: str, size: str) -> list[Attachment]:
    """The attachments listed in ``items`` (a source's list of dicts), given the source's field names.

    Entries that are not objects, or carry neither a name nor a link, are skipped; a size that is not a
    whole number is dropped rather than failing the record (it is only shown next to the link).
    """
    if not isinstance(items, list):
        return []
    out: list[Attachment] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        label, link = _text(item.get(name)), _text(item.get(url))
        if label is None and link is None:
            continue
        raw_size = item.get(size)
        out.append(
            Attachment(
                name=label,
                content_type=_text(item.get(content_type)),
                url=link,
                size=raw_size if isinstance(raw_size, int) and not isinstance(raw_size, bool) else None,
            )
        )
    return out


def _text(value: Any) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None
