from datetime import UTC, date, datetime

import pytest
from groundswell.connectors.files.salesforce import SalesforceExport, normalize_segment, rebuild_snapshots
from groundswell.core.errors import MalformedRecord
from groundswell.core.models import AccountDoc, PersonDoc
from groundswell.demo.tenant import DEMO_COMPANY_DOMAINS, DEMO_LINK_BASES

from tests.connectors.helpers import by_id, drain


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, tzinfo=UTC)


@pytest.fixture
def polled(fixture_copy):
    source = SalesforceExport(
        fixture_copy("salesforce"), company_domains=DEMO_COMPANY_DOMAINS, link_base=DEMO_LINK_BASES.get("salesforce")
    )
    records, failures, _ = drain(source.poll(None))
    return source, by_id(records), failures


def test_account_record_joins_its_history(polled):
    _, records, _ = polled
    record = records["001ACME"]
    assert (record.kind, record.url) == ("account", "https://brightloop.my.salesforce.com/001ACME")
    assert record.payload["account"]["Name"] == "Acme Corp"
    # sorted by date then Id; the rejected row (017H7) is not part of it
    assert [h["Id"] for h in record.payload["history"]] == ["017H1", "017H2", "017H6", "017H3", "017H4", "017H5"]
    assert (record.created_at, record.updated_at) == (at(1, 1), at(4, 1))


def test_worked_example_of_snapshot_rebuilding(polled):
    """Current: ARR 150000, Enterprise, health 40, At Risk. History (file order shuffled):
    02-01 ARR 100000->120000 and Segment Mid-Market->Enterprise; 03-01 Name (untracked);
    03-15 ARR 120000->150000; 04-01 Health 80->40 and Lifecycle Active->At Risk."""
    source, records, _ = polled
    doc = source.normalize(records["001ACME"])
    assert isinstance(doc, AccountDoc)
    assert (doc.name, doc.domains, doc.parent_external_id, doc.created_at) == (
        "Acme Corp",
        ["acme.com", "acme.io"],
        None,
        at(1, 1),
    )
    rows = [(s.as_of, s.arr, s.segment, s.health, s.lifecycle) for s in doc.snapshots]
    assert rows == [
        (at(1, 1), 100000.0, "mid-market", 80.0, "active"),  # every change undone
        (at(2, 1), 120000.0, "enterprise", 80.0, "active"),
        (at(3, 15), 150000.0, "enterprise", 80.0, "active"),
        (at(4, 1), 150000.0, "enterprise", 40.0, "at-risk"),  # = the current values
    ]
    assert {(s.plan, s.region, s.renewal_date) for s in doc.snapshots} == {("Enterprise", "NA", date(2026, 12, 31))}


def test_account_without_history_has_one_snapshot(polled):
    source, records, _ = polled
    doc = source.normalize(records["001INIT"])
    assert doc.parent_external_id == "001ACME"
    (only,) = doc.snapshots
    assert (only.as_of, only.arr, only.segment, only.lifecycle, only.renewal_date) == (
        at(2, 1),
        12000.0,
        "smb",
        "active",
        date(2026, 9, 30),
    )


def test_changes_at_creation_fold_into_the_first_snapshot():
    current = {"ARR__c": "20", "Plan__c": "Pro"}
    history = [
        {"Id": "h1", "Field": "ARR__c", "OldValue": "", "NewValue": "10", "CreatedDate": "2026-01-01T00:00:00Z"},
        {"Id": "h2", "Field": "ARR__c", "OldValue": "10", "NewValue": "20", "CreatedDate": "2026-02-01T00:00:00Z"},
    ]
    snapshots = rebuild_snapshots(current, at(1, 1), history)
    assert [(s.as_of, s.arr, s.plan) for s in snapshots] == [(at(1, 1), 10.0, "Pro"), (at(2, 1), 20.0, "Pro")]


def test_contacts_become_people(polled):
    source, records, _ = polled
    dana = source.normalize(records["003DANA"])
    assert isinstance(dana, PersonDoc)
    assert (dana.name, dana.emails, dana.phones, dana.account_external_id, dana.title) == (
        "Dana Reyes",
        ["dana@acme.com", "dana.reyes@gmail.com"],
        ["+1 555 0100"],
        "001ACME",
        "Ops lead",
    )
    mo = source.normalize(records["003MO"])
    assert (mo.name, mo.emails, mo.phones, mo.account_external_id, mo.title) == (
        "Mo",
        ["mo@initech.com"],  # the secondary differs only in case
        [],
        None,
        None,
    )
    assert records["003DANA"].kind == "contact"
    assert records["003DANA"].url == "https://brightloop.my.salesforce.com/003DANA"


def test_failures(polled):
    _, _, failures = polled
    assert [(f.external_id, f.reason) for f in failures] == [
        ("017H7", "AccountHistory.csv line 8: bad value in field 'ARR__c': 'abc'"),
        ("001BAD", "Account.csv line 4: bad value in field 'ARR__c': 'lots'"),
        (None, "Contact.csv line 4: required field 'Id' is empty"),
    ]


def test_changed_history_rereads_accounts_only(fixture_copy):
    folder = fixture_copy("salesforce")
    source = SalesforceExport(folder, company_domains=DEMO_COMPANY_DOMAINS, link_base=DEMO_LINK_BASES.get("salesforce"))
    _, _, checkpoint = drain(source.poll(None))
    with (folder / "AccountHistory.csv").open("a") as handle:
        handle.write("017H8,001INIT,Plan__c,Free,Starter,2026-05-01T00:00:00.000Z\n")
    records, _, _ = drain(source.poll(checkpoint))
    assert [r.external_id for r in records] == ["001ACME", "001INIT"]
    plans = [(s.as_of, s.plan) for s in source.normalize(records[1]).snapshots]
    assert plans == [(at(2, 1), "Free"), (at(5, 1), "Starter")]


@pytest.mark.parametrize(
    ("value", "segment"),
    [
        ("Enterprise", "enterprise"),
        ("Mid-Market", "mid-market"),
        ("mid market", "mid-market"),
        ("SMB", "smb"),
        ("", None),
        ("Strategic", "strategic"),
    ],
)
def test_normalize_segment(value, segment):
    assert normalize_segment(value) == segment


def test_unknown_kind_is_malformed(polled):
    source, records, _ = polled
    with pytest.raises(MalformedRecord, match="unknown record kind 'lead'"):
        source.normalize(records["003DANA"].model_copy(update={"kind": "lead"}))
