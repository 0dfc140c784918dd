"""App Home: a user's subscriptions and recent answers; for reviewers the units to review; for admins source
health, the taxonomy review queue and the classification quality summary. Pure: the bot gathers :class:`HomeData`,
this renders it."""

from __future__ import annotations

from datetime import UTC, datetime

from groundswell.messaging.blockkit import Block, actions, button, context, divider, escape, header, section, truncate
from groundswell.messaging.ids import ACTION_PROPOSAL_ACCEPT, ACTION_PROPOSAL_MERGE, ACTION_PROPOSAL_RENAME
from groundswell.messaging.review import ReviewChoices, ReviewLine, review_queue_blocks
from pydantic import BaseModel

__all__ = ["HomeData", "ProposalLine", "QualityLine", "RecentLine", "ReviewSection", "SourceLine", "home_view"]

MAX_RECENT = 8
MAX_PROPOSALS = 10
MAX_SOURCES = 12


class RecentLine(BaseModel):
    question: str
    headline: str
    at: datetime


class SourceLine(BaseModel):
    name: str
    last_success_at: datetime | None = None
    last_error: str | None = None
    stale: bool = False
    units: int = 0


class ProposalLine(BaseModel):
    id: int
    name: str
    size: int = 0
    parent: str | None = None
    examples: list[str] = []


class QualityLine(BaseModel):
    classified: int = 0
    needs_review: int = 0
    labelled: int = 0
    taxonomy_version: int | None = None


class ReviewSection(BaseModel):
    """The reviewer's page of the review queue (``choices`` None: no taxonomy yet)."""

    lines: list[ReviewLine] = []
    choices: ReviewChoices | None = None
    waiting: int = 0


class HomeData(BaseModel):
    user_id: str
    is_admin: bool = False
    review: ReviewSection | None = None  # set for reviewers (admins and the configured reviewer roles)
    subscriptions: list[str] = []  # "theme auth.sso in #product"
    recent: list[RecentLine] = []
    sources: list[SourceLine] = []
    proposals: list[ProposalLine] = []
    quality: QualityLine | None = None


def _when(moment: datetime | None) -> str:
    return "never" if moment is None else moment.astimezone(UTC).strftime("%-d %b %H:%M UTC")


def _user_blocks(data: HomeData) -> list[Block]:
    blocks: list[Block] = [header("Your subscriptions")]
    subs = "\n".join(f"• {escape(s)}" for s in data.subscriptions) or "None yet: `/groundswell subscribe <theme>`"
    blocks.append(section(subs))
    blocks.append(header("Your recent answers"))
    if not data.recent:
        blocks.append(section("Nothing asked yet. Mention me in a channel or DM me a question."))
    for item in data.recent[:MAX_RECENT]:
        blocks.append(section(f"*{escape(truncate(item.headline, 300))}*\n_{escape(truncate(item.question, 300))}_"))
        blocks.append(context(_when(item.at)))
    return blocks


def _admin_blocks(data: HomeData) -> list[Block]:
    blocks: list[Block] = [divider(), header("Source health")]
    lines = []
    for src in data.sources[:MAX_SOURCES]:
        icon = ":red_circle:" if src.last_error else (":large_yellow_circle:" if src.stale else ":large_green_circle:")
        error = f" — last error: {escape(truncate(src.last_error, 120))}" if src.last_error else ""
        name = escape(src.name, formatting=True)
        lines.append(f"{icon} *{name}* · {src.units:,} units · synced {_when(src.last_success_at)}{error}")
    blocks.append(section("\n".join(lines) or "No sources yet: run `groundswell ingest`."))
    blocks.append(header("Taxonomy review queue"))
    if not data.proposals:
        blocks.append(section("No discovered themes waiting for review."))
    for prop in data.proposals[:MAX_PROPOSALS]:
        parent = f" under `{escape(prop.parent)}`" if prop.parent else ""
        example = f"\n> {escape(truncate(prop.examples[0], 200))}" if prop.examples else ""
        blocks.append(section(f"*{escape(prop.name, formatting=True)}* ({prop.size} units){parent}{example}"))
        blocks.append(
            actions(
                button("Accept", f"{ACTION_PROPOSAL_ACCEPT}:{prop.id}", str(prop.id), style="primary"),
                button("Rename…", f"{ACTION_PROPOSAL_RENAME}:{prop.id}", str(prop.id)),
                button("Merge…", f"{ACTION_PROPOSAL_MERGE}:{prop.id}", str(prop.id)),
            )
        )
    if len(data.proposals) > MAX_PROPOSALS:
        blocks.append(context(f"… and {len(data.proposals) - MAX_PROPOSALS} more: `groundswell taxonomy proposals`"))
    if data.quality is not None:
        q = data.quality
        share = q.needs_review / q.classified if q.classified else 0.0
        version = f"taxonomy v{q.taxonomy_version}" if q.taxonomy_version is not None else "no taxonomy yet"
        blocks.append(header("Classification quality"))
        blocks.append(
            section(
                f"{q.classified:,} units classified ({version}) · {q.needs_review:,} flagged for review "
                f"({share:.0%}) · {q.labelled:,} human labels"
            )
        )
    return blocks


def home_view(data: HomeData) -> dict:
    """The App Home tab for one user."""
    blocks = _user_blocks(data)
    if data.review is not None:
        blocks += [divider(), *review_queue_blocks(data.review.lines, data.review.choices, waiting=data.review.waiting)]
    if data.is_admin:
        blocks += _admin_blocks(data)
    return {"type": "home", "blocks": blocks}
