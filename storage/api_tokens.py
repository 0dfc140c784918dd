"""API token rows: create (the hash only), list, revoke, and look one up by the hash of a presented secret."""

from __future__ import annotations

from datetime import datetime

from groundswell.core.errors import StorageError
from groundswell.storage.db import utcnow
from groundswell.storage.models import ApiToken
from sqlmodel import Session, col, select

__all__ = ["ApiToken", "find_token", "insert_token", "list_tokens", "revoke_token", "touch_token"]


def insert_token(
    *, session: Session, viewer: str, prefix: str, secret_hash: str, expires_at: datetime | None, label: str = ""
) -> ApiToken:
    row = ApiToken(viewer=viewer, prefix=prefix, secret_hash=secret_hash, label=label, created_at=utcnow(),
                   expires_at=expires_at)  # fmt: skip
    session.add(row)
    session.flush()
    return row


def list_tokens(*, session: Session) -> list[ApiToken]:
    return list(session.exec(select(ApiToken).order_by(col(ApiToken.id))))


def find_token(*, session: Session, secret_hash: str) -> ApiToken | None:
    return session.exec(select(ApiToken).where(ApiToken.secret_hash == secret_hash)).first()


def revoke_token(*, session: Session, token_id: int) -> ApiToken:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise StorageError(f"no API token #{token_id}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
    return row


def touch_token(*, session: Session, token_id: int, at: datetime) -> None:
    row = session.get(ApiToken, token_id)
    if row is not None:
        row.last_used_at = at
        session.add(row)
