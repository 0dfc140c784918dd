import pytest
from groundswell.core.segment import Segment, segment_message
from groundswell.core.segment_chatter import Kind, classify, is_signature_line, marker_end
from groundswell.core.segment_sentences import split_sentences


def _texts(text: str) -> list[str]:
    segments = segment_message(text)
    for s in segments:
        assert text[s.start : s.end] == s.text
    return [s.text for s in segments]


def _sentences(text: str) -> list[str]:
    result = split_sentences(text)
    for s in result:
        assert text[s.start : s.end] == s.text
    return [s.text for s in result]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Export fails. It hangs!", ["Export fails.", "It hangs!"]),
        ("Since 4.12 the sync is slow. Version 4.12.1 too.", ["Since 4.12 the sync is slow.", "Version 4.12.1 too."]),
        ("It costs $1.50 per seat e.g. for viewers. Odd.", ["It costs $1.50 per seat e.g. for viewers.", "Odd."]),
        ("Dr. Lee and J. Smith said so. Fine.", ["Dr. Lee and J. Smith said so.", "Fine."]),
        ("Mail me at jo.doe@acme.co.uk. Thanks.", ["Mail me at jo.doe@acme.co.uk.", "Thanks."]),
        ("See https://x.io/a.b?c=1&d=2. It 404s.", ["See https://x.io/a.b?c=1&d=2.", "It 404s."]),
        ("it just hangs... and then crashes. Weird", ["it just hangs... and then crashes.", "Weird"]),
        ("it hangs\u2026 Then it crashes", ["it hangs\u2026", "Then it crashes"]),
        ("Love it \U0001f64c Coming from Zapier", ["Love it \U0001f64c", "Coming from Zapier"]),
        ("Why?! No idea.", ["Why?!", "No idea."]),
        ('He said "it broke." Then left.', ['He said "it broke."', "Then left."]),
        ("Issues:\n- login fails\n* slow\n1. sso broken", ["Issues:", "login fails", "slow", "sso broken"]),
    ],
)
def test_sentence_splitting_edge_cases(text, expected):
    assert _sentences(text) == expected


def test_hard_wrapped_lines_join_and_paragraphs_and_bullets_are_flagged():
    text = "The nightly export to our warehouse keeps failing\nwith a timeout error.\n\n- second point here"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "The nightly export to our warehouse keeps failing\nwith a timeout error.",
        "second point here",
    ]
    assert sentences[0].paragraph and not sentences[0].bullet
    assert sentences[1].paragraph and sentences[1].bullet


@pytest.mark.parametrize(
    "text",
    [
        "Thanks!",
        "Got it, thanks.",
        "Ok, will try that and get back to you.",
        "Just checking in on this one.",
        "Any updates on this?",
        "Great, thank you so much!",
        "Perfect, you can close this ticket.",
        "That worked, thanks!",
        "Sorry, I was on mute.",
        "Can you hear me now?",
        "Hi team,",
        "Hello Acme support!",
        "Best regards,",
        "n/a",
        "-",
        "\U0001f44d",
    ],
)
def test_pure_chatter_messages_yield_no_segment(text):
    assert segment_message(text) == []


def test_greetings_sign_offs_and_signatures_are_dropped():
    text = (
        "Hi all,\n\nThe CSV export times out above 80k rows. It happens every night.\n\n"
        "Best regards,\nElena Rossi\nHead of Sales Ops | Acme Corp Inc.\nM: +1 (512) 555-0150"
    )
    assert _texts(text) == ["The CSV export times out above 80k rows. It happens every night."]
    assert _texts("hi! can the app cache dashboards offline? thx") == ["can the app cache dashboards offline?"]
    assert _texts("The invoice is wrong. Thanks, Carlos") == ["The invoice is wrong."]
    assert _texts("SSO is broken for us.\n\n--\nPriya Rahman\nFalcon Partners Inc.") == ["SSO is broken for us."]
    assert _texts("Sorry, I was on mute. Leading zeros get stripped.") == ["Leading zeros get stripped."]


@pytest.mark.parametrize(
    "marker", ["Also, ", "Also: ", "PS: ", "P.S. ", "Oh and ", "Another thing: ", "Separately, ", "On another note, "]
)
def test_discourse_markers_start_a_new_signal_without_the_marker(marker):
    text = f"Dashboards are slow since 4.10. Minor thing. {marker}Can we get SAML for viewers?"
    assert _texts(text) == ["Dashboards are slow since 4.10. Minor thing.", "Can we get SAML for viewers?"]


