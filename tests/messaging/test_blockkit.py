"""The Block Kit validator refuses what Slack refuses."""

from __future__ import annotations

import pytest
from groundswell.messaging.blockkit import (
    BlockKitError,
    actions,
    assert_valid_blocks,
    button,
    context,
    header,
    section,
    truncate,
    validate_blocks,
    validate_view,
)


def test_valid_blocks_pass():
    assert validate_blocks([header("Hi"), section("*bold*"), context("a", "b"), actions(button("Go", "go"))]) == []


@pytest.mark.parametrize(
    ("blocks", "problem"),
    [
        ([section("x")] * 51, "51 blocks, limit 50"),
        ([{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}], "3001 characters, limit 3000"),
        ([{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}], "limit 150"),
        ([{"type": "header", "text": {"type": "mrkdwn", "text": "h"}}], "expected a text object of type plain_text"),
        ([actions({"type": "button", "text": {"type": "plain_text", "text": "b" * 76}, "action_id": "a"})], "limit 75"),
        ([actions(button("A", "same"), button("B", "same"))], "duplicate action_ids: same"),
        ([actions(button("A", "a"), block_id="x"), actions(button("B", "b"), block_id="x")], "duplicate block_ids: x"),
        ([{"type": "section"}], "a section needs text or fields"),
        ([{"type": "carousel"}], "unknown block type"),
        ([actions(button("A", "a", style="green"))], "style"),
        ([{"type": "context", "elements": []}], "1..10 elements"),
        ([{"type": "section", "text": {"type": "mrkdwn", "text": ""}}], "empty text"),
    ],
)
def test_invalid_blocks_are_named(blocks, problem):
    problems = validate_blocks(blocks)
    assert any(problem in p for p in problems), problems
    with pytest.raises(BlockKitError):
        assert_valid_blocks(blocks)


def test_views_are_checked_too():
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "A title far longer than 24"}, "blocks": []}
    assert any("view.title" in p for p in validate_view(modal))
    field = {"type": "input", "label": {"type": "plain_text", "text": "L"},
             "element": {"type": "plain_text_input", "action_id": "x"}}  # fmt: skip
    inputs = {"type": "modal", "title": {"type": "plain_text", "text": "T"}, "blocks": [field]}
    assert any("submit" in p for p in validate_view(inputs))
    assert validate_view({"type": "home", "blocks": [section("x")] * 100}) == []
    assert validate_view({"type": "home", "blocks": [section("x")] * 101}) != []


def test_builders_truncate_to_limits():
    assert len(header("h" * 500)["text"]["text"]) == 150
    assert len(button("b" * 100, "a")["text"]["text"]) == 75
    assert truncate("abcdef", 4) == "abc…" and truncate("abc", 4) == "abc"
    assert validate_blocks([section("s" * 10_000)]) == []
