"""Modals: "Create ticket" (prefilled from an answer) and rename/merge of a discovered theme. Pure functions."""

from __future__ import annotations

from groundswell.core.answer import Answer
from groundswell.core.protocols import TicketDraft
from groundswell.messaging.blockkit import Block, escape, plain, section, truncate
from groundswell.messaging.ids import PROPOSAL_VALUE_FIELD, VIEW_PROPOSAL_EDIT, VIEW_TICKET, TicketField

__all__ = ["CONFIRM_VALUE", "draft_from_answer", "owner_team_of", "proposal_edit_modal", "theme_key_of", "ticket_modal"]

DESCRIPTION_CHARS = 2900
CONFIRM_OPTION = "I understand, file the ticket anyway"
CONFIRM_VALUE = "file-without-significant-change"
TRACKER_LABELS = {"local": "Local (stored in Groundswell)", "jira": "Jira", "linear": "Linear"}


def theme_key_of(answer: Answer) -> str | None:
    """The theme the answer is most about: the plan's theme filter, else the top row, else the first quote's."""
    if answer.plan.filters.themes:
        return answer.plan.filters.themes[0]
    if answer.plan.group_by in {"theme", "parent_theme"}:
        for result in answer.results:
            if result.rows:
                return result.rows[0].key
    return next((q.theme for q in answer.citations if q.theme), None)


def owner_team_of(answer: Answer) -> str | None:
    """The owning team of the answer's theme, when the tools reported one."""
    key = theme_key_of(answer)
    for result in answer.results:
        for row in result.rows:
            if row.key == key and row.extra.get("owner_team"):
                return str(row.extra["owner_team"])
    return None


def draft_from_answer(
    answer: Answer,
    *,
    answer_id: str,
    thread_id: str | None,
    description: str,
    owner_slack_id: str | None = None,
    tracker: str = "local",
) -> TicketDraft:
    """A ticket draft prefilled from an answer: its headline, evidence and ``description`` (written for the
    tracker by :func:`graph.ticket_text.ticket_description`, never the Slack text)."""
    units = [q.unit_id for q in answer.citations]
    for result in answer.results:
        units += [u for u in result.unit_ids if u not in units]
    return TicketDraft(
        title=truncate(answer.headline or answer.question, 150),
        description=truncate(description, DESCRIPTION_CHARS),
        tracker=tracker,
        owner_slack_id=owner_slack_id,
        theme_key=theme_key_of(answer),
        evidence_unit_ids=units[:50],
        source_answer_id=answer_id,
        source_thread_id=thread_id,
    )


def _text_input(field: str, label: str, initial: str, *, multiline: bool = False, optional: bool = False) -> Block:
    element = {"type": "plain_text_input", "action_id": field, "multiline": multiline}
    if initial:
        element["initial_value"] = initial
    return {"type": "input", "block_id": field, "label": plain(label, 2000), "element": element, "optional": optional}


def _option(value: str) -> dict:
    return {"text": plain(TRACKER_LABELS.get(value, value), 75), "value": value}


def _confirmation(statement: str) -> list[Block]:
    """A warning and a required checkbox: filing needs the user to confirm ``statement`` explicitly."""
    box = {
        "type": "checkboxes",
        "action_id": TicketField.CONFIRM,
        "options": [{"text": plain(CONFIRM_OPTION, 75), "value": CONFIRM_VALUE}],
    }
    return [
        section(f":warning: {escape(statement)}"),
        {"type": "input", "block_id": TicketField.CONFIRM, "label": plain(statement, 2000), "element": box},
    ]


def ticket_modal(draft: TicketDraft, *, trackers: list[str], private_metadata: str, confirm: str | None = None) -> dict:
    """The "Create ticket" modal; the owner is a Slack user picker with the theme's owning team preselected.

    ``confirm``: a statement the user must explicitly confirm before filing (an answer whose change is within
    normal variation: "The data shows no significant change …"); a required checkbox, checked again on submit.
    """
    trackers = trackers or ["local"]
    tracker_select = {
        "type": "static_select",
        "action_id": TicketField.TRACKER,
        "options": [_option(t) for t in trackers],
        "initial_option": _option(draft.tracker if draft.tracker in trackers else trackers[0]),
    }
    owner = {"type": "users_select", "action_id": TicketField.OWNER}
    if draft.owner_slack_id:
        owner["initial_user"] = draft.owner_slack_id
    theme = f"theme `{draft.theme_key}` · " if draft.theme_key else ""
    return {
        "type": "modal",
        "callback_id": VIEW_TICKET,
        "private_metadata": private_metadata,
        "title": plain("Create ticket", 24),
        "submit": plain("Create", 24),
        "close": plain("Cancel", 24),
        "blocks": [
            *(_confirmation(confirm) if confirm else []),
            section(f"{theme}{len(draft.evidence_unit_ids)} evidence records attached"),
            _text_input(TicketField.TITLE, "Title", draft.title),
            _text_input(TicketField.DESCRIPTION, "Description", draft.description, multiline=True),
            {"type": "input", "block_id": TicketField.TRACKER, "label": plain("Tracker"), "element": tracker_select},
            _text_input(TicketField.PROJECT, "Project", draft.project or "", optional=True),
            {
                "type": "input",
                "block_id": TicketField.OWNER,
                "label": plain("Owner"),
                "element": owner,
                "optional": True,
            },
        ],
    }


def proposal_edit_modal(*, mode: str, proposal_id: int, name: str) -> dict:
    """Rename a discovered theme before accepting it, or merge it into an existing theme key."""
    label, initial = ("New name", name) if mode == "rename" else ("Merge into theme key", "")
    return {
        "type": "modal",
        "callback_id": VIEW_PROPOSAL_EDIT,
        "private_metadata": f"{mode}:{proposal_id}",
        "title": plain("Rename theme" if mode == "rename" else "Merge theme", 24),
        "submit": plain("Save", 24),
        "close": plain("Cancel", 24),
        "blocks": [
            section(f"Proposal {escape(proposal_id)}: *{escape(name, formatting=True)}*"),
            _text_input(PROPOSAL_VALUE_FIELD, label, initial),
        ],
    }
