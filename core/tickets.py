"""Tickets with owners, in pure terms: drafts, the tracker protocol, routing rules and the evidence body.

A draft names the theme (or insight) it is about; its ``marker`` is written into the ticket body so a tracker
search finds an open ticket on the same theme before a second one is filed. Routing maps a theme to a team
(longest matching key prefix, else the taxonomy's owner team, else the default) and the team to its owner and
tracker project. Bodies carry the evidence: counts, ARR, top quotes with links and the taxonomy version.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

import yaml
from groundswell.core.answer import CitedQuote
from groundswell.core.errors import ConfigurationError
from groundswell.core.markdown_text import md_literal, quote_block
from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = [
    "MARKER_PREFIX",
    "Outcome",
    "Route",
    "RoutingRules",
    "TeamRoute",
    "Ticket",
    "TicketDraft",
    "TicketEditor",
    "TicketEvidence",
    "TicketNotifier",
    "TicketTracker",
    "TrackerName",
    "build_ticket_body",
    "build_ticket_title",
    "format_money",
    "load_routing",
    "measure_outcome",
]

TrackerName = Literal["jira", "linear", "local"]
MARKER_PREFIX = "groundswell-key:"


class TicketDraft(BaseModel):
    """A ticket not filed yet: what the modal or ``groundswell ticket create`` collected."""

    title: str = Field(min_length=1, max_length=250)
    body: str = ""
    theme_key: str | None = None
    insight_key: str | None = None  # e.g. a saved question's id, when the ticket is about an insight
    team: str | None = None
    assignee_email: str | None = None
    labels: list[str] = ["groundswell"]
    unit_ids: list[str] = []
    requested_by: str | None = None  # Slack user id or CLI user
    slack_channel: str | None = None  # the thread told when the ticket closes
    slack_thread_ts: str | None = None
    project: str | None = None  # Jira project key / Linear team id (from routing when None)

    @property
    def dedupe_key(self) -> str:
        """What makes two tickets "the same": the theme, else the insight, else the title."""
        if self.theme_key:
            return f"theme:{self.theme_key}"
        if self.insight_key:
            return f"insight:{self.insight_key}"
        return "title:" + "-".join(self.title.lower().split())[:80]

    @property
    def marker(self) -> str:
        """The line written into the body so a search of the tracker finds this theme's open ticket."""
        return f"{MARKER_PREFIX} {self.dedupe_key}"

    def body_with_marker(self) -> str:
        """The body to file: the draft's (or its title), ending with the marker line when it lacks one."""
        body = (self.body or self.title).rstrip()
        return body if self.marker in body else f"{body}\n\n{self.marker}"


class Ticket(BaseModel):
    """A ticket as a tracker reports it."""

    model_config = ConfigDict(frozen=True)

    tracker: str
    key: str  # PROJ-123, ENG-42, or the local id
    url: str | None = None
    title: str = ""
    status: str = "open"  # the tracker's own status name
    closed: bool = False
    assignee: str | None = None
    closed_at: datetime | None = None


@runtime_checkable
class TicketTracker(Protocol):
    """Jira, Linear or the local tracker. Every call has a timeout; failures raise ``TrackerError``."""

    name: str

    def search_open(self, marker: str) -> list[Ticket]: ...

    def find_user(self, email: str) -> str | None: ...

    def create(self, draft: TicketDraft, *, assignee_id: str | None = None) -> Ticket: ...

    def get_status(self, key: str) -> Ticket: ...


@runtime_checkable
class TicketEditor(Protocol):
    """A tracker whose filed tickets can be rewritten (Jira, Linear): ``privacy forget`` puts redacted text there."""

    name: str

    def update_text(self, key: str, *, title: str, body: str) -> None: ...


@runtime_checkable
class TicketNotifier(Protocol):
    """Tells the Slack thread a ticket came from that it closed (the Slack app supplies the real one).

    ``accounts`` are the (CRM id, name) of the accounts behind the ticket's evidence: their CSMs may be told too.
    """

    def ticket_closed(
        self,
        *,
        channel: str,
        thread_ts: str | None,
        ticket: Ticket,
        outcome: Outcome | None,
        accounts: Sequence[tuple[str | None, str]] = (),
    ) -> None: ...


# --- routing ---------------------------------------------------------------------------------------------------------


class TeamRoute(BaseModel):
    """A team: who owns its tickets and where they are filed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    owner_email: str | None = None
    jira_project: str | None = None
    linear_team_id: str | None = None
    slack_channel: str | None = None


class Route(BaseModel):
    model_config = ConfigDict(frozen=True)

    team: str
    owner_email: str | None = None
    jira_project: str | None = None
    linear_team_id: str | None = None
    slack_channel: str | None = None
    reason: str = ""  # "rule auth.", "taxonomy owner team", "default team"


class RoutingRules(BaseModel):
    """``themes``: theme key or key prefix -> team; ``teams``: team -> route; ``default_team`` for the rest."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    themes: dict[str, str] = {}
    teams: dict[str, TeamRoute] = {}
    default_team: str | None = None

    def route(self, theme_key: str | None, *, owner_team: str | None = None) -> Route | None:
        """The team for ``theme_key``: longest matching rule, else the taxonomy's owner team, else the default."""
        team, reason = None, ""
        if theme_key:
            matches = [p for p in self.themes if theme_key == p or theme_key.startswith(p.rstrip(".") + ".")]
            if matches:
                best = max(matches, key=len)
                team, reason = self.themes[best], f"rule {best!r}"
        if team is None and owner_team:
            team, reason = owner_team, "taxonomy owner team"
        if team is None and self.default_team:
            team, reason = self.default_team, "default team"
        if team is None:
            return None
        target = self.teams.get(team, TeamRoute())
        return Route(team=team, reason=reason, **target.model_dump())


