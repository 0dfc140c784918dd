"""Buttons, modals, App Home and the other slash subcommands, through the real endpoint."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from groundswell.messaging.ids import (
    ACTION_CREATE_TICKET,
    ACTION_FEEDBACK_DOWN,
    ACTION_FEEDBACK_UP,
    ACTION_PROPOSAL_ACCEPT,
    ACTION_SHOW_SOURCES,
    ACTION_SOURCES_PAGE,
    VIEW_TICKET,
    TicketField,
)
from groundswell.storage.db import session_scope
from groundswell.storage.models import TicketDraftRow
from groundswell.storage.slack import list_feedback, list_subscriptions
from groundswell.storage.taxonomy import add_proposal, get_taxonomy, save_taxonomy
from sqlmodel import select

from tests.bot.conftest import ADMIN, CHANNEL, USER


def _answered(workspace):
    workspace.send(workspace.sim.mention("what are enterprise customers saying about SSO?", user=USER, channel=CHANNEL))
    return workspace.last_message()


def _click(workspace, message, prefix, *, user=USER, wait=True, ephemeral=False):
    element, block_id = workspace.button(message.blocks, prefix)
    payload = {"ts": message.ts, "text": message.text, "blocks": message.blocks, "thread_ts": message.thread_ts}
    request = workspace.sim.block_action(element, user=user, channel=CHANNEL, message=payload, block_id=block_id,
                                         ephemeral=ephemeral)  # fmt: skip
    return workspace.send(request, wait=wait)


def test_create_ticket_opens_a_prefilled_modal_and_submitting_stores_one_draft(workspace):
    message = _answered(workspace)
    _click(workspace, message, ACTION_CREATE_TICKET)
    opened = workspace.fake.calls_to("views.open")
    assert len(opened) == 1
    view = opened[0].args["view"]
    assert view["callback_id"] == VIEW_TICKET
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert inputs[TicketField.TITLE]["initial_value"] == "SSO login problems lead enterprise feedback"
    description = inputs[TicketField.DESCRIPTION]["initial_value"]
    assert "> “SSO login keeps failing after the update, attempt 1.”" in description  # quotes as quotes
    assert "[1]" not in description and "(142 mentions" not in description  # not the Slack text
    assert inputs[TicketField.OWNER]["initial_user"] == "U0IDLEAD"  # the theme's owning team, from settings
    assert [o["value"] for o in inputs[TicketField.TRACKER]["options"]] == ["local", "jira"]

    submission = workspace.sim.view_submission(view, user=USER, overrides={TicketField.PROJECT: "AUTH"})
    assert workspace.send(submission).status_code == 200
    workspace.send(submission)  # Slack delivering the same submission again
    with session_scope(workspace.engine) as session:
        rows = list(session.exec(select(TicketDraftRow)))
    assert len(rows) == 1
    draft = rows[0].draft
    assert (
        draft["project"] == "AUTH" and draft["theme_key"] == "auth.sso_login" and draft["owner_slack_id"] == "U0IDLEAD"
    )
    assert draft["evidence_unit_ids"][:2] == ["u-1", "u-2"] and draft["requested_by"] == USER
    confirmations = [m for m in workspace.fake.messages(CHANNEL) if "created GS-" in m.text]
    assert len(confirmations) == 1 and confirmations[0].thread_ts == message.thread_ts


def test_double_clicked_create_ticket_never_makes_two_tickets(workspace):
    message = _answered(workspace)
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda _: _click(workspace, message, ACTION_CREATE_TICKET, wait=False), range(2)))
    workspace.deps.executor.wait_idle()
    opened = workspace.fake.calls_to("views.open")
    assert len(opened) == 1
    view = opened[0].args["view"]
    with ThreadPoolExecutor(2) as pool:  # and two submissions racing (two modals, the same ticket)
        list(pool.map(lambda _: workspace.send(workspace.sim.view_submission(view, user=USER), wait=False), range(2)))
    workspace.deps.executor.wait_idle()
    with session_scope(workspace.engine) as session:
        assert len(list(session.exec(select(TicketDraftRow)))) == 1


def test_ticket_without_title_is_refused_in_the_modal(workspace):
    message = _answered(workspace)
    _click(workspace, message, ACTION_CREATE_TICKET)
    view = workspace.fake.calls_to("views.open")[0].args["view"]
    response = workspace.send(workspace.sim.view_submission(view, user=USER, overrides={TicketField.TITLE: "  "}))
    assert response.json() == {"response_action": "errors", "errors": {TicketField.TITLE: "A ticket needs a title."}}


def test_thumbs_are_stored_for_evals(workspace):
    message = _answered(workspace)
    _click(workspace, message, ACTION_FEEDBACK_DOWN)
    _click(workspace, message, ACTION_FEEDBACK_UP)  # changed their mind: the latest click wins
    _click(workspace, message, ACTION_FEEDBACK_UP, user=ADMIN)
    with session_scope(workspace.engine) as session:
        feedback = list_feedback(session=session)
    assert sorted((f.user_id, f.rating) for f in feedback) == [(ADMIN, 1), (USER, 1)]
    assert all(f.question == "what are enterprise customers saying about SSO?" for f in feedback)
    assert len(workspace.fake.calls_to("response_url")) == 3


def test_show_sources_is_ephemeral_and_paginated(workspace):
    message = _answered(workspace)
    _click(workspace, message, ACTION_SHOW_SOURCES)
    ephemeral = workspace.fake.calls_to("chat.postEphemeral")
    assert len(ephemeral) == 1 and ephemeral[0].args["user"] == USER
    page = workspace.fake.messages(CHANNEL)[-1]
    assert page.ephemeral_to == USER and "page 1 of 2" in json.dumps(page.blocks)
    _click(workspace, page, ACTION_SOURCES_PAGE, ephemeral=True)
    replaced = workspace.fake.calls_to("response_url")[-1].args
    assert replaced["replace_original"] is True and "page 2 of 2" in json.dumps(replaced["blocks"])


def test_app_home_is_published_with_admin_sections_for_admins(workspace):
    _answered(workspace)
    workspace.send(workspace.sim.home_opened(user=USER))
    member_view = workspace.fake.calls_to("views.publish")[-1].args
    assert member_view["user_id"] == USER
    text = json.dumps(member_view["view"])
    assert "SSO login problems lead enterprise feedback" in text and "Source health" not in text
    workspace.send(workspace.sim.home_opened(user=ADMIN))
    admin_text = json.dumps(workspace.fake.calls_to("views.publish")[-1].args["view"])
    assert "Source health" in admin_text and "Taxonomy review queue" in admin_text


def test_admin_accepts_a_discovered_theme_from_app_home(workspace):
    from groundswell.core.taxonomy import Taxonomy, ThemeDef

    with session_scope(workspace.engine) as session:
        save_taxonomy(session=session, taxonomy=Taxonomy(version=0, themes=(ThemeDef(key="auth", name="Auth"),)))
        proposal = add_proposal(session=session, name="Dark mode", size=12, examples=["please add a dark mode"],
                                taxonomy_version=1)  # fmt: skip
    workspace.send(workspace.sim.home_opened(user=ADMIN))
    home = workspace.fake.calls_to("views.publish")[-1].args["view"]
    element, block_id = workspace.button(home["blocks"], f"{ACTION_PROPOSAL_ACCEPT}:{proposal.id}")
    workspace.send(workspace.sim.block_action(element, user=ADMIN, channel="", view=home, block_id=block_id))
    with session_scope(workspace.engine) as session:
        taxonomy = get_taxonomy(session=session)
    assert taxonomy.version == 2 and any(t.name == "Dark mode" for t in taxonomy.themes)
    assert "Dark mode" not in json.dumps(workspace.fake.calls_to("views.publish")[-1].args["view"])


def test_members_cannot_decide_review_proposals(workspace):
    workspace.send(workspace.sim.home_opened(user=ADMIN))
    home = workspace.fake.calls_to("views.publish")[-1].args["view"]
    element = {
        "type": "button",
        "action_id": f"{ACTION_PROPOSAL_ACCEPT}:1",
        "value": "1",
        "text": {"type": "plain_text", "text": "Accept"},
    }
    workspace.send(workspace.sim.block_action(element, user=USER, channel="", view=home))
    last = workspace.fake.messages()[-1]
    assert "Only admins" in json.dumps(last.blocks)


def test_subscribe_unsubscribe_and_digest_now(workspace):
    workspace.send(workspace.sim.command("subscribe Enterprise <#C0ALERTS|alerts>", user=USER, channel=CHANNEL))
    workspace.send(workspace.sim.command("subscribe Enterprise <#C0ALERTS|alerts>", user=USER, channel=CHANNEL))
    with session_scope(workspace.engine) as session:
        subs = list_subscriptions(session=session, user_id=USER)
    assert [(s.kind, s.value, s.channel_id) for s in subs] == [("segment", "Enterprise", "C0ALERTS")]
    hooks = workspace.fake.calls_to("response_url")
    assert "Subscribed" in hooks[0].args["text"] and "already" in hooks[1].args["text"]
    workspace.send(workspace.sim.command("unsubscribe <#C0ALERTS>", user=USER, channel=CHANNEL))
    with session_scope(workspace.engine) as session:
        assert list_subscriptions(session=session, user_id=USER) == []
    workspace.send(workspace.sim.command("digest now", user=USER, channel=CHANNEL))
    assert "not set up" in workspace.fake.calls_to("response_url")[-1].args["text"]


def test_channel_settings_make_answers_ephemeral_and_scope_the_segment(workspace):
    workspace.send(workspace.sim.command("channel answers ephemeral segment Enterprise", user=USER, channel=CHANNEL))
    assert "Only admins" in workspace.fake.calls_to("response_url")[-1].args["text"]
    workspace.send(workspace.sim.command("channel answers ephemeral segment Enterprise", user=ADMIN, channel=CHANNEL))
    assert "answers ephemeral" in workspace.fake.calls_to("response_url")[-1].args["text"]
    workspace.send(workspace.sim.command("themes last 30 days", user=USER, channel=CHANNEL))
    question, viewer, _ = workspace.asker.calls[-1]
    assert question == "top themes last 30 days" and viewer.segments == frozenset({"Enterprise"})
    assert workspace.fake.calls_to("chat.postMessage") == []  # ephemeral: through the response_url only
    final = workspace.fake.calls_to("response_url")[-1].args
    assert final["replace_original"] is True and "Authentication &gt; SSO login" in json.dumps(final["blocks"])


def test_admin_renames_then_accepts_and_merges_proposals_through_modals(workspace):
    from groundswell.core.taxonomy import Taxonomy, ThemeDef
    from groundswell.messaging.ids import ACTION_PROPOSAL_MERGE, ACTION_PROPOSAL_RENAME, PROPOSAL_VALUE_FIELD
    from groundswell.storage.taxonomy import list_proposals

    with session_scope(workspace.engine) as session:
        save_taxonomy(session=session, taxonomy=Taxonomy(version=0, themes=(ThemeDef(key="auth", name="Auth"),)))
        rename = add_proposal(session=session, name="dark mode theme", size=9, taxonomy_version=1)
        merge = add_proposal(session=session, name="login trouble", size=5, taxonomy_version=1)
    for proposal, prefix, value in (
        (rename, ACTION_PROPOSAL_RENAME, "Dark mode"),
        (merge, ACTION_PROPOSAL_MERGE, "auth"),
    ):
        workspace.send(workspace.sim.home_opened(user=ADMIN))
        home = workspace.fake.calls_to("views.publish")[-1].args["view"]
        element, block_id = workspace.button(home["blocks"], f"{prefix}:{proposal.id}")
        workspace.send(workspace.sim.block_action(element, user=ADMIN, channel="", view=home, block_id=block_id))
        modal = workspace.fake.calls_to("views.open")[-1].args["view"]
        workspace.send(workspace.sim.view_submission(modal, user=ADMIN, overrides={PROPOSAL_VALUE_FIELD: value}))
    with session_scope(workspace.engine) as session:
        taxonomy = get_taxonomy(session=session)
        decided = {p.name: p.theme_key for p in list_proposals(session=session, status="accepted")}
    assert any(t.name == "Dark mode" for t in taxonomy.themes) and decided["login trouble"] == "auth"
