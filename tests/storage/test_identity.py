from datetime import UTC, date, datetime

from groundswell.core.models import AccountDoc, AccountFacts, Author, PersonDoc, SpeakerRole
from groundswell.storage.db import session_scope
from groundswell.storage.identity import (
    IdentityCache,
    account_for_domain,
    facts_at,
    list_account_facts,
    resolve_author,
    upsert_account,
    upsert_person,
)
from groundswell.storage.models import Account, Person

T0 = datetime(2026, 1, 1, tzinfo=UTC)
T1 = datetime(2026, 4, 1, tzinfo=UTC)


def _acme(name: str = "Acme") -> AccountDoc:
    return AccountDoc(
        source="salesforce",
        external_id="001A",
        name=name,
        domains=["acme.com", "ACME.io "],
        parent_external_id="001P",
        created_at=T0,
        snapshots=[
            AccountFacts(as_of=T0, arr=50_000, segment="mid-market", renewal_date=date(2026, 12, 1)),
            AccountFacts(as_of=T1, arr=250_000, segment="enterprise", renewal_date=date(2026, 12, 1)),
        ],
    )


def test_account_upsert_is_idempotent_and_keeps_dated_facts(engine):
    for _ in range(2):
        with session_scope(engine) as session:
            upsert_account(session=session, doc=_acme())
    with session_scope(engine) as session:
        acme = session.exec(Account.__table__.select().where(Account.external_id == "001A")).one()
        assert facts_at(session=session, account_id=acme.id, moment=datetime(2026, 2, 1, tzinfo=UTC)).arr == 50_000
        assert (
            facts_at(session=session, account_id=acme.id, moment=datetime(2026, 5, 1, tzinfo=UTC)).segment
            == "enterprise"
        )
        # before the first snapshot: the earliest known facts, not nothing
        assert facts_at(session=session, account_id=acme.id, moment=datetime(2025, 5, 1, tzinfo=UTC)).arr == 50_000
        assert account_for_domain(session=session, domain="acme.io") == acme.id
        assert acme.parent_id is not None
        assert len(list_account_facts(session=session)[acme.id]) == 2


def test_people_resolve_by_normalised_email_and_link_account_by_domain(engine):
    with session_scope(engine) as session:
        upsert_account(session=session, doc=_acme())
        cache = IdentityCache()
        a = resolve_author(
            session=session, author=Author(email="Ana+sso@ACME.com", name="Ana"), source="zendesk", cache=cache
        )
        b = resolve_author(
            session=session, author=Author(email="ana@acme.com"), source="intercom", cache=IdentityCache()
        )
        c = resolve_author(session=session, author=Author(email="ana@gmail.com"), source="discourse", cache=cache)
        anonymous = resolve_author(session=session, author=Author(role=SpeakerRole.CUSTOMER), source="googleplay")
        assert a == b != c
        assert anonymous is None
        assert session.get(Person, a).account_id is not None
        assert session.get(Person, c).account_id is None  # free mail never maps to an account


def test_crm_contact_gathers_all_its_emails(engine):
    with session_scope(engine) as session:
        upsert_account(session=session, doc=_acme())
        pid = upsert_person(
            session=session,
            doc=PersonDoc(
                source="salesforce",
                external_id="003X",
                name="Bo",
                emails=["bo@acme.com", "bo.personal@gmail.com"],
                account_external_id="001A",
            ),
        )
        assert resolve_author(session=session, author=Author(email="bo.personal@gmail.com"), source="discourse") == pid
        assert resolve_author(session=session, author=Author(email="BO@acme.com"), source="zendesk") == pid


def test_a_shared_phone_never_links_two_people_by_itself(engine):
    with session_scope(engine) as session:
        a = resolve_author(
            session=session, author=Author(email="ana@acme.com", phone="+1 312 555 0122"), source="zendesk"
        )
        b = resolve_author(
            session=session, author=Author(email="bo@acme.com", phone="+1 312 555 0122"), source="zendesk"
        )
        c = resolve_author(session=session, author=Author(phone="+1 312 555 0122", name="Caller"), source="gong")
        again = resolve_author(session=session, author=Author(phone="+1-312-555-0122"), source="gong")
        assert len({a, b}) == 2  # two people with emails stay two people
        assert c == again == a  # a caller known only by the number is whoever holds the number
