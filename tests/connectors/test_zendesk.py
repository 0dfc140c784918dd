import json

import pytest
from groundswell.connectors.files.zendesk import ZendeskExport
from groundswell.core.errors import MalformedRecord
from groundswell.core.models import Channel, RawRecord, SpeakerRole
from groundswell.demo.tenant import DEMO_COMPANY_DOMAINS, DEMO_LINK_BASES

from tests.connectors.helpers import FIXTURES, by_id, drain, message


@pytest.fixture
def polled(fixture_copy):
    source = ZendeskExport(
        fixture_copy("zendesk"), company_domains=DEMO_COMPANY_DOMAINS, link_base=DEMO_LINK_BASES.get("zendesk")
    )
    records, failures, _ = drain(source.poll(None))
    return source, by_id(records), failures


def test_record_is_the_ticket_verbatim_plus_its_users_and_organization(polled):
    _, records, _ = polled
    ticket = records["501"]
    original = json.loads((FIXTURES / "zendesk" / "tickets.jsonl").read_text().splitlines()[0])
    assert {k: v for k, v in ticket.payload.items() if not k.startswith("_")} == original
    assert sorted(ticket.payload["_users"]) == ["1", "2", "3", "4"]
    assert ticket.payload["_users"]["1"]["email"] == "dana@acme.com"
    assert ticket.payload["_organization"]["external_id"] == "001ACME"
    assert ticket.kind == "ticket"
    assert ticket.url == "https://brightloop.zendesk.com/agent/tickets/501"
    assert ticket.created_at.isoformat() == "2026-06-01T10:00:00+00:00"
    assert ticket.updated_at.isoformat() == "2026-06-02T09:30:00+00:00"


def test_failures_name_file_line_and_field(polled):
    _, _, failures = polled
    reasons = [f.reason for f in failures]
    assert reasons[0].startswith("tickets.jsonl line 3: malformed JSON")
    assert reasons[1] == "schema drift: tickets.jsonl line 4: field 'requester_id' missing"
    assert reasons[2] == "tickets.jsonl line 5: bad timestamp in field 'comments[].created_at': 'yesterday'"
    assert [f.external_id for f in failures] == [None, "504", "505"]
    assert failures[0].raw == '{"id": 503, "subject": "broken'


def test_roles_text_and_links(polled):
    source, records, _ = polled
    doc = source.normalize(records["501"])
    assert doc.channel is Channel.TICKET
    assert doc.title == "CSV export fails"
    assert doc.url == "https://brightloop.zendesk.com/agent/tickets/501"
    assert doc.account_ref == "001ACME"
    assert doc.tags == ["export", "bug"]
    assert [m.external_id for m in doc.messages] == ["9001", "9002", "9003", "9004", "9005"]
    customer = message(doc, "9001").author
    assert customer.role is SpeakerRole.CUSTOMER
    assert (customer.name, customer.email, customer.phone) == ("Dana Reyes", "dana@acme.com", "+1 555 0100")
    assert (customer.external_id, customer.organization) == ("1", "001ACME")
    agent_reply = message(doc, "9002")
    assert agent_reply.author.role is SpeakerRole.AGENT
    assert agent_reply.author.organization is None
    assert agent_reply.text == "Thanks Dana & team.\n\nWhich browser?\nAnd which report?"  # from html_body
    note = message(doc, "9003")
    assert (note.author.role, note.public) == (SpeakerRole.INTERNAL, False)
    # an "end-user" on a company (sub-)domain is staff, never a customer
    assert message(doc, "9004").author.role is SpeakerRole.AGENT
    assert message(doc, "9005").author.role is SpeakerRole.AGENT  # admin


def test_unknown_author_and_organization_without_crm_id(polled):
    source, records, _ = polled
    doc = source.normalize(records["506"])
    assert doc.account_ref is None
    assert message(doc, "9601").author.organization is None  # Dana belongs to another organization
    stranger = message(doc, "9602").author
    assert (stranger.role, stranger.external_id, stranger.email) == (SpeakerRole.UNKNOWN, "77", None)


def test_deleted_ticket_is_a_tombstone(polled):
    source, records, _ = polled
    assert records["502"].deleted is True
    assert records["501"].deleted is False
    doc = source.normalize(records["502"])
    assert (doc.messages, doc.account_ref) == ([], None)


def test_ticket_without_organization_takes_the_requesters(fixture_copy):
    folder = fixture_copy("zendesk")
    path = folder / "tickets.jsonl"
    path.write_text(
        path.read_text().replace(
            '"requester_id": 1, "organization_id": 100', '"requester_id": 1, "organization_id": null'
        )
    )
    source = ZendeskExport(folder, company_domains=DEMO_COMPANY_DOMAINS, link_base=DEMO_LINK_BASES.get("zendesk"))
    records = by_id(drain(source.poll(None))[0])
    assert records["501"].payload["_organization"]["id"] == 100
    assert source.normalize(records["501"]).account_ref == "001ACME"


def test_description_stands_in_when_comments_are_absent(polled):
    source, records, _ = polled
    payload = {**records["501"].payload, "comments": []}
    doc = source.normalize(records["501"].model_copy(update={"payload": payload}))
    assert [(m.external_id, m.text, m.author.role) for m in doc.messages] == [
        ("501:description", "The CSV export fails every time.", SpeakerRole.CUSTOMER)
    ]


def test_normalize_is_pure(polled, tmp_path):
    source, records, _ = polled
    stored = RawRecord.model_validate_json(records["501"].model_dump_json())
    elsewhere = ZendeskExport(tmp_path / "gone", company_domains=DEMO_COMPANY_DOMAINS)
    assert elsewhere.normalize(stored) == source.normalize(records["501"])


def test_changed_users_file_rereads_tickets(fixture_copy):
    folder = fixture_copy("zendesk")
    source = ZendeskExport(folder, company_domains=DEMO_COMPANY_DOMAINS, link_base=DEMO_LINK_BASES.get("zendesk"))
    _, _, checkpoint = drain(source.poll(None))
    users = folder / "users.jsonl"
    users.write_text(users.read_text().replace('"Dana Reyes"', '"Dana R. Reyes"'))
    records, _, _ = drain(source.poll(checkpoint))
    assert [r.external_id for r in records] == ["501", "502", "506"]
    assert records[0].payload["_users"]["1"]["name"] == "Dana R. Reyes"


def test_bad_user_line_is_a_failure(fixture_copy):
    folder = fixture_copy("zendesk")
    with (folder / "users.jsonl").open("a") as handle:
        handle.write('{"name": "no id", "role": "end-user"}\n')
    _, failures, _ = drain(
        ZendeskExport(folder, company_domains=DEMO_COMPANY_DOMAINS, link_base=DEMO_LINK_BASES.get("zendesk")).poll(None)
    )
    assert "schema drift: users.jsonl line 5: field 'id' missing" in [f.reason for f in failures]


def test_missing_field_in_normalize_is_malformed(polled):
    source, records, _ = polled
    payload = {k: v for k, v in records["501"].payload.items() if k != "created_at"}
    with pytest.raises(MalformedRecord, match="zendesk: record is missing field 'created_at'"):
        source.normalize(records["501"].model_copy(update={"payload": payload}))


def test_no_configured_link_base_means_no_guessed_link(fixture_copy):
    source = ZendeskExport(fixture_copy("zendesk"))
    records, _, _ = drain(source.poll(None))
    assert records and all(record.url is None for record in records)
    assert source.normalize(records[0]).url is None
