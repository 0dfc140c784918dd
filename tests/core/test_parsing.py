from datetime import UTC, datetime

from groundswell.core.models import Author, Channel, ConversationDoc, Message, SpeakerRole
from groundswell.core.parsing import clean_text, split_units, unit_id

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


def _unknown(mid: str, speaker: str, text: str) -> Message:
    return Message(
        external_id=mid, author=Author(role=SpeakerRole.UNKNOWN, external_id=speaker), text=text, created_at=T
    )


def _call(*messages: Message) -> ConversationDoc:
    return ConversationDoc(source="gong", external_id="c1", channel=Channel.CALL, created_at=T, messages=list(messages))


def test_unknown_speaker_customer_words_become_units_with_attribution():
    doc = _call(
        _unknown("1", "p1", "Thanks for reaching out, let me check that for you"),
        _unknown("2", "p2", "we keep losing the export every night"),
    )
    units = split_units(doc)
    assert [u.message_id for u in units] == ["2"]
    assert units[0].speaker_role == SpeakerRole.CUSTOMER
    attribution = units[0].context["attribution"]
    assert attribution["role"] == "customer" and attribution["confidence"] >= 0.7
    assert any("cue" in item for item in attribution["evidence"])
    assert units[0].context["previous_turn"] == "Thanks for reaching out, let me check that for you"


def test_unknown_speaker_agent_words_never_become_units_even_alone():
    assert split_units(_call(_unknown("1", "p1", "Thanks for reaching out, let me check that for you"))) == []


def test_known_rep_and_unknown_party_same_speaker_pools_across_turns():
    rep = Message(external_id="0", author=Author(role=SpeakerRole.REP, external_id="r"), text="Hi all", created_at=T)
    doc = _call(
        rep,
        _unknown("1", "p2", "Sure, the Paris office."),  # was "Sure." — pure chatter, no unit since splitting
        _unknown("2", "p2", "Our admins can't add seats and it blocks the rollout."),
    )
    units = split_units(doc)
    assert [u.message_id for u in units] == ["1", "2"]
    assert units[0].context["attribution"] == units[1].context["attribution"]
    assert "pooled 2 turns of the same speaker" in units[0].context["attribution"]["evidence"]


def test_low_confidence_unknown_turns_are_not_units(monkeypatch):
    import groundswell.core.parsing as parsing

    monkeypatch.setattr(parsing, "ATTRIBUTION_THRESHOLD", 1.01)
    assert split_units(_call(_unknown("2", "p2", "we keep losing the export every night"))) == []


def test_internal_notes_of_unknown_speakers_stay_out():
    note = _unknown("1", "p1", "we keep losing the export every night").model_copy(update={"public": False})
    assert split_units(_call(note)) == []


def test_one_unit_per_signal_with_ordinals_offsets_and_whole_message_context():
    text = (
        "Hi team,\n\nThe CSV export   times out. It fails nightly.\n\n"
        "Also: please add SSO for contractors.\n\nBest,\nJo"
    )
    doc = ConversationDoc(
        source="zendesk",
        external_id="9",
        channel=Channel.TICKET,
        title="Export broken",
        created_at=T,
        messages=[
            _msg("1", SpeakerRole.AGENT, "How can we help?"),
            _msg("2", SpeakerRole.CUSTOMER, text),
            _msg("3", SpeakerRole.CUSTOMER, "Got it, thanks."),
        ],
    )
    units = split_units(doc)
    assert [(u.message_id, u.ordinal) for u in units] == [("2", 0), ("2", 1)]
    assert [u.text for u in units] == ["The CSV export times out. It fails nightly.", "please add SSO for contractors."]
    assert text[units[0].char_start : units[0].char_end] == "The CSV export   times out. It fails nightly."
    assert text[units[1].char_start : units[1].char_end] == "please add SSO for contractors."
    assert units[0].context["message"] == clean_text(text) and units[0].context["subject"] == "Export broken"
    assert units[1].context["previous_turn"] == "How can we help?"
    ids = {unit_id(u.source, u.external_id, u.message_id, u.ordinal) for u in units}
    assert len(ids) == 2


def test_single_signal_messages_carry_no_message_copy_in_context():
    doc = _call(_msg("1", SpeakerRole.CUSTOMER, "Sorry, I was on mute. Leading zeros get stripped in the xlsx."))
    (unit,) = split_units(doc)
    assert unit.text == "Leading zeros get stripped in the xlsx." and "message" not in unit.context
