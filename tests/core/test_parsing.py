from datetime import UTC, datetime

from core.models import Author, Channel, ConversationDoc, Message, SpeakerRole
from core.parsing import clean_text, split_units, unit_id

T = datetime(2026, 6, 1, tzinfo=UTC)


def _msg(mid: str, role: SpeakerRole, text: str, public: bool = True) -> Message:
    return Message(
        external_id=mid, author=Author(role=role, email=f"{mid}@x.com"), text=text, created_at=T, public=public
    )


def test_only_public_customer_messages_become_units_with_context():
    doc = ConversationDoc(
        source="zendesk",
        external_id="9",
        channel=Channel.TICKET,
        title="Export broken",
        created_at=T,
        account_ref="001A",
        messages=[
            _msg("1", SpeakerRole.CUSTOMER, "  The CSV export   times out.\n\n\n\nEvery time. "),
            _msg("2", SpeakerRole.AGENT, "Hi, thanks for reaching out!"),
            _msg("3", SpeakerRole.INTERNAL, "customer is on legacy plan", public=False),
            _msg("4", SpeakerRole.CUSTOMER, "it still fails"),
            _msg("5", SpeakerRole.CUSTOMER, "   "),
        ],
    )
    units = split_units(doc)
    assert [u.message_id for u in units] == ["1", "4"]
    assert units[0].text == "The CSV export times out.\n\nEvery time."
    assert (units[0].char_start, units[0].char_end) == (2, 44)
    assert units[1].context == {"subject": "Export broken", "previous_turn": "customer is on legacy plan"}
    assert units[1].account_ref == "001A" and units[1].thread_ref == "zendesk:9"


def test_clean_text_and_stable_ids():
    assert clean_text("a\u00a0 b\t\tc") == "a b c"
    assert unit_id("s", "1", "m", 0) == unit_id("s", "1", "m", 0) != unit_id("s", "1", "m", 1)


def test_forum_posts_share_their_topic_thread():
    post = ConversationDoc(
        source="discourse",
        external_id="77",
        channel=Channel.COMMUNITY,
        created_at=T,
        tags=["topic:12"],
        messages=[_msg("77", SpeakerRole.CUSTOMER, "Same here, dashboards crawl")],
    )
    assert split_units(post)[0].thread_ref == "discourse:topic:12"
