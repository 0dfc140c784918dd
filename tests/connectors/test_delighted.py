from datetime import UTC, datetime

import pytest
from groundswell.connectors.files.delighted import DelightedExport
from groundswell.core.models import Channel, SpeakerRole
from groundswell.demo.tenant import DEMO_COMPANY_DOMAINS, DEMO_LINK_BASES

from tests.connectors.helpers import by_id, drain


@pytest.fixture
def polled(fixture_copy):
    source = DelightedExport(
        fixture_copy("delighted"), company_domains=DEMO_COMPANY_DOMAINS, link_base=DEMO_LINK_BASES.get("delighted")
    )
    records, failures, _ = drain(source.poll(None))
    return source, by_id(records), failures


def test_nps_response_with_comment(polled):
    source, records, _ = polled
    record = records["r-1"]
    assert (record.kind, record.url) == ("survey_response", "https://app.delighted.com/responses/r-1")
    assert record.payload["Company"] == "001ACME"
    doc = source.normalize(record)
    assert doc.channel is Channel.SURVEY
    assert (doc.score, doc.rating, doc.account_ref) == (3, None, "001ACME")
    assert doc.tags == ["slow", "exports"]
    assert doc.created_at == datetime(2026, 6, 1, 10, tzinfo=UTC)
    (only,) = doc.messages
    assert only.external_id == "r-1"
    assert only.text == "Reports are slow, and exports time out."
    author = only.author
    assert (author.role, author.email, author.name, author.external_id, author.organization) == (
        SpeakerRole.CUSTOMER,
        "dana@acme.com",
        "Dana Reyes",
        "p-1",
        "001ACME",
    )


def test_csat_goes_to_rating(polled):
    source, records, _ = polled
    doc = source.normalize(records["r-2"])
    assert (doc.score, doc.rating, doc.account_ref) == (None, 5.0, None)


def test_score_only_response_has_no_messages(polled):
    source, records, _ = polled
    doc = source.normalize(records["r-3"])
    assert (doc.messages, doc.score, doc.account_ref) == ([], 9, "001INIT")


def test_company_email_is_not_a_customer(polled):
    source, records, _ = polled
    assert source.normalize(records["r-4"]).messages[0].author.role is SpeakerRole.AGENT


def test_failures(polled):
    _, _, failures = polled
    assert [(f.external_id, f.reason) for f in failures] == [
        ("r-5", "responses.csv line 6: bad value in field 'Score': 'ten' is not an integer"),
        ("r-6", "responses.csv line 7: bad timestamp in field 'Response Timestamp': 'not-a-date'"),
    ]


def test_score_outside_the_survey_range(tmp_path):
    folder = tmp_path / "delighted"
    folder.mkdir()
    (folder / "responses.csv").write_text(
        "Response ID,Person ID,Email,Name,Score,Comment,Survey Type,Response Timestamp,Tags,Company\n"
        "r-9,,,,7,meh,csat,2026-06-01T10:00:00Z,,\n"
    )
    _, failures, _ = drain(
        DelightedExport(folder, company_domains=DEMO_COMPANY_DOMAINS, link_base=DEMO_LINK_BASES.get("delighted")).poll(
            None
        )
    )
    assert failures[0].reason == "responses.csv line 2: bad value in field 'Score': 7 is outside 1-5 for csat"
