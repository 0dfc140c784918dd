"""Pseudonym tokens in redacted text, and putting originals back for a viewer allowed to see them."""

from __future__ import annotations

import re

__all__ = ["TOKEN", "reveal_text", "tokens_in"]

TOKEN = re.compile(r"<[A-Z][A-Z_]*_[0-9a-f]{4,64}>")


def tokens_in(text: str) -> list[str]:
    return sorted(set(TOKEN.findall(text)))


def reveal_text(text: str, originals: dict[str, str]) -> str:
    """Put originals back where they are known; erased or unknown tokens stay as they are."""
    return TOKEN.sub(lambda m: originals.get(m.group(0), m.group(0)), text)
