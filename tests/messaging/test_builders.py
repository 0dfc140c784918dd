"""Answer, sources, themes, help, errors, modals and App Home: pure builders, always valid Block Kit."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from groundswell.core.answer import Answer
from groundswell.core.query import QueryPlan
from groundswell.messaging.answer import (
    answer_blocks,
    context_line,
    sources_blocks,
    table_text,
    themes_blocks,
    working_blocks,
)
from groundswell.messaging.blockkit import validate_blocks, validate_view
from groundswell.messaging.home import HomeData, ProposalLine, QualityLine, RecentLine, SourceLine, home_view
from groundswell.messaging.ids import (
    ACTION_CREATE_TICKET,
    ACTION_FEEDBACK_DOWN,
    ACTION_FEEDBACK_UP,
    ACTION_SHOW_SOURCES,
    ACTION_SOURCES_PAGE,
    TicketField,
)
from groundswell.messaging.modals import (
    draft_from_answer,
    owner_team_of,
    proposal_edit_modal,
    theme_key_of,
    ticket_modal,
)
from groundswell.messaging.notices import error_blocks, help_blocks, notice_blocks
from groundswell.messaging.plaintext import blocks_to_text

from tests.bot.answers import AS_OF, ranking_answer

NOW = AS_OF + timedelta(hours=1)


def _action_ids(blocks):
    return [e["action_id"] for b in blocks for e in b.get("elements", []) if "action_id" in e]


def test_answer_message_has_headline_numbers_quotes_context_and_buttons():
    answer = ranking_answer("what are enterprise customers saying about SSO?")
    blocks = answer_blocks(answer, answer_id="a1", now=NOW)
    assert validate_blocks(blocks) == []
    assert blocks[0] == {"type": "header", "text": {"type": "plain_text", "text": answer.headline, "emoji": True}}
    text = json.dumps(blocks, ensure_ascii=False)
    assert "Authentication &gt; SSO login" in text and "142" in text and "(+38)" in text and "█" in text
    assert "<https://brightloop.zendesk.com/agent/tickets/1000|[1] zendesk · Acme Corp · Enterprise" in text
    assert "More sources" in text and "[7]" in text  # quotes beyond the first three are still linked
    line = blocks[-2]["elements"][0]["text"]
    assert "*last 30 days*: 21 Oct 2026 – 20 Nov 2026" in line and "data as of 3h ago" in line
    assert "taxonomy v3" in line and "stale: gong" in line
    assert _action_ids(blocks) == [ACTION_SHOW_SOURCES, ACTION_CREATE_TICKET, ACTION_FEEDBACK_UP, ACTION_FEEDBACK_DOWN]
    assert {e["value"] for e in blocks[-1]["elements"]} == {"a1"}


def test_long_and_hostile_answers_stay_valid_and_escaped():
    answer = ranking_answer("q", quotes=40).model_copy(update={"text": "<!channel> & " + "x" * 5000})
    blocks = answer_blocks(answer, answer_id="a" * 16, now=NOW)
    assert validate_blocks(blocks) == [] and len(blocks) <= 50
    assert "<!channel>" not in json.dumps(blocks) and "&lt;!channel&gt; &amp;" in json.dumps(blocks)


def test_clarification_and_template_answers():
    plan = QueryPlan(kind="clarify", as_of=AS_OF, clarification="Which segment?")
    clarify = Answer(question="q", text="", headline="", plan=plan, clarification="Which segment do you mean?")
    blocks = answer_blocks(clarify, answer_id="a", now=NOW)
    assert validate_blocks(blocks) == [] and "Which segment do you mean?" in json.dumps(blocks)
    assert _action_ids(blocks) == [] and "no data window" in json.dumps(blocks)
    fallback = ranking_answer("q").model_copy(update={"verified": False, "citations": []})
    blocks = answer_blocks(fallback, answer_id="a", now=NOW)
    assert "template" in json.dumps(blocks) and ACTION_SHOW_SOURCES not in _action_ids(blocks)


def test_sources_pages():
    answer = ranking_answer("q", quotes=12)
    first = sources_blocks(answer, answer_id="a1", page=1)
    last = sources_blocks(answer, answer_id="a1", page=3)
    for blocks in (first, last, sources_blocks(answer, answer_id="a1", page=99)):
        assert validate_blocks(blocks) == []
    assert "page 1 of 3" in json.dumps(first) and _action_ids(first) == [f"{ACTION_SOURCES_PAGE}:next"]
    assert first[-1]["elements"][0]["value"] == "a1:2"
    assert _action_ids(last) == [f"{ACTION_SOURCES_PAGE}:prev"] and "u-11" in json.dumps(last)
    empty = sources_blocks(ranking_answer("q", quotes=0), answer_id="a", page=1)
    assert "aggregate" in json.dumps(empty) and _action_ids(empty) == []


def test_themes_table_and_working_status():
    blocks = themes_blocks(ranking_answer("top themes"), answer_id="t", now=NOW)
    assert validate_blocks(blocks) == []
    assert "1. *Authentication &gt; SSO login* — 142  (+38) · ARR 1,250,000" in json.dumps(blocks, ensure_ascii=False)
    assert validate_blocks(working_blocks("x" * 5000)) == []
    table = table_text(ranking_answer("q").results[0].rows)
    assert table.startswith("```") and table.count("\n") == 2


def test_context_line_without_data():
    answer = ranking_answer("q").model_copy(update={"freshness": {"zendesk": None}, "stale_sources": []})
    assert "never synced" in context_line(answer, now=NOW)


def test_help_errors_notices():
    for blocks in (help_blocks("/gs", intro="I didn't understand “x”."), error_blocks("Bad", "Do this"),
                   notice_blocks("Done", detail="more")):  # fmt: skip
        assert validate_blocks(blocks) == []
    assert "`/gs ask <question>`" in json.dumps(help_blocks("/gs"))
    assert "*What to do:* Do this" in json.dumps(error_blocks("Bad", "Do this"))


def test_ticket_modal_is_prefilled_from_the_answer():
    answer = ranking_answer("what about SSO?")
    assert theme_key_of(answer) == "auth.sso_login" and owner_team_of(answer) == "identity"
    draft = draft_from_answer(answer, answer_id="a1", thread_id="T:C:1.2", owner_slack_id="U9", description="d")
    assert draft.evidence_unit_ids[:3] == ["u-1", "u-2", "u-3"] and draft.description == "d"
    view = ticket_modal(draft, trackers=["local", "linear"], private_metadata="{}")
    assert validate_view(view) == []
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert inputs[TicketField.OWNER] == {"type": "users_select", "action_id": TicketField.OWNER, "initial_user": "U9"}
    assert inputs[TicketField.TRACKER]["initial_option"]["value"] == "local" and TicketField.CONFIRM not in inputs
    confirming = ticket_modal(draft, trackers=["local"], private_metadata="{}", confirm="No significant change <!here>")
    assert validate_view(confirming) == []
    box = next(b for b in confirming["blocks"] if b.get("block_id") == TicketField.CONFIRM)
    assert box["element"]["type"] == "checkboxes" and not box.get("optional")  # Slack requires the tick
    assert "&lt;!here&gt;" in confirming["blocks"][0]["text"]["text"]  # the statement is escaped mrkdwn
    assert validate_view(proposal_edit_modal(mode="merge", proposal_id=3, name="Dark mode")) == []


def test_app_home_for_members_and_admins():
    recent = [RecentLine(question=f"q{i}", headline=f"h{i}", at=datetime(2026, 11, 1, tzinfo=UTC)) for i in range(20)]
    member = home_view(HomeData(user_id="U1", subscriptions=["segment Enterprise in <#C1>"], recent=recent))
    assert validate_view(member) == [] and "Source health" not in json.dumps(member)
    admin = home_view(HomeData(
        user_id="U1", is_admin=True, recent=recent,
        sources=[SourceLine(name="zendesk", units=10, last_error="401 Unauthorized"),
                 SourceLine(name="gong", stale=True)],
        proposals=[ProposalLine(id=i, name=f"Theme {i}", size=i, examples=["an example"]) for i in range(15)],
        quality=QualityLine(classified=100, needs_review=8, labelled=5, taxonomy_version=2),
    ))  # fmt: skip
    assert validate_view(admin) == []
    text = json.dumps(admin)
    assert ":red_circle: *zendesk*" in text and "8 flagged for review (8%)" in text and "and 5 more" in text
    assert len(set(_action_ids(admin["blocks"]))) == 30  # accept/rename/merge for the 10 shown


def test_plain_text_rendering_numbers_buttons():
    lines, choices = blocks_to_text(answer_blocks(ranking_answer("q"), answer_id="a", now=NOW), first_choice=3)
    assert lines[0] == "SSO LOGIN PROBLEMS LEAD ENTERPRISE FEEDBACK"
    assert "[3] Show sources  [4] Create ticket  [5] 👍  [6] 👎" in lines
    assert [c[1]["action_id"] for c in choices][:2] == [ACTION_SHOW_SOURCES, ACTION_CREATE_TICKET]


def test_a_composed_text_with_table_quotes_and_footer_is_not_repeated():
    composed = (
        "Top 5 by signals:\n```\n 1. Dashboards > Slow loading   7  [4]\n```\n\n> “It is slow.” [1]\n\n"
        "Window: last 30 days (2026-10-21 to 2026-11-19) · Filters: none\nThemes: taxonomy v1 · Data as of: x\n"
        "Sources:\n[1] zendesk · 2026-11-19"
    )
    answer = ranking_answer("top themes?").model_copy(update={"text": composed})
    blocks = answer_blocks(answer, answer_id="a", now=NOW)
    text = json.dumps(blocks, ensure_ascii=False)
    assert validate_blocks(blocks) == []
    assert text.count("```") == 2 and "█" not in text  # the composer's table, not a second one
    assert "Window: last 30 days (2026" not in text and "Sources: <https://" in text  # footer becomes links/context
    assert sum(1 for b in blocks if b["type"] == "section" and b["text"]["text"].startswith("> ")) == 0
    assert "\n> “It is slow.” [1]" in blocks[1]["text"]["text"]  # quotes stay quotes
    assert "Dashboards &gt; Slow" in text


def test_the_duplicate_ticket_offer_shows_keys_and_status_but_not_another_teams_title():
    from groundswell.core.tickets import Ticket
    from groundswell.messaging.alerts import existing_ticket_blocks

    other = Ticket(tracker="jira", key="ENT-7", url="https://jira.example/ENT-7", title="Enterprise ARR $4.2M at risk")
    blocks = existing_ticket_blocks([other], submission_key="k")
    text = blocks[0]["text"]["text"]
    assert "ENT-7" in text and "(open)" in text
    assert "Enterprise" not in text and "4.2M" not in str(blocks)
