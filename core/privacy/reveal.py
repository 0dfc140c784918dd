"""Pseudonym tokens in redacted text, and putting originals back for a viewer allowed to see them.

``TOKEN`` recognises both schemes: current tokens carry 16 hex digits (64 bits), legacy ones 4 (16 bits, extended
on a collision inside one text); ``storage.rekey`` rewrites legacy tokens whose original the vault still holds.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from groundswell.core.privacy.redact import TOKEN_HEX

__all__ = ["TOKEN", "is_legacy", "reveal_text", "tokens_in"]

TOKEN = re.compile(r"<[A-Z][A-Z_]*_[0-9a-f]{4,64}>")
_PARTS = re.compile(r"<([A-Z][A-Z_]*)_([0-9a-f]{4,64})>")


def tokens_in(text: str) -> list[str]:
    return sorted(set(TOKEN.findall(text)))


def is_legacy(token: str) -> bool:
    """A token of the 16-bit scheme (fewer hex digits than current tokens carry)."""
    match = _PARTS.fullmatch(token)
    return match is not None and len(match.group(2)) < TOKEN_HEX


def reveal_text(text: str, originals: Mapping[str, str]) -> str:
    """Put originals back where they are known; erased or unknown tokens stay as they are."""
    return TOKEN.sub(lambda m: originals.get(m.group(0), m.group(0)), text)