def test_markers_without_a_full_stop_and_lead_in_clauses_still_split():
    text = "where are past invoices? not a great look Unrelated, but worth flagging: The Slack app posts twice."
    assert _texts(text) == ["where are past invoices? not a great look", "The Slack app posts twice."]
    assert _texts("sms is not allowed here Oh and Runs are stuck in queued.") == [
        "sms is not allowed here",
        "Runs are stuck in queued.",
    ]


def test_paragraphs_and_bullets_split_but_continuations_stay():
    text = "Exports time out.\n\nWe also need SSO for contractors.\n\nIt is blocking our rollout."
    assert _texts(text) == ["Exports time out.", "We also need SSO for contractors.\n\nIt is blocking our rollout."]
    assert _texts("Problems:\n- exports time out\n- SSO loops") == ["exports time out", "SSO loops"]
    assert _texts("The export fails.\n\nEvery time.") == ["The export fails.\n\nEvery time."]


def test_continuations_and_add_ons_stay_with_their_point():
    text = "The app doesn't notify me on mentions. Screenshots attached. Needs attention this week please."
    assert _texts(text) == [text]
    assert _texts("Attaching a screenshot now.") == []
    assert _texts("The export fails on big files. It also drops the header row.") == [
        "The export fails on big files. It also drops the header row."
    ]


def test_interior_chatter_kept_edges_trimmed():
    text = "Thanks for the reply! The sync broke again. Thanks. It drops contacts. Cheers"
    assert _texts(text) == ["The sync broke again. Thanks. It drops contacts."]


def test_similarity_callable_splits_unlike_adjacent_sentences_only():
    text = "Exports time out on big files. Our invoices show the wrong VAT. It was fine last month."
    assert len(segment_message(text)) == 1
    calls: list[tuple[str, str]] = []

    def similarity(left: str, right: str) -> float:
        calls.append((left, right))
        return 0.0 if "VAT" in right else 1.0

    assert [s.text for s in segment_message(text, similarity=similarity)] == [
        "Exports time out on big files.",
        "Our invoices show the wrong VAT. It was fine last month.",
    ]
    assert calls == [("Exports time out on big files.", "Our invoices show the wrong VAT.")]  # "It …" continues


def test_classify_kinds_and_helpers():
    assert classify("Best,") == Kind.SIGNOFF
    assert classify("Yeah, sounds good.") == Kind.CHATTER
    assert classify("Screenshots attached.") == Kind.ADDON
    assert classify("Fantastic, approval requests never ping me.") == Kind.CONTENT
    assert classify("Hey it crashes") == Kind.CONTENT
    assert is_signature_line("Marketing Ops Specialist | Nimbus Biotech GmbH")
    assert not is_signature_line("The export fails on every account we tried.")
    assert marker_end("Also, the export fails") == len("Also, ")
    assert marker_end("Next time it fails I will tell you") == 0
    assert marker_end("Also") == 0


def test_segments_are_frozen_values():
    assert segment_message("The export fails.") == [Segment(0, 17, "The export fails.")]
    assert segment_message("") == [] and segment_message("   \n\n ") == []


def test_contact_and_account_details_ride_along_but_are_no_signal_of_their_own():
    text = "The dashboard takes 40 seconds to load.\n\nYou can reach me at +1 (312) 555-0163."
    assert _texts(text) == ["The dashboard takes 40 seconds to load."]
    assert _texts("SSO loops. Please also cc jo.doe@acme.com on this.") == ["SSO loops."]
    assert _texts("Our requests come from 81.190.42.80.\n\nSync is broken.") == ["Sync is broken."]
    assert classify("Please refund to IBAN FR07 3292 7208 9710 0590 9743 083.") == Kind.DETAIL
    assert _texts("My new e-mail is jo.doe@acme.com.") == ["My new e-mail is jo.doe@acme.com."]  # alone: kept
    assert classify("Login fails for everyone on our team since jo.doe@acme.com was made an admin of it.") == (
        Kind.CONTENT
    )


def test_multi_word_markers_split_mid_sentence_and_greetings_with_a_group_word_go():
    assert _texts("Is there a workaround? fwiw Oh and again?! push alerts come late") == [
        "Is there a workaround? fwiw",
        "again?! push alerts come late",
    ]
    assert _texts("hi there the pdf shows last week's numbers") == ["the pdf shows last week's numbers"]
    assert _texts("hey it crashes on start") == ["hey it crashes on start"]
