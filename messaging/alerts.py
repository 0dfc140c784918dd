"""Block Kit for spike alerts (with "Snooze" buttons), existing-ticket offers and ticket closures. Pure functions."""

from __future__ import annotations

from collections.abc import Sequence

from groundswell.core.tickets import Outcome, Ticket
from groundswell.messaging.blockkit import Block, actions, button, context, escape, link, section
from groundswell.messaging.ids import ACTION_ALERT_SNOOZE, ACTION_TICKET_FORCE, ACTION_TICKET_LINK

__all__ = ["SNOOZE_CHOICES", "alert_blocks", "closed_ticket_text", "existing_ticket_blocks"]

SNOOZE_CHOICES = ((24, "Snooze 24 h"), (24 * 7, "Snooze 7 days"))  # hours, label
MAX_OFFERED = 3


def alert_blocks(text: str, *, theme_key: str | None) -> list[Block]:
    """A spike alert; with a theme, buttons snooze that theme in this channel (value: the theme key)."""
    blocks = [section(escape(text))]
    if theme_key:
        buttons = [button(label, f"{ACTION_ALERT_SNOOZE}:{hours}", theme_key) for hours, label in SNOOZE_CHOICES]
        blocks += [actions(*buttons), context(f"Theme `{escape(theme_key)}` · snoozing applies to this channel")]
    return blocks


def _ticket_link(ticket: Ticket) -> str:
    title = f" {escape(ticket.title)}" if ticket.title else ""
    return f"{link(ticket.url, ticket.key)}{title}"


def existing_ticket_blocks(existing: Sequence[Ticket], *, submission_key: str) -> list[Block]:
    """Open tickets on the same theme already: link one of them instead, or file a new one anyway."""
    offered = list(existing)[:MAX_OFFERED]
    # keys, links and status only: another team's title may quote figures outside the submitter's scope
    lines = "\n".join(f"• {link(t.url, t.key)} ({escape(t.status)})" for t in offered)
    buttons = [
        button(f"Link {t.key}", f"{ACTION_TICKET_LINK}:{n}", f"{submission_key}|{t.key}", style="primary")
        for n, t in enumerate(offered)
    ]
    buttons.append(button("File anyway", ACTION_TICKET_FORCE, submission_key))
    note = "Titles are not shown here: open the ticket to see it in the tracker."
    return [section(f"There is already an open ticket on this theme:\n{lines}\n_{note}_"), actions(*buttons)]


def closed_ticket_text(ticket: Ticket, outcome: Outcome | None) -> str:
    """ "✅ GS-12 was closed (Done). Since then: 0.4 mentions/day vs 1.9 before (improved)"."""
    text = f":white_check_mark: {_ticket_link(ticket)} was closed ({escape(ticket.status)})."
    if outcome is None:
        return text
    if outcome.verdict == "too early":
        return f"{text} Too early to tell whether feedback on the theme dropped; I'll keep counting."
    return (
        f"{text} Since then: {outcome.rate_after:g} mentions/day vs {outcome.rate_before:g} before ({outcome.verdict})."
    )
