"""Segment names as one canonical key, so "Enterprise", "enterprise" and "ENT" are the same segment.

CRM connectors store the key (:func:`segment_key`); filters, viewer scopes and evals compare through it, so a
segment typed by a user, configured for a viewer or written in a CRM's display case matches the stored one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["same_segment", "segment_key"]

_SYNONYMS = {"enterprise": "enterprise", "ent": "enterprise", "midmarket": "mid-market", "mm": "mid-market"}
_SMB = frozenset({"smb", "smallbusiness", "smallmediumbusiness"})


def segment_key(value: str) -> str | None:
    """``Enterprise`` / ``Mid-Market`` / ``SMB`` (any case, spacing) as ``enterprise`` / ``mid-market`` / ``smb``.

    Other names are kept, lower-cased and trimmed; an empty name is ``None``.
    """
    key = re.sub(r"[\s_\-]+", "", value.strip().lower())
    if not key:
        return None
    return _SYNONYMS.get(key, "smb" if key in _SMB else value.strip().lower())


def same_segment(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and segment_key(a) == segment_key(b)


def segment_in(segment: str | None, names: Iterable[str]) -> bool:
    """Is ``segment`` one of ``names`` (compared as keys)? A missing segment is in no set."""
    key = segment_key(segment) if segment is not None else None
    return key is not None and key in {segment_key(name) for name in names}