def load_routing(path: Path | str | None) -> RoutingRules:
    """Routing rules from a YAML or JSON file; no path means no rules (every ticket unrouted)."""
    if path is None:
        return RoutingRules()
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        rules = RoutingRules.model_validate(data)
    except OSError as exc:
        raise ConfigurationError(f"cannot read ticket routing rules {path}: {exc}") from exc
    except (yaml.YAMLError, ValidationError) as exc:
        raise ConfigurationError(f"invalid ticket routing rules in {path}: {exc}") from exc
    unknown = sorted({t for t in [*rules.themes.values(), rules.default_team] if t and t not in rules.teams})
    if unknown:
        raise ConfigurationError(f"{path}: teams used but not defined under 'teams': {', '.join(unknown)}")
    return rules


# --- evidence --------------------------------------------------------------------------------------------------------


class TicketEvidence(BaseModel):
    """Exact figures for one theme over one window, read from storage."""

    theme_key: str
    theme_name: str
    window_label: str
    count: int
    accounts: int = 0
    arr: float = 0.0
    segments: dict[str, int] = {}
    sources: dict[str, int] = {}
    quotes: list[CitedQuote] = []
    taxonomy_version: int | None = None
    as_of: datetime | None = None
    scope_note: str | None = None  # set when the figures cover only a restricted viewer's scope


def format_money(amount: float) -> str:
    """$2.3M, $410k, $950."""
    if amount >= 1_000_000:
        return f"${amount / 1_000_000:.1f}M"
    if amount >= 10_000:
        return f"${amount / 1_000:.0f}k"
    return f"${amount:,.0f}"


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def build_ticket_title(evidence: TicketEvidence) -> str:
    """ "CSV export timeouts: 41 mentions, 9 accounts ($2.3M ARR), last 30 days"."""
    accounts = f", {evidence.accounts} accounts ({format_money(evidence.arr)} ARR)" if evidence.accounts else ""
    return f"{evidence.theme_name}: {evidence.count} mentions{accounts}, {evidence.window_label}"


def build_ticket_body(evidence: TicketEvidence, *, marker: str, note: str = "", quote_chars: int = 300) -> str:
    """The ticket description in tracker Markdown: a summary, the exact figures with window and taxonomy version,
    the top quotes linked to their records, and the dedupe marker (the same shape as a ticket filed from an
    answer, :func:`graph.ticket_text.ticket_description`)."""
    accounts = f" from {evidence.accounts} accounts ({format_money(evidence.arr)} ARR)" if evidence.accounts else ""
    summary = f"{evidence.count} customer mentions of {evidence.theme_name}{accounts}, {evidence.window_label}."
    lines = [md_literal(note), ""] if note.strip() else []
    lines += [md_literal(summary), "", "**Figures**", f"- Mentions: {evidence.count}"]
    if evidence.accounts:
        lines.append(f"- Accounts: {evidence.accounts}, ARR {format_money(evidence.arr)}")
    if evidence.segments:
        lines.append(f"- By segment: {md_literal(_counts(evidence.segments))}")
    if evidence.sources:
        lines.append(f"- By source: {md_literal(_counts(evidence.sources))}")
    lines.append(f"- Window: {md_literal(evidence.window_label)}")
    lines.append(f"- Theme: {md_literal(evidence.theme_name)} ({md_literal(evidence.theme_key)})")
    version = "latest" if evidence.taxonomy_version is None else str(evidence.taxonomy_version)
    as_of = f", as of {evidence.as_of:%Y-%m-%d %H:%M} UTC" if evidence.as_of else ""
    lines.append(f"- Taxonomy version: {version}{as_of}")
    if evidence.scope_note:
        lines.append(f"- Scope: {md_literal(evidence.scope_note)}")
    if evidence.quotes:
        lines += ["", "**Top quotes**", ""]
        for quote in evidence.quotes:
            lines += [*quote_block(quote, chars=quote_chars), ""]
        lines.pop()
    lines += ["", "Filed by Groundswell.", marker]
    return "\n".join(lines)


# --- "did it work?" --------------------------------------------------------------------------------------------------


class Outcome(BaseModel):
    """Feedback volume on a theme before and after its ticket closed, per day."""

    before: int
    after: int
    before_days: float
    after_days: float
    rate_before: float
    rate_after: float
    change: float | None  # relative change of the daily rate; None without a "before"
    verdict: Literal["improved", "unchanged", "worse", "too early"]


def measure_outcome(*, before: int, after: int, before_days: float, after_days: float) -> Outcome:
    """Compare daily rates; under 3 days after the close, or with no data before, it is "too early" to say."""
    rate_before = before / before_days if before_days > 0 else 0.0
    rate_after = after / after_days if after_days > 0 else 0.0
    change = (rate_after - rate_before) / rate_before if rate_before else None
    if after_days < 3 or change is None:
        verdict = "too early"
    elif change <= -0.3:
        verdict = "improved"
    elif change >= 0.3:
        verdict = "worse"
    else:
        verdict = "unchanged"
    return Outcome(
        before=before,
        after=after,
        before_days=before_days,
        after_days=after_days,
        rate_before=round(rate_before, 3),
        rate_after=round(rate_after, 3),
        change=None if change is None else round(change, 3),
        verdict=verdict,
    )
