"""Digests: for each subscribed channel, run the digest's plans through the agent's tools, render, publish.

Numbers come only from ``AgentTools.run_plan`` (the tools ``groundswell ask`` uses), for the channel's viewer;
discovery's new themes and the open tickets on the top themes come from storage. Publishing is a
:class:`core.digest.DigestPublisher` (the Slack app supplies one); without it a digest is only returned.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from groundswell.core.answer import ToolResult
from groundswell.core.digest import (
    CHARTED,
    QUOTES,
    Digest,
    DigestPeriod,
    DigestPublisher,
    DigestScope,
    DigestTicket,
    NewTheme,
    TrendSeries,
    arr_plan,
    digest_plans,
    digest_windows,
    is_quiet,
    quotes_plan,
    significant_movers,
    trend_plan,
)
from groundswell.core.query import Viewer, Window
from groundswell.core.telemetry import NO_TELEMETRY, Telemetry
from groundswell.graph.context import AgentTools
from groundswell.messaging.digest import TITLES, chart_alt_text, digest_blocks, digest_fallback_text
from groundswell.messaging.digest_chart import render_trend_png
from groundswell.storage.db import Engine, as_utc, session_scope
from groundswell.storage.slack import get_channel_setting, list_subscriptions
from groundswell.storage.taxonomy import list_proposals
from groundswell.storage.tickets import OPEN, list_tickets

__all__ = ["ChannelTarget", "RenderedDigest", "collect_digest", "digest_targets", "render_digest", "run_digests"]

log = logging.getLogger(__name__)
ViewerFor = Callable[["ChannelTarget"], Viewer]


@dataclass(frozen=True)
class ChannelTarget:
    """A channel that gets digests, with what it subscribed to and its default segment."""

    channel_id: str
    team_id: str = ""
    scope: DigestScope = field(default_factory=DigestScope)
    default_segment: str | None = None


def digest_targets(*, engine: Engine, channel: str | None = None) -> list[ChannelTarget]:
    """Every channel with a subscription (or just ``channel``, subscribed or not: then it is unscoped)."""
    with session_scope(engine) as session:
        subs = list_subscriptions(session=session, channel_id=channel)
        channels: dict[tuple[str, str], DigestScope] = {}
        for sub in subs:
            scope = channels.setdefault((sub.team_id, sub.channel_id), DigestScope())
            values = scope.themes if sub.kind == "theme" else scope.segments
            if sub.value not in values:
                values.append(sub.value)
        if channel is not None and not channels:
            channels[("", channel)] = DigestScope()
        return [
            ChannelTarget(
                channel_id=channel_id,
                team_id=team_id,
                scope=scope,
                default_segment=get_channel_setting(
                    session=session, team_id=team_id, channel_id=channel_id
                ).default_segment,
            )
            for (team_id, channel_id), scope in sorted(channels.items(), key=lambda kv: kv[0][1])
        ]


def _first(results: list[ToolResult]) -> ToolResult:
    return results[0] if results else ToolResult(tool="none")


def _new_themes(engine: Engine, window: Window) -> list[NewTheme]:
    with session_scope(engine) as session:
        rows = list_proposals(session=session, status=None)
    return [
        NewTheme(name=row.name, size=row.size, status=row.status)
        for row in rows
        if window.start <= (as_utc(row.created_at) or window.start) < window.end
    ]


def _open_tickets(engine: Engine, themes: list[tuple[str, str]]) -> list[DigestTicket]:
    found: list[DigestTicket] = []
    with session_scope(engine) as session:
        for key, label in themes:
            for row in list_tickets(session=session, status=OPEN, theme_key=key):
                reference = row.key or f"draft {row.id}"
                found.append(
                    DigestTicket(theme=label, reference=reference, title=row.title, url=row.url, owner=row.owner)
                )
    return found


def collect_digest(
    *,
    tools: AgentTools,
    engine: Engine,
    viewer: Viewer,
    channel: str,
    scope: DigestScope,
    period: DigestPeriod,
    as_of: datetime,
) -> Digest:
    """Run the digest's plans as ``viewer`` and gather the rest; decides whether the digest is quiet."""
    plans = digest_plans(period, as_of, scope)
    window, previous = digest_windows(period, as_of)
    top, movers, total = (_first(tools.run_plan(p, viewer)) for p in (plans.top, plans.movers, plans.total))
    total_row = total.rows[0] if total.rows else None
    digest = Digest(
        channel=channel,
        period=period,
        scope=scope,
        window=window,
        previous_window=previous,
        total=total_row.count if total_row else 0,
        previous_total=int(total_row.previous or 0) if total_row else 0,
        p_value=total_row.p_value if total_row and total_row.p_value is not None else 1.0,
        significant=bool(total.meta.get("significant")),
        top=top.rows,
        movers=significant_movers(movers.rows),
        new_themes=_new_themes(engine, window),
        taxonomy_version=top.meta.get("taxonomy_version"),
    )
    digest.quiet = is_quiet(significant_total=digest.significant, movers=digest.movers, new_themes=digest.new_themes)
    if digest.quiet or not top.rows:
        return digest
    keys = [r.key for r in top.rows]
    arr = _first(tools.run_plan(arr_plan(period, as_of, scope, keys), viewer))
    digest.arr_at_stake, digest.arr_accounts = arr.total, int(arr.meta.get("accounts") or 0)
    digest.quotes = tools.quotes(plan=quotes_plan(period, as_of, scope, keys), viewer=viewer, results=[], limit=QUOTES)
    digest.tickets = _open_tickets(engine, [(r.key, r.label) for r in top.rows])
    for row in top.rows[:CHARTED]:
        trend = _first(tools.run_plan(trend_plan(period, as_of, scope, row.key), viewer))
        digest.trends.append(
            TrendSeries(label=row.label, buckets=[r.label for r in trend.rows], counts=[r.count for r in trend.rows])
        )
    return digest


