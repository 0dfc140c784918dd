"""Seed classified units (with accounts, dated snapshots and a small taxonomy) for signal, ticket and spike tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from groundswell.core.models import RawRecord
from groundswell.core.taxonomy import Taxonomy, ThemeDef
from groundswell.storage.db import session_scope, utcnow
from groundswell.storage.models import Account, AccountSnapshot, Classification, FeedbackUnit
from groundswell.storage.raw import ensure_source, store_raw_record
from groundswell.storage.taxonomy import latest_version, save_taxonomy
from sqlalchemy import Engine
from sqlmodel import Session, select

THEMES = (
    ThemeDef("export", "Data export", description="Getting data out", owner_team="data"),
    ThemeDef("export.csv", "CSV export timeouts", "export", "CSV exports time out"),
    ThemeDef("auth", "Authentication", description="Signing in", owner_team="identity"),
    ThemeDef("auth.sso", "SSO login failures", "auth", "single sign-on loops"),
)


@dataclass(frozen=True)
class Row:
    uid: str
    at: datetime
    theme: str  # leaf key
    account: str | None = None  # external id; created with one snapshot
    segment: str | None = None
    arr: float | None = None
    source: str = "zendesk"
    duplicate_of: str | None = None


def _account(session: Session, external_id: str, segment: str | None, arr: float | None, at: datetime) -> int:
    account = session.exec(select(Account).where(Account.external_id == external_id)).first()
    if account is None:
        account = Account(external_id=external_id, name=f"Account {external_id}", created_at=at)
        session.add(account)
        session.flush()
        session.add(
            AccountSnapshot(
                account_id=account.id, valid_from=datetime(2020, 1, 1, tzinfo=at.tzinfo), segment=segment, arr=arr
            )
        )
    return account.id  # type: ignore[return-value]


def seed(engine: Engine, rows: list[Row]) -> None:
    """Store the taxonomy (once) and ``rows`` as classified units of its latest version."""
    with session_scope(engine) as session:
        if latest_version(session=session) is None:
            save_taxonomy(session=session, taxonomy=Taxonomy(1, THEMES))
        version = latest_version(session=session)
        for row in rows:
            ensure_source(session=session, name=row.source)
            raw = store_raw_record(
                session=session, record=RawRecord(source=row.source, external_id=row.uid, kind="ticket", payload={})
            ).row
            account_id = _account(session, row.account, row.segment, row.arr, row.at) if row.account else None
            session.add(
                FeedbackUnit(
                    id=row.uid,
                    raw_record_id=raw.id,
                    source=row.source,
                    external_id=row.uid,
                    message_id=row.uid,
                    text=f"customer says {row.theme} is broken ({row.uid})",
                    text_hash=row.uid,
                    thread_ref=f"{row.source}:{row.uid}",
                    created_at=row.at,
                    url=f"https://support.example/{row.uid}",
                    account_id=account_id,
                    duplicate_of=row.duplicate_of,
                )
            )
            session.flush()
            session.add(
                Classification(
                    unit_id=row.uid,
                    taxonomy_version=version,
                    theme_key=row.theme.split(".")[0],
                    subtheme_key=row.theme if "." in row.theme else None,
                    created_at=utcnow(),
                )
            )
