"""The pseudonym vault: encrypted originals behind stable tokens; erasure destroys them."""

from __future__ import annotations

from collections.abc import Mapping

from groundswell.storage.db import utcnow
from groundswell.storage.models import PseudonymEntry
from sqlmodel import Session, col, select

__all__ = ["erase_pseudonyms", "get_ciphertexts", "store_pseudonyms"]


def store_pseudonyms(*, session: Session, entries: Mapping[str, bytes], known: set[str] | None = None) -> int:
    """Keep the encrypted original of each new token (``known`` skips tokens stored earlier in this run)."""
    added = 0
    for token, ciphertext in entries.items():
        if known is not None and token in known:
            continue
        if session.get(PseudonymEntry, token) is None:
            entity_type = token.strip("<>").rsplit("_", 1)[0]
            session.add(
                PseudonymEntry(token=token, entity_type=entity_type, ciphertext=ciphertext, created_at=utcnow())
            )
            added += 1
        if known is not None:
            known.add(token)
    return added


def get_ciphertexts(*, session: Session, tokens: list[str]) -> dict[str, bytes]:
    """Encrypted originals for an authorised viewer; erased tokens are absent."""
    statement = select(PseudonymEntry).where(
        col(PseudonymEntry.token).in_(tokens), col(PseudonymEntry.erased_at).is_(None)
    )
    return {row.token: row.ciphertext for row in session.exec(statement) if row.ciphertext is not None}


def erase_pseudonyms(*, session: Session, tokens: list[str]) -> int:
    """Destroy originals (deletion on request): the token stays, what it stood for is gone."""
    erased = 0
    for row in session.exec(select(PseudonymEntry).where(col(PseudonymEntry.token).in_(tokens))):
        row.ciphertext, row.erased_at = None, utcnow()
        session.add(row)
        erased += 1
    return erased
