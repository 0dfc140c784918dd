"""Re-key 16-bit pseudonyms to the 64-bit scheme in every store that holds them, so reveal and forget keep working.

Each vault row of the legacy scheme (``scheme = 1``) with an original left is decrypted, its 64-bit token computed
under the same key (the old token is a prefix of it: a check that the key is right), the row moved to the new token,
and every text and JSON column of every table (unit texts and contexts, raw redactions, classifications, Slack
answers, tickets and drafts, merge evidence, audit details, ...) rewritten old → new; unit text hashes follow.
Erased rows keep their token (nothing left to re-key from). One transaction: a second run finds nothing to do.

Tokens that collided under the 16-bit scheme stood for one vault original: they all move to that original's token.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from groundswell.core.privacy.redact import TOKEN_HEX, Vault, VaultError, entity_type_of, pseudonym_digest, short_type
from groundswell.core.privacy.reveal import reveal_text
from groundswell.storage.db import MIGRATION_LOCK, session_scope
from groundswell.storage.models import PSEUDONYM_SCHEME, FeedbackUnit, PseudonymEntry
from groundswell.storage.scrub import rewrite_tables
from groundswell.storage.units import text_hash
from sqlalchemy import Engine, Table, update
from sqlalchemy import text as sql
from sqlmodel import Session, col
from sqlmodel import select as model_select

__all__ = ["RekeyOutcome", "needs_rekey", "rekey_if_needed", "rekey_pseudonyms", "rekey_text", "rekey_value"]

_VAULT = PseudonymEntry.__tablename__
log = logging.getLogger(__name__)


@dataclass
class RekeyOutcome:
    mapping: dict[str, str] = field(default_factory=dict)  # old token -> new token
    erased: int = 0  # legacy rows without an original: kept as they are
    unreadable: list[str] = field(default_factory=list)  # originals the key cannot decrypt, or not matching it
    rows: Counter[str] = field(default_factory=Counter)  # rows rewritten per table

    def as_dict(self) -> dict[str, Any]:
        return {
            "rekeyed": len(self.mapping),
            "erased_kept": self.erased,
            "unreadable": len(self.unreadable),
            "rows": dict(sorted(self.rows.items())),
        }


def rekey_text(text: str, mapping: Mapping[str, str]) -> str:
    return reveal_text(text, mapping) if mapping else text


def rekey_value(value: Any, mapping: Mapping[str, str]) -> Any:
    """A JSON value with tokens rewritten in every string, dict keys included."""
    if isinstance(value, str):
        return rekey_text(value, mapping)
    if isinstance(value, list):
        return [rekey_value(item, mapping) for item in value]
    if isinstance(value, dict):
        return {rekey_text(str(k), mapping): rekey_value(v, mapping) for k, v in value.items()}
    return value


def needs_rekey(session: Session) -> bool:
    """Whether legacy vault rows with an original remain (one ``LIMIT 1`` probe)."""
    statement = model_select(PseudonymEntry.token).where(
        PseudonymEntry.scheme < PSEUDONYM_SCHEME, col(PseudonymEntry.ciphertext).is_not(None)
    )
    return session.exec(statement.limit(1)).first() is not None


def _new_token(entry: PseudonymEntry, key: bytes, vault: Vault) -> str | None:
    """The 64-bit token of ``entry``'s original, or None when the key does not match what it was written with."""
    try:
        original = vault.decrypt(entry.ciphertext or b"")
    except VaultError:
        return None
    label, _, old_hex = entry.token.strip("<>").rpartition("_")
    digest = pseudonym_digest(key, entity_type_of(label), original)
    if not digest.startswith(old_hex):
        return None
    return f"<{short_type(entity_type_of(label))}_{digest[:TOKEN_HEX]}>"


def _move_vault(session: Session, key: bytes, vault: Vault, outcome: RekeyOutcome) -> None:
    legacy = session.exec(model_select(PseudonymEntry).where(PseudonymEntry.scheme < PSEUDONYM_SCHEME)).all()
    for entry in legacy:
        if entry.ciphertext is None:
            entry.scheme = PSEUDONYM_SCHEME  # erased: no original to re-key from, the token stays
            session.add(entry)
            outcome.erased += 1
            continue
        new = _new_token(entry, key, vault)
        if new is None:
            outcome.unreadable.append(entry.token)
            continue
        outcome.mapping[entry.token] = new
        existing = session.get(PseudonymEntry, new)
        if existing is not None:  # written by an ingest under the new scheme already: keep one row
            if existing.person_id is None and entry.person_id is not None:
                existing.person_id = entry.person_id
                session.add(existing)
            session.delete(entry)
        else:
            session.execute(
                update(PseudonymEntry)
                .where(col(PseudonymEntry.token) == entry.token)
                .values(token=new, scheme=PSEUDONYM_SCHEME)
            )
    session.flush()
    session.expire_all()


class _Tokens:
    """The re-key as a ``storage.scrub`` rewrite: look for the legacy tokens' ``<LABEL_`` prefixes."""

    def __init__(self, mapping: Mapping[str, str]) -> None:
        self.mapping = mapping

    def patterns(self) -> list[str]:
        return sorted({f"<{old.strip('<>').rpartition('_')[0]}_".lower() for old in self.mapping})

    def text(self, value: str) -> str:
        return rekey_text(value, self.mapping)

    def json(self, value: Any) -> Any:
        return rekey_value(value, self.mapping)


def _text_hash(table: Table, column: Any, value: Any) -> dict[str, Any]:
    """A unit's text hash follows its rewritten text (so the unit is not taken for changed and re-embedded)."""
    if table.name == FeedbackUnit.__tablename__ and column.name == "text":
        return {"text_hash": text_hash(value)}
    return {}


def rekey_pseudonyms(*, session: Session, key: bytes) -> RekeyOutcome:
    """Move legacy vault rows to 64-bit tokens and rewrite every copy of those tokens; see the module docstring."""
    outcome = RekeyOutcome()
    _move_vault(session, key, Vault(key), outcome)
    if outcome.mapping:
        rewritten = rewrite_tables(session=session, rewriter=_Tokens(outcome.mapping), skip={_VAULT}, extra=_text_hash)
        outcome.rows.update(rewritten)
    return outcome


def rekey_if_needed(engine: Engine, key: Callable[[], bytes]) -> RekeyOutcome | None:
    """What the migration path runs after Alembic: a re-key when legacy rows remain, else nothing (None).
    ``key`` is called only then (reading or creating the key file is not needed otherwise)."""
    with session_scope(engine) as session:
        if not needs_rekey(session):
            return None
        if engine.dialect.name == "postgresql":  # processes starting together re-key one after the other
            session.execute(sql("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            if not needs_rekey(session):
                return None
        outcome = rekey_pseudonyms(session=session, key=key())
    log.info("pseudonyms re-keyed to 64 bits: %s", outcome.as_dict())
    if outcome.unreadable:
        log.warning("%d legacy pseudonyms not re-keyed: the PII key does not open them", len(outcome.unreadable))
    return outcome
