from datetime import UTC, datetime

import pytest
from groundswell.connectors.files.intercom import IntercomExport
from groundswell.core.errors import MalformedRecord
from groundswell.core.models import Channel, SpeakerRole
from groundswell.demo.tenant import DEMO_COMPANY_DOMAINS, DEMO_LINK_BASES

from tests.connectors.helpers import by_id, drain, message


@pytest.fixture
def polled(fixture_copy):
    source = IntercomExport(
        fixture_copy("intercom"), company_domains=DEMO_COMPANY_DOMAINS, link_base=DEMO_LINK_BASES.get("intercom")
    )
    records, failures, _ = drain(source.poll(None))
    return source, by_id(records), failures


def test_record_fields(polled):
    _, records, _ = polled
    record = records["1001"]
    assert record.kind == "conversation"
    assert record.url == "https://app.intercom.com/a/inbox/brightloop/inbox/conversation/1001"
    assert record.created_at == datetime(2026, 6, 1, 10, tzinfo=UTC)  # unix seconds
    assert record.updated_at == datetime(2026, 6, 1, 11, tzinfo=UTC)
    assert record.payload["conversation_parts"]["total_count"] == 7  # verbatim


def test_failures(polled):
    _, _, failures = polled
    assert failures[0].reason.startswith("conversations.jsonl line 2: malformed JSON")
    assert failures[0].raw == "not json at all"
    assert failures[1].reason == "schema drift: conversations.jsonl line 3: field 'source.author.type' missing"
    assert failures[1].external_id == "1003"


def test_roles_and_dropped_parts(polled):
    source, records, _ = polled
    doc = source.normalize(records["1001"])
    assert doc.channel is Channel.CHAT
    assert doc.account_ref is None
    assert doc.tags == ["export"]
    assert doc.title is None
    # assignment (null body) and close (empty body) parts carry no words and are dropped
    roles = [(m.external_id, m.author.role) for m in doc.messages]
    assert roles == [
        ("src-1", SpeakerRole.CUSTOMER),
        ("p-2", SpeakerRole.AGENT),
        ("p-3", SpeakerRole.INTERNAL),
        ("p-4", SpeakerRole.BOT),
        ("p-5", SpeakerRole.AGENT),  # a "user" on the company domain is staff
        ("p-7", SpeakerRole.CUSTOMER),  # a lead
    ]
    opening = message(doc, "src-1")
    assert opening.text == "The export keeps failing & timing out.\n\nSince Monday."
    assert (opening.author.external_id, opening.author.name, opening.author.email) == (
        "u-1",
        "Lee Park",
        "lee@globex.com",
    )
    assert opening.created_at == doc.created_at
    assert message(doc, "p-3").public is False
    assert message(doc, "p-2").created_at == datetime(2026, 6, 1, 10, 2, tzinfo=UTC)


def test_title_falls_back_to_subject(polled):
    source, records, _ = polled
    assert source.normalize(records["1004"]).title == "Pricing"


def test_ai_agent_part_is_a_bot(polled):
    source, records, _ = polled
    payload = records["1001"].payload
    part = {**payload["conversation_parts"]["conversation_parts"][1]}
    part["author"] = {**part["author"], "from_ai_agent": True}
    parts = {**payload["conversation_parts"], "conversation_parts": [part]}
    doc = source.normalize(records["1001"].model_copy(update={"payload": {**payload, "conversation_parts": parts}}))
    assert message(doc, "p-2").author.role is SpeakerRole.BOT


def test_missing_source_is_malformed(polled):
    source, records, _ = polled
    payload = {k: v for k, v in records["1001"].payload.items() if k != "source"}
    with pytest.raises(MalformedRecord, match="'source'"):
        source.normalize(records["1001"].model_copy(update={"payload": payload}))
