from datetime import UTC, datetime

import pytest
from groundswell.connectors.files.gong import GongExport, salesforce_account
from groundswell.core.models import Channel, SpeakerRole
from groundswell.demo.tenant import DEMO_COMPANY_DOMAINS, DEMO_LINK_BASES

from tests.connectors.helpers import by_id, drain, message


@pytest.fixture
def polled(fixture_copy):
    source = GongExport(
        fixture_copy("gong"), company_domains=DEMO_COMPANY_DOMAINS, link_base=DEMO_LINK_BASES.get("gong")
    )
    records, failures, _ = drain(source.poll(None))
    return source, by_id(records), failures


def test_one_message_per_monologue_with_roles(polled):
    source, records, _ = polled
    record = records["7001"]
    assert (record.kind, record.url) == ("call", "https://app.gong.io/call?id=7001")
    doc = source.normalize(record)
    assert doc.channel is Channel.CALL
    assert (doc.title, doc.locale, doc.account_ref) == ("Acme renewal", "en", "001ACME")
    assert doc.url == "https://app.gong.io/call?id=7001"
    assert [(m.external_id, m.author.role) for m in doc.messages] == [
        ("7001:0", SpeakerRole.REP),  # Internal
        ("7001:1", SpeakerRole.CUSTOMER),  # External
        ("7001:2", SpeakerRole.REP),  # Unknown, company email
        ("7001:3", SpeakerRole.CUSTOMER),  # Unknown, other email
        ("7001:4", SpeakerRole.UNKNOWN),  # Unknown, no email
        ("7001:5", SpeakerRole.REP),  # External but on the company domain: never a customer
        ("7001:7", SpeakerRole.UNKNOWN),  # speaker not among the parties; 7001:6 had no words
    ]
    turn = message(doc, "7001:1")
    assert turn.text == "Honestly the exports keep failing. We might not renew."
    assert turn.created_at == datetime(2026, 6, 1, 15, 0, 5, tzinfo=UTC)
    assert (turn.author.name, turn.author.email, turn.author.external_id) == ("Dana Reyes", "dana@acme.com", "pa-2")
    assert turn.author.organization == "001ACME"
    assert message(doc, "7001:7").author.external_id == "s-99"


def test_internal_party_account_is_not_the_calls_account(polled):
    source, records, _ = polled
    doc = source.normalize(records["7003"])
    assert (doc.account_ref, doc.locale) == (None, "fr")


def test_missing_start_is_schema_drift(polled):
    _, _, failures = polled
    assert [f.reason for f in failures] == ["schema drift: calls.jsonl line 2: field 'metaData.started' missing"]


def test_salesforce_account():
    party = {"context": [{"system": "HubSpot", "objects": [{"objectType": "Account", "objectId": "h1"}]}]}
    assert salesforce_account(party) is None
    party["context"].append({"system": "Salesforce", "objects": [{"objectType": "Account", "objectId": "001X"}]})
    assert salesforce_account(party) == "001X"
    assert salesforce_account({}) is None
