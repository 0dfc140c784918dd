"""Ticket descriptions from answers: Markdown for the tracker with the exact figures, and "no significant change"."""

from __future__ import annotations

from groundswell.core.answer import CitedQuote
from groundswell.graph.ticket_text import markdown_link, no_significant_change, ticket_description

from tests.bot.answers import AS_OF, comparison_answer, ranking_answer


def test_a_ranking_becomes_summary_figures_quotes_and_a_link_back() -> None:
    text = ticket_description(ranking_answer("what about SSO?"), answer_url="https://x.slack.com/archives/C1/p1")
    lines = text.splitlines()
    assert lines[0] == "SSO login problems lead enterprise feedback" and lines[2] == "**Figures**"
    assert "- Authentication > SSO login: 142, change +38, ARR $1,250,000, 31 accounts" in lines
    assert "- Window: last 30 days (2026-10-21 to 2026-11-19)" in lines and "- Taxonomy version: 3" in lines
    assert "- Filters: none" in lines
    assert "> “SSO login keeps failing after the update, attempt 1.”" in lines
    assert "> — [zendesk, 2026-11-19, Acme Corp](https://brightloop.zendesk.com/agent/tickets/1000)" in lines
    assert text.count("> “") == 3  # the top quotes, not all seven
    assert (
        lines[-1]
        == "Asked in Slack: “what about SSO?” · [View the answer in Slack](https://x.slack.com/archives/C1/p1)"
    )
    assert "(142 mentions" not in text  # the Slack prose is not copied


def test_no_significant_change_is_read_from_the_comparison_result() -> None:
    assert no_significant_change(comparison_answer("q", p_value=0.42)) == 0.42
    assert no_significant_change(comparison_answer("q", p_value=0.049)) is None
    assert no_significant_change(ranking_answer("q")) is None
    text = ticket_description(comparison_answer("q", p_value=0.42))
    assert "within normal variation (p = 0.42): not a significant change." in text.splitlines()[0]
    assert "- Compared with: the 30 days before (2026-09-21 to 2026-10-20)" in text
    assert "View the answer in Slack" not in text  # no link when Slack gave none


def test_data_cannot_inject_markdown_or_links() -> None:
    answer = ranking_answer("q", quotes=1)
    evil = CitedQuote(n=1, unit_id="u", text="click [here](https://evil.example) *now*", source="forum",
                      created_at=AS_OF, url="javascript:alert(1)")  # fmt: skip
    text = ticket_description(answer.model_copy(update={"citations": [evil]}))
    assert r"\[here\](https://evil.example) \*now\*" in text and "javascript:" not in text
    assert markdown_link("a (b)", "https://x.io/p (1)") == "[a (b)](https://x.io/p%20%281%29)"
