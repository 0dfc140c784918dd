"""The review queue section, the review modal and the sources page's review menu: valid, escaped, within limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from groundswell.core.labels import INTENTS
from groundswell.messaging.answer import sources_blocks
from groundswell.messaging.blockkit import MAX_VIEW_BLOCKS, validate_blocks, validate_view
from groundswell.messaging.home import (
    HomeData,
    ProposalLine,
    QualityLine,
    RecentLine,
    ReviewSection,
    SourceLine,
    home_view,
)
from groundswell.messaging.ids import ACTION_REVIEW_CONFIRM, ACTION_REVIEW_OPEN, ACTION_REVIEW_SENTIMENT, ReviewField
from groundswell.messaging.review import OTHER_VALUE, ReviewChoices, ReviewLine, review_modal, review_queue_blocks

from tests.bot.answers import ranking_answer

HOSTILE = "<!channel> *bold* <https://evil.example|click> & " + "long " * 400


def _line(uid: str = "u1", **kw) -> ReviewLine:
    values = {"unit_id": uid, "text": HOSTILE, "source": "zendesk", "url": "https://support.example.com/t/1",
              "theme_key": "auth.sso", "sentiment": "negative", "intent": "complaint",
              "confidence": {"theme": 0.31, "sentiment": 0.55, "intent": 0.4}}  # fmt: skip
    return ReviewLine(**{**values, **kw})


MANY = ReviewChoices(version=4, themes=[(f"t{i}.leaf", f"Theme {i} › " + "x" * 90) for i in range(150)])


def _elements(blocks):
    return [e for b in blocks for e in b.get("elements", []) if "action_id" in e]


def test_each_unit_shows_escaped_text_labels_and_controls():
    choices = ReviewChoices(version=4, themes=[("auth.sso", "Authentication › SSO"), ("auth.mfa", "Auth › 2FA")])
    blocks = review_queue_blocks([_line()], choices, waiting=12)
    assert validate_blocks(blocks, limit=MAX_VIEW_BLOCKS) == []
    text = json.dumps(blocks, ensure_ascii=False)
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text and "<https://evil" not in text
    assert "theme *auth.sso* (0.31)" in text and "sentiment *negative* (0.55)" in text and "12 flagged" in text
    assert "<https://support.example.com/t/1|zendesk>" in text
    theme, intent, *buttons = _elements(blocks)
    assert theme["initial_option"]["value"] == "auth.sso" and theme["options"][-1]["value"] == OTHER_VALUE
    assert [o["value"] for o in intent["options"]] == list(INTENTS) and intent["initial_option"]["value"] == "complaint"
    ids = [b["action_id"] for b in buttons]
    assert f"{ACTION_REVIEW_SENTIMENT}:negative:u1" in ids and f"{ACTION_REVIEW_CONFIRM}:u1" in ids
    assert {b["value"] for b in buttons} == {"4|u1"}


def test_a_big_taxonomy_and_a_full_home_stay_within_slacks_limits():
    lines = [_line(f"u{i}", theme_key="t149.leaf") for i in range(15)]
    recent = [RecentLine(question="q" * 400, headline="h" * 400, at=datetime(2026, 11, 1, tzinfo=UTC))] * 8
    view = home_view(HomeData(
        user_id="U1", is_admin=True, recent=recent, review=ReviewSection(lines=lines, choices=MANY, waiting=900),
        sources=[SourceLine(name=f"s{i}", units=i) for i in range(20)],
        proposals=[ProposalLine(id=i, name=f"p{i}", examples=["e"]) for i in range(15)], quality=QualityLine(),
    ))  # fmt: skip
    assert validate_view(view) == [] and len(view["blocks"]) <= MAX_VIEW_BLOCKS
    theme = next(e for e in _elements(view["blocks"]) if e.get("type") == "static_select")
    assert len(theme["options"]) == 100 and theme["initial_option"]["value"] == "t149.leaf"  # the current one kept


def test_no_taxonomy_and_an_empty_queue_say_so():
    assert "No taxonomy yet" in json.dumps(review_queue_blocks([], None, waiting=0))
    assert "Nothing waiting" in json.dumps(review_queue_blocks([], MANY, waiting=0))
    assert "Units to review" not in json.dumps(home_view(HomeData(user_id="U1")))


def test_the_modal_is_preset_to_the_current_labels_and_valid():
    modal = review_modal(_line(theme_key=None, sentiment="mixed", intent="not-an-intent"), MANY)
    assert validate_view(modal) == [] and json.loads(modal["private_metadata"]) == {"unit_id": "u1", "version": 4}
    inputs = {b["block_id"]: b["element"] for b in modal["blocks"] if b["type"] == "input"}
    assert set(inputs) == {ReviewField.THEME, ReviewField.SENTIMENT, ReviewField.INTENT}
    assert inputs[ReviewField.THEME]["initial_option"]["value"] == OTHER_VALUE
    assert "initial_option" not in inputs[ReviewField.SENTIMENT]  # a label the controls do not offer: no preset
    assert "initial_option" not in inputs[ReviewField.INTENT]
    assert "<!channel>" not in json.dumps(modal)


def test_the_sources_page_has_a_review_menu_per_unit_only_for_reviewers():
    answer = ranking_answer("q")
    assert not [b for b in sources_blocks(answer, answer_id="a1") if "accessory" in b]
    blocks = sources_blocks(answer, answer_id="a1", reviewable=True)
    assert validate_blocks(blocks) == []
    menus = [b["accessory"] for b in blocks if "accessory" in b]
    assert [m["action_id"] for m in menus] == [f"{ACTION_REVIEW_OPEN}:{n}" for n in range(1, 6)]
    assert [m["options"][0]["value"] for m in menus] == [f"u-{n}" for n in range(1, 6)]


def test_the_validator_knows_overflow_menus_and_select_placeholders():
    from groundswell.messaging.blockkit import option, overflow, section

    good = section("x", accessory=overflow("a", [option("v", "Review labels")]))
    too_many = {"type": "overflow", "action_id": "b", "options": [option(str(i), "o") for i in range(6)]}
    long_placeholder = {"type": "static_select", "action_id": "c", "options": [option("v", "o")],
                        "placeholder": {"type": "plain_text", "text": "p" * 151}}  # fmt: skip
    assert validate_blocks([good]) == []
    problems = validate_blocks([section("x", accessory=too_many), {"type": "actions", "elements": [long_placeholder]}])
    assert any("1..5 options" in p for p in problems) and any("placeholder" in p for p in problems)
