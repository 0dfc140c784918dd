import pytest
from groundswell.core.models import SpeakerRole
from groundswell.core.speakers import Attribution, Turn, attribute_speakers, turn_logit
from groundswell.core.speakers_cues import bot_hits, cue_hits


def _p_customer(attribution: Attribution) -> float:
    return attribution.confidence if attribution.role == SpeakerRole.CUSTOMER else 1 - attribution.confidence


def _one(text: str) -> Attribution:
    return attribute_speakers([Turn(None, text)])[0]


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for reaching out, let me check that for you",
        "Is there anything else I can help you with?",
        "I've escalated this to our engineering team.",
        "Could you share a screenshot of the error page?",
        "Which account is this about?",
        "Best regards, Dana from the Acme Support Team",
        "Here are a few options: monthly, annual or the enterprise plan.",
    ],
)
def test_agent_phrases_are_attributed_to_the_agent(text):
    attribution = _one(text)
    assert attribution.role == SpeakerRole.AGENT
    assert any(item.startswith("agent cue:") for item in attribution.evidence)


@pytest.mark.parametrize(
    "text",
    [
        "we keep losing the export every night",
        "I can't log into my account since the update",
        "My invoice is wrong again, this is really frustrating",
        "I need a refund for the duplicate charge",
        "Thank you so much for your help!",
    ],
)
def test_customer_phrases_are_attributed_to_the_customer(text):
    attribution = _one(text)
    assert attribution.role == SpeakerRole.CUSTOMER
    assert any(item.startswith("customer cue:") for item in attribution.evidence)


def test_bot_phrases_make_a_bot():
    attribution = _one("Hi, I'm a virtual assistant. Reply 1 for billing or 2 for support.")
    assert attribution.role == SpeakerRole.BOT
    assert any(item.startswith("bot cue:") for item in attribution.evidence)
    assert bot_hits("This is an automated message, do not reply.")
    assert not bot_hits("we keep losing the export every night")
    assert _one("Searching the FAQ pages ...").role == SpeakerRole.BOT
    assert _one("System Action: search timing").role == SpeakerRole.BOT


def test_cue_signs_and_logit_combine_model_and_cues():
    assert all(hit.weight < 0 for hit in cue_hits("Thanks for reaching out, happy to help!"))
    assert all(hit.weight > 0 for hit in cue_hits("I can't find my invoice"))
    assert cue_hits("") == []
    bare, _ = turn_logit("qwerty", model_logit=0.0)
    cued, evidence = turn_logit("I can't find my invoice", model_logit=0.0)
    assert bare == 0.0 < cued and "model p(customer)=0.50" in evidence


def test_known_roles_are_kept_with_full_confidence():
    turns = [Turn("a", "Thanks for reaching out, happy to help", SpeakerRole.CUSTOMER), Turn("b", "x", SpeakerRole.REP)]
    out = attribute_speakers(turns)
    assert [(a.role, a.confidence) for a in out] == [(SpeakerRole.CUSTOMER, 1.0), (SpeakerRole.REP, 1.0)]


def test_turns_of_one_speaker_share_a_role_and_pool_evidence():
    turns = [
        Turn("s1", "ok"),
        Turn("s2", "Thanks for contacting us, let me check your account."),
        Turn("s1", "The dashboard stopped loading and my team can't work."),
    ]
    out = attribute_speakers(turns)
    assert out[0] == out[2] and out[0].role == SpeakerRole.CUSTOMER and out[1].role == SpeakerRole.AGENT
    assert "pooled 2 turns of the same speaker" in out[0].evidence


def test_unknown_party_opposite_a_known_agent_leans_customer_and_vice_versa():
    ambiguous = "Sure, Tuesday at ten works."
    alone = attribute_speakers([Turn("u", ambiguous)])[0]
    with_agent = attribute_speakers([Turn("r", "Hello", SpeakerRole.AGENT), Turn("u", ambiguous)])[1]
    with_customer = attribute_speakers([Turn("c", "Hello", SpeakerRole.CUSTOMER), Turn("u", ambiguous)])[1]
    assert _p_customer(with_customer) < _p_customer(alone) < _p_customer(with_agent)
    assert "context: another speaker is a known agent" in with_agent.evidence


def test_turn_order_does_not_matter():
    turns = [
        Turn("a", "Hi, how can I help you today?"),
        Turn("b", "My export fails every night."),
        Turn("a", "I've escalated it to our engineers."),
        Turn("b", "thanks"),
    ]
    forward = attribute_speakers(turns)
    backward = attribute_speakers(list(reversed(turns)))
    assert [(a.role, a.confidence, sorted(a.evidence)) for a in forward] == [
        (a.role, a.confidence, sorted(a.evidence)) for a in reversed(backward)
    ]
    assert [a.role for a in forward] == [SpeakerRole.AGENT, SpeakerRole.CUSTOMER] * 2


def test_empty_inputs():
    assert attribute_speakers([]) == []
    blank = attribute_speakers([Turn(None, "   ")])[0]
    assert blank.role in (SpeakerRole.AGENT, SpeakerRole.CUSTOMER) and blank.confidence == 0.5