@dataclass(frozen=True)
class RenderedDigest:
    digest: Digest
    text: str
    blocks: list[dict[str, Any]]
    chart: bytes | None  # None: a quiet digest has no chart
    alt_text: str


def render_digest(digest: Digest) -> RenderedDigest:
    chart = None
    if not digest.quiet and digest.trends:
        chart = render_trend_png(digest.trends, title=f"{TITLES[digest.period]}: top themes")
    alt = chart_alt_text(digest) if chart else ""
    return RenderedDigest(digest, digest_fallback_text(digest), digest_blocks(digest), chart, alt)


def run_digests(
    *,
    tools: AgentTools,
    engine: Engine,
    period: DigestPeriod,
    as_of: datetime,
    viewer_for: ViewerFor,
    publisher: DigestPublisher | None,
    channel: str | None = None,
    telemetry: Telemetry = NO_TELEMETRY,
) -> list[RenderedDigest]:
    """Build the digest of every subscribed channel (or one); post each when a publisher is given (counted in
    ``telemetry``: sent, held without a publisher, failed)."""
    done = []
    for target in digest_targets(engine=engine, channel=channel):
        digest = collect_digest(
            tools=tools,
            engine=engine,
            viewer=viewer_for(target),
            channel=target.channel_id,
            scope=target.scope,
            period=period,
            as_of=as_of,
        )
        rendered = render_digest(digest)
        if publisher is None:
            telemetry.count_alert("digest", "held", "no_publisher")
        else:
            try:
                publisher.publish(
                    channel=target.channel_id,
                    text=rendered.text,
                    blocks=rendered.blocks,
                    chart=rendered.chart,
                    alt_text=rendered.alt_text,
                )
            except Exception:
                telemetry.count_alert("digest", "failed", "post_failed")
                raise
            telemetry.count_alert("digest", "sent")
            log.info("posted the %s digest to %s (quiet: %s)", period, target.channel_id, digest.quiet)
        done.append(rendered)
    return done
