"""Ticket Markdown as Atlassian Documents: headings, bullet lists, quotes and links that Jira accepts."""

from __future__ import annotations

from groundswell.connectors.trackers.adf import markdown_to_adf

from tests.fakes.jira import adf_problems


def test_the_markdown_subset_becomes_adf_nodes() -> None:
    doc = markdown_to_adf(
        "Summary line.\n\n**Figures**\n- a: 1\n- b: 2\n\n> “quoted \\*text\\*”\n> — [zendesk](https://z.io/t/1)\n\n"
        "groundswell-key: theme:auth"
    )
    assert adf_problems(doc) == []
    kinds = [node["type"] for node in doc["content"]]
    assert kinds == ["paragraph", "heading", "bulletList", "blockquote", "paragraph"]
    heading = {"type": "heading", "attrs": {"level": 3}, "content": [{"type": "text", "text": "Figures"}]}
    assert doc["content"][1] == heading
    assert len(doc["content"][2]["content"]) == 2
    quote = doc["content"][3]["content"]
    assert quote[0]["content"][0]["text"] == "“quoted *text*”"  # escapes undone
    link = quote[1]["content"][1]
    assert link == {
        "type": "text",
        "text": "zendesk",
        "marks": [{"type": "link", "attrs": {"href": "https://z.io/t/1"}}],
    }


def test_plain_text_stays_one_paragraph_per_line_and_bad_links_stay_text() -> None:
    doc = markdown_to_adf("first\n\nsecond [x](javascript:alert(1))")
    assert adf_problems(doc) == []
    assert [n["content"][0]["text"] for n in doc["content"]] == ["first", "second [x](javascript:alert(1))"]
    assert adf_problems({"type": "doc", "version": 1, "content": [{"type": "text", "text": "x"}]})  # the check bites
