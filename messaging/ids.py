"""Action, callback and block ids the Slack app and its Block Kit builders share. Listeners match on these."""

from __future__ import annotations

__all__ = [
    "ACTION_ALERT_SNOOZE",
    "ACTION_CREATE_TICKET",
    "ACTION_FEEDBACK_DOWN",
    "ACTION_FEEDBACK_UP",
    "ACTION_PROPOSAL_ACCEPT",
    "ACTION_PROPOSAL_MERGE",
    "ACTION_PROPOSAL_RENAME",
    "ACTION_REVIEW_CONFIRM",
    "ACTION_REVIEW_INTENT",
    "ACTION_REVIEW_OPEN",
    "ACTION_REVIEW_SENTIMENT",
    "ACTION_REVIEW_SKIP",
    "ACTION_REVIEW_THEME",
    "ACTION_SHOW_SOURCES",
    "ACTION_SOURCES_PAGE",
    "ACTION_TICKET_FORCE",
    "ACTION_TICKET_LINK",
    "PROPOSAL_ACTIONS",
    "REVIEW_BLOCK",
    "TICKET_FIELDS",
    "VIEW_PROPOSAL_EDIT",
    "VIEW_REVIEW",
    "VIEW_TICKET",
    "ReviewField",
    "TicketField",
]

ACTION_SHOW_SOURCES = "gs_show_sources"
ACTION_SOURCES_PAGE = "gs_sources_page"  # suffixed ":prev" / ":next" (ids are unique per message)
ACTION_CREATE_TICKET = "gs_create_ticket"
ACTION_FEEDBACK_UP = "gs_feedback_up"
ACTION_FEEDBACK_DOWN = "gs_feedback_down"
ACTION_PROPOSAL_ACCEPT = "gs_proposal_accept"  # suffixed ":<proposal id>"
ACTION_PROPOSAL_RENAME = "gs_proposal_rename"
ACTION_PROPOSAL_MERGE = "gs_proposal_merge"
ACTION_ALERT_SNOOZE = "gs_alert_snooze"  # suffixed ":<hours>"; value: the theme key
ACTION_TICKET_LINK = "gs_ticket_link"  # suffixed ":<n>"; value: "<submission key>|<ticket key>"
ACTION_TICKET_FORCE = "gs_ticket_force"  # value: the submission key
# the App Home review queue, each suffixed ":<unit id>" (":<sentiment>:<unit id>" for the sentiment buttons);
# a button's value is "<taxonomy version>|<unit id>", the selects only change the view's state
ACTION_REVIEW_THEME = "gs_review_theme"
ACTION_REVIEW_INTENT = "gs_review_intent"
ACTION_REVIEW_SENTIMENT = "gs_review_sentiment"
ACTION_REVIEW_CONFIRM = "gs_review_confirm"
ACTION_REVIEW_SKIP = "gs_review_skip"
ACTION_REVIEW_OPEN = "gs_review_open"  # the sources page's per-unit overflow, suffixed ":<n>"; option value: unit id
REVIEW_BLOCK = "gs_review"  # block id of one unit's controls, suffixed ":<unit id>"
PROPOSAL_ACTIONS = (ACTION_PROPOSAL_ACCEPT, ACTION_PROPOSAL_RENAME, ACTION_PROPOSAL_MERGE)

VIEW_TICKET = "gs_ticket_modal"
VIEW_PROPOSAL_EDIT = "gs_proposal_edit"  # rename / merge a discovered theme
VIEW_REVIEW = "gs_review_modal"  # review one unit's labels (from a sources page)


class TicketField:
    """block_id == action_id of each input of the ticket modal."""

    TITLE = "ticket_title"
    DESCRIPTION = "ticket_description"
    TRACKER = "ticket_tracker"
    PROJECT = "ticket_project"
    OWNER = "ticket_owner"
    CONFIRM = "ticket_confirm"  # only when the answer found no significant change


TICKET_FIELDS = (
    TicketField.TITLE,
    TicketField.DESCRIPTION,
    TicketField.TRACKER,
    TicketField.PROJECT,
    TicketField.OWNER,
)
PROPOSAL_VALUE_FIELD = "proposal_value"


class ReviewField:
    """block_id == action_id of each input of the review modal."""

    THEME = "review_theme"
    SENTIMENT = "review_sentiment"
    INTENT = "review_intent"
