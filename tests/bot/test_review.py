"""Label review from Slack through the real endpoint: the App Home queue and the sources page's modal."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from groundswell.bot.simulate import view_state
from groundswell.messaging.blockkit import MAX_VIEW_BLOCKS, validate_view
from groundswell.messaging.ids import (
    ACTION_REVIEW_CONFIRM,
    ACTION_REVIEW_INTENT,
    ACTION_REVIEW_OPEN,
    ACTION_REVIEW_SENTIMENT,
    ACTION_REVIEW_SKIP,
    ACTION_REVIEW_THEME,
    ACTION_SHOW_SOURCES,
    ReviewField,
)
from groundswell.storage.audit import list_audit_events
from groundswell.storage.db import session_scope
from groundswell.storage.models import Classification, ReviewLabel
from sqlmodel import select

from tests.bot.conftest import ADMIN, CHANNEL, USER, Workspace, make_settings, open_workspace
from tests.bot.review_data import GONG_UNIT, HOSTILE, REVIEWER, review_roles, seed_review
from tests.fakes.slack_api import SpecCheckedSlack


@pytest.fixture
def reviewing(slack_api: SpecCheckedSlack, engine, tmp_path) -> Iterator[Workspace]:
    seed_review(engine)
    settings = make_settings(slack_api, data_dir=tmp_path, **review_roles())
    with open_workspace(slack_api, engine, tmp_path, settings=settings) as opened:
        yield opened


def _home(ws: Workspace, user: str) -> dict[str, Any]:
    ws.send(ws.sim.home_opened(user=user))
    publish = ws.fake.calls_to("views.publish")[-1].args
    assert publish["user_id"] == user
    return publish["view"]


def _action_ids(view: dict[str, Any]) -> list[str]:
    return [str(e.get("action_id")) for b in view["blocks"] for e in b.get("elements", [])]


def _labels(ws: Workspace) -> list[ReviewLabel]:
    with session_scope(ws.engine) as session:
        return list(session.exec(select(ReviewLabel).order_by(ReviewLabel.id)))


def _click(ws: Workspace, view: dict[str, Any], prefix: str, *, user: str, picks: dict[str, str] | None = None) -> None:
    element, block_id = ws.button(view["blocks"], prefix)
    state = view_state(view, picks)
    ws.send(ws.sim.block_action(element, user=user, channel="", view=view, block_id=block_id, state=state))


def test_reviewers_get_the_queue_in_their_scope_with_controls_and_members_do_not(reviewing: Workspace) -> None:
    view = _home(reviewing, REVIEWER)
    assert validate_view(view) == [] and len(view["blocks"]) <= MAX_VIEW_BLOCKS
    text = json.dumps(view)
    assert "Units to review" in text and "7 flagged in your scope" in text
    ids = _action_ids(view)
    assert f"{ACTION_REVIEW_CONFIRM}:u-1" in ids and f"{ACTION_REVIEW_SENTIMENT}:positive:u-1" in ids
    assert f"{ACTION_REVIEW_THEME}:u-1" in ids and f"{ACTION_REVIEW_INTENT}:u-1" in ids
    assert f"{ACTION_REVIEW_CONFIRM}:u-6" not in ids  # one page: 5 units, lowest confidence first
    assert GONG_UNIT not in text  # outside the reviewer's sources
    assert "&lt;!channel&gt;" in text and "<!channel>" not in text and "<https://evil" not in text
    assert f"{ACTION_REVIEW_CONFIRM}:{GONG_UNIT}" in _action_ids(_home(reviewing, ADMIN))  # admins see every source
    member = _home(reviewing, USER)
    assert "Units to review" not in json.dumps(member)
    assert not [a for a in _action_ids(member) if a.startswith("gs_review")]


def test_a_sentiment_click_records_the_selected_labels_once_and_refreshes_the_queue(reviewing: Workspace) -> None:
    view = _home(reviewing, REVIEWER)
    picks = {f"{ACTION_REVIEW_THEME}:u-1": "auth.mfa", f"{ACTION_REVIEW_INTENT}:u-1": "praise"}
    _click(reviewing, view, f"{ACTION_REVIEW_SENTIMENT}:positive:u-1", user=REVIEWER, picks=picks)
    _click(reviewing, view, f"{ACTION_REVIEW_SENTIMENT}:positive:u-1", user=REVIEWER, picks=picks)  # double click
    labels = _labels(reviewing)
    assert [(x.unit_id, x.theme_key, x.sentiment, x.intent, x.reviewer) for x in labels] == [
        ("u-1", "auth.mfa", "positive", "praise", f"slack:{REVIEWER}")
    ]
    with session_scope(reviewing.engine) as session:
        row = session.get(Classification, ("u-1", 1))
        audits = list_audit_events(session=session, action="review.label")
    assert row is not None and (row.subtheme_key, row.sentiment, row.needs_review) == ("auth.mfa", "positive", False)
    assert [(a.target, a.details["via"], a.details["theme_key"]) for a in audits] == [("u-1", "slack.home", "auth.mfa")]
    refreshed = reviewing.fake.calls_to("views.publish")[-1].args["view"]
    assert f"{ACTION_REVIEW_CONFIRM}:u-1" not in _action_ids(refreshed)
    assert f"{ACTION_REVIEW_CONFIRM}:u-6" in _action_ids(refreshed) and "6 flagged" in json.dumps(refreshed)


def test_confirm_records_the_labels_as_shown_and_other_means_no_theme(reviewing: Workspace) -> None:
    view = _home(reviewing, REVIEWER)
    _click(reviewing, view, f"{ACTION_REVIEW_CONFIRM}:u-2", user=REVIEWER)
    other = {f"{ACTION_REVIEW_THEME}:u-3": "other"}
    _click(reviewing, view, f"{ACTION_REVIEW_CONFIRM}:u-3", user=REVIEWER, picks=other)
    assert [(x.unit_id, x.theme_key, x.sentiment, x.intent) for x in _labels(reviewing)] == [
        ("u-2", "export.csv", "negative", "complaint"),
        ("u-3", None, "negative", "complaint"),
    ]


def test_skip_hides_a_unit_without_recording_anything(reviewing: Workspace) -> None:
    view = _home(reviewing, REVIEWER)
    _click(reviewing, view, f"{ACTION_REVIEW_SKIP}:u-1", user=REVIEWER)
    refreshed = reviewing.fake.calls_to("views.publish")[-1].args["view"]
    assert f"{ACTION_REVIEW_CONFIRM}:u-1" not in _action_ids(refreshed) and _labels(reviewing) == []
    assert f"{ACTION_REVIEW_CONFIRM}:u-1" in _action_ids(_home(reviewing, ADMIN))  # only that reviewer skipped it


def test_a_members_click_and_a_click_outside_the_scope_are_refused(reviewing: Workspace) -> None:
    view = _home(reviewing, ADMIN)
    _click(reviewing, view, f"{ACTION_REVIEW_CONFIRM}:u-1", user=USER)
    assert "Only reviewers" in json.dumps(reviewing.fake.messages()[-1].blocks)
    _click(reviewing, view, f"{ACTION_REVIEW_CONFIRM}:{GONG_UNIT}", user=REVIEWER)  # the admin's view, forged
    assert "outside your scope" in json.dumps(reviewing.fake.messages()[-1].blocks)
    assert _labels(reviewing) == []


def _sources(ws: Workspace, user: str) -> Any:
    ws.send(ws.sim.mention("what are enterprise customers saying about SSO?", user=user, channel=CHANNEL))
    message = ws.last_message()
    element, block_id = ws.button(message.blocks, ACTION_SHOW_SOURCES)
    payload = {"ts": message.ts, "text": message.text, "blocks": message.blocks}
    ws.send(ws.sim.block_action(element, user=user, channel=CHANNEL, message=payload, block_id=block_id))
    return ws.fake.messages(CHANNEL)[-1]


def _overflow(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [b["accessory"] for b in blocks if b.get("accessory", {}).get("type") == "overflow"]


def test_the_sources_page_opens_a_review_modal_whose_submission_records_once(reviewing: Workspace) -> None:
    page = _sources(reviewing, REVIEWER)
    menus = _overflow(page.blocks)
    assert [m["options"][0]["value"] for m in menus] == ["u-1", "u-2", "u-3", "u-4", "u-5"]
    assert menus[0]["action_id"].startswith(ACTION_REVIEW_OPEN)
    request = reviewing.sim.block_action(menus[1], user=REVIEWER, channel=CHANNEL, selected="u-2",
                                         message={"blocks": page.blocks}, ephemeral=True)  # fmt: skip
    reviewing.send(request)
    modal = reviewing.fake.calls_to("views.open")[-1].args["view"]
    assert validate_view(modal) == [] and HOSTILE not in json.dumps(modal)
    picks = {ReviewField.THEME: "auth.sso", ReviewField.SENTIMENT: "neutral", ReviewField.INTENT: "question"}
    reviewing.send(reviewing.sim.view_submission(modal, user=REVIEWER, overrides=picks))
    reviewing.send(reviewing.sim.view_submission(modal, user=REVIEWER, overrides=picks))  # resubmitted
    assert [(x.unit_id, x.theme_key, x.sentiment, x.intent) for x in _labels(reviewing)] == [
        ("u-2", "auth.sso", "neutral", "question")
    ]
    with session_scope(reviewing.engine) as session:
        assert list_audit_events(session=session, action="review.label")[0].details["via"] == "slack.sources"


def test_members_get_no_review_menu_and_cannot_submit_the_modal(reviewing: Workspace) -> None:
    assert _overflow(_sources(reviewing, USER).blocks) == []
    page = _sources(reviewing, ADMIN)
    reviewing.send(reviewing.sim.block_action(_overflow(page.blocks)[0], user=ADMIN, channel=CHANNEL, selected="u-1",
                                              message={"blocks": page.blocks}, ephemeral=True))  # fmt: skip
    modal = reviewing.fake.calls_to("views.open")[-1].args["view"]
    response = reviewing.send(reviewing.sim.view_submission(modal, user=USER))
    assert response.json()["response_action"] == "errors" and "Only reviewers" in json.dumps(response.json())
    assert _labels(reviewing) == []


def test_a_unit_labelled_with_a_parent_theme_needs_a_leaf_picked(reviewing: Workspace) -> None:
    with session_scope(reviewing.engine) as session:
        row = session.get(Classification, ("u-1", 1))
        assert row is not None
        row.subtheme_key = None
        session.add(row)
    view = _home(reviewing, REVIEWER)
    theme = reviewing.button(view["blocks"], f"{ACTION_REVIEW_THEME}:u-1")[0]
    assert "initial_option" not in theme and "export" not in [o["value"] for o in theme["options"]]
    _click(reviewing, view, f"{ACTION_REVIEW_CONFIRM}:u-1", user=REVIEWER)
    assert "leaf theme" in json.dumps(reviewing.fake.messages()[-1].blocks) and _labels(reviewing) == []
    _click(
        reviewing, view, f"{ACTION_REVIEW_CONFIRM}:u-1", user=REVIEWER, picks={f"{ACTION_REVIEW_THEME}:u-1": "auth.sso"}
    )
    assert [(x.unit_id, x.theme_key) for x in _labels(reviewing)] == [("u-1", "auth.sso")]


def test_racing_clicks_and_slack_retries_record_one_label(reviewing: Workspace) -> None:
    from concurrent.futures import ThreadPoolExecutor

    view = _home(reviewing, REVIEWER)
    element, block_id = reviewing.button(view["blocks"], f"{ACTION_REVIEW_SENTIMENT}:neutral:u-4")
    request = reviewing.sim.block_action(element, user=REVIEWER, channel="", view=view, block_id=block_id,
                                         state=view_state(view))  # fmt: skip
    retried = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda h: reviewing.send(request, headers=h, wait=False), [{}, {}, retried]))
    assert reviewing.deps.executor.wait_idle(20)
    assert [(x.unit_id, x.sentiment) for x in _labels(reviewing)] == [("u-4", "neutral")]
