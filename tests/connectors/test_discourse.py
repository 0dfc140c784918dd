import pytest
from groundswell.connectors.files.discourse import DiscourseExport
from groundswell.core.models import Channel, SpeakerRole
from groundswell.demo.tenant import DEMO_COMPANY_DOMAINS, DEMO_LINK_BASES

from tests.connectors.helpers import by_id, drain


@pytest.fixture
def polled(fixture_copy):
    source = DiscourseExport(
        fixture_copy("discourse"), company_domains=DEMO_COMPANY_DOMAINS, link_base=DEMO_LINK_BASES.get("discourse")
    )
    records, failures, _ = drain(source.poll(None))
    return source, by_id(records), failures


def test_customer_post(polled):
    source, records, _ = polled
    record = records["301"]
    assert (record.kind, record.deleted) == ("post", False)
    assert record.url == "https://community.brightloop.io/t/scheduled-exports/42/1"
    doc = source.normalize(record)
    assert doc.channel is Channel.COMMUNITY
    assert (doc.title, doc.tags, doc.url) == ("Scheduled exports", ["topic:42"], record.url)
    (only,) = doc.messages
    assert only.external_id == "301"
    assert only.text == "Is there a way to schedule exports?\n\ndaily\nweekly"
    author = only.author
    assert (author.role, author.handle, author.name, author.external_id, author.email) == (
        SpeakerRole.CUSTOMER,
        "dana_r",
        "Dana Reyes",
        "11",
        None,
    )


@pytest.mark.parametrize("post_id", ["302", "303"])
def test_staff_and_moderators_are_agents(polled, post_id):
    source, records, _ = polled
    assert source.normalize(records[post_id]).messages[0].author.role is SpeakerRole.AGENT


def test_deleted_post_is_a_tombstone(polled):
    source, records, _ = polled
    assert records["304"].deleted is True
    assert source.normalize(records["304"]).messages == []


def test_failures(polled):
    _, _, failures = polled
    assert failures[0].reason.startswith("posts.jsonl line 5: malformed JSON")
    assert (failures[1].external_id, failures[1].reason) == (
        "306",
        "schema drift: posts.jsonl line 6: field 'username' missing",
    )
