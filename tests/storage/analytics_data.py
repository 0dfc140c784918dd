"""A small hand-made dataset whose every figure can be worked out on paper (used by the analytics tests).

Taxonomy v1: auth (Identity team) > auth.sso, auth.mfa; billing (Finance) > billing.invoice.
Taxonomy v2: the same tree; units u01 and u02 are re-classified as billing.invoice there.
Accounts (CRM id: facts from valid_from):
  A1 Acme:    Enterprise 100 from day 0; Enterprise 150 from day 10; renewal 2026-06-20
  A2 Bolt:    SMB 10 from day 0; Mid-Market 20 from day 5;          renewal 2026-09-01
  A3 Cyan:    Enterprise 300 from day 2 (u07 on day 1 predates it: the earliest snapshot applies)
  A4 Dune:    SMB 5 from day 0
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from groundswell.storage.db import session_scope
from groundswell.storage.models import (
    Account,
    AccountSnapshot,
    Classification,
    FeedbackUnit,
    Person,
    RawRecordRow,
    Source,
    SyncState,
    TaxonomyVersion,
    Theme,
)
from sqlalchemy import Engine

T0 = datetime(2026, 5, 1, tzinfo=UTC)
AS_OF = T0 + timedelta(days=31)

ACCOUNTS = {
    "A1": ("Acme", [(0, "Enterprise", 100.0, "Business"), (10, "Enterprise", 150.0, "Enterprise")], date(2026, 6, 20)),
    "A2": ("Bolt", [(0, "SMB", 10.0, "Starter"), (5, "Mid-Market", 20.0, "Business")], date(2026, 9, 1)),
    "A3": ("Cyan", [(2, "Enterprise", 300.0, "Enterprise")], date(2026, 6, 5)),
    "A4": ("Dune", [(0, "SMB", 5.0, "Starter")], None),
}
# id, source, day, account, leaf theme (v1), sentiment, severity, flags (dup / deleted / agent / person)
UNITS = [
    ("u01", "zendesk", 1, "A1", "auth.sso", "negative", "high", ""),
    ("u02", "zendesk", 3, "A2", "auth.sso", "negative", "critical", ""),
    ("u03", "intercom", 6, "A2", "auth.mfa", "neutral", "low", ""),
    ("u04", "intercom", 12, "A1", "auth.sso", "negative", "medium", ""),
    ("u05", "gong", 15, "A3", "billing.invoice", "positive", "low", ""),
    ("u06", "gong", 20, "A4", "auth.sso", "negative", "high", ""),
    ("u07", "zendesk", 1, "A3", "auth.sso", "neutral", "medium", ""),
    ("u08", "zendesk", 22, None, "auth.mfa", "negative", "low", "person"),
    ("u09", "zendesk", 23, "A1", "auth.sso", "negative", "high", "dup:u04"),
    ("u10", "zendesk", 24, "A2", "auth.sso", "negative", "high", "deleted"),
    ("u11", "zendesk", 25, "A2", "auth.sso", "negative", "high", "agent"),
    ("u12", "intercom", 30, "A4", "billing.invoice", "negative", "critical", ""),
]
PARENT = {"auth.sso": "auth", "auth.mfa": "auth", "billing.invoice": "billing"}
V2_CHANGES = {"u01": "billing.invoice", "u02": "billing.invoice"}


def at(day: float) -> datetime:
    return T0 + timedelta(days=day)


def _themes(version: int) -> list[Theme]:
    return [
        Theme(version=version, key="auth", name="Authentication", owner_team="Identity team"),
        Theme(version=version, key="auth.sso", parent_key="auth", name="SSO login", aliases=["single sign-on"]),
        Theme(version=version, key="auth.mfa", parent_key="auth", name="MFA"),
        Theme(version=version, key="billing", name="Billing", owner_team="Finance"),
        Theme(version=version, key="billing.invoice", parent_key="billing", name="Invoices"),
    ]


def seed(engine: Engine) -> dict[str, int]:
    """Write the dataset; returns account CRM id -> database id."""
    with session_scope(engine) as session:
        for name in ("zendesk", "intercom", "gong"):
            session.add(Source(name=name, created_at=T0, expected_cadence_s=86_400))
        session.flush()
        session.add(SyncState(source="zendesk", last_success_at=AS_OF - timedelta(hours=2)))
        session.add(SyncState(source="intercom", last_success_at=AS_OF - timedelta(days=3)))
        for version in (1, 2):
            session.add(TaxonomyVersion(version=version, created_at=T0))
            session.add_all(_themes(version))
        ids = {}
        for ext, (name, facts, renewal) in ACCOUNTS.items():
            account = Account(external_id=ext, name=name, created_at=T0)
            session.add(account)
            session.flush()
            ids[ext] = account.id
            for day, segment, arr, plan in facts:
                session.add(
                    AccountSnapshot(
                        account_id=account.id,
                        valid_from=at(day),
                        segment=segment,
                        arr=arr,
                        plan=plan,
                        renewal_date=renewal,
                    )
                )
        person = Person(display_name="anon", created_at=T0)
        session.add(person)
        raw = RawRecordRow(source="zendesk", external_id="r", kind="t", content_hash="x", fetched_at=T0)
        session.add(raw)
        session.flush()
        for uid, source, day, acct, leaf, _sentiment, _severity, flags in UNITS:
            session.add(
                FeedbackUnit(
                    id=uid, raw_record_id=raw.id, source=source, external_id=uid, message_id=uid,
                    text=f"{leaf} feedback {uid}", text_hash=uid, thread_ref=uid, created_at=at(day),
                    url=f"https://x.test/{uid}", account_id=ids[acct] if acct else None,
                    person_id=person.id if flags == "person" else None,
                    duplicate_of=flags[4:] if flags.startswith("dup:") else None,
                    deleted_at=AS_OF if flags == "deleted" else None,
                    speaker_role="agent" if flags == "agent" else "customer",
                )
            )  # fmt: skip
        session.flush()
        for uid, _source, _day, _acct, leaf, sentiment, severity, _flags in UNITS:
            for version in (1, 2):
                key = V2_CHANGES.get(uid, leaf) if version == 2 else leaf
                session.add(
                    Classification(
                        unit_id=uid, taxonomy_version=version, theme_key=PARENT[key], subtheme_key=key,
                        sentiment=sentiment, intent="bug_report", severity=severity, created_at=T0,
                    )
                )  # fmt: skip
    return ids
