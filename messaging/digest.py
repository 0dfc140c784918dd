"""A digest as Block Kit, as one line when quiet, and the chart's alt text. Pure functions: no number is computed."""

from __future__ import annotations

from groundswell.core.answer import ResultRow
from groundswell.core.digest import Digest
from groundswell.messaging.answer import format_number, quote_block, table_text
from groundswell.messaging.blockkit import Block, context, divider, escape, header, link, section

__all__ = ["chart_alt_text", "digest_blocks", "digest_fallback_text", "quiet_line"]

TITLES = {"daily": "Daily digest", "weekly": "Weekly digest"}


def _money(value: float) -> str:
    return f"${format_number(round(value))}"


def quiet_line(digest: Digest) -> str:
    """The whole quiet digest: one line, no padding."""
    return (
        f"{TITLES[digest.period]} ({escape(digest.scope.label())}): quiet — {digest.total} items in the "
        f"{digest.window.label} vs {digest.previous_total} in {digest.previous_window.label}, nothing moved beyond "
        "noise and no new themes."
    )


def _mover_line(row: ResultRow) -> str:
    before = int(row.previous or 0)
    return f"• *{escape(row.label, formatting=True)}*: {row.count} (was {before}, +{row.count - before})"


def _change(digest: Digest) -> str:
    delta = digest.total - digest.previous_total
    sign = "+" if delta >= 0 else ""
    verdict = "significant" if digest.significant else "within noise"
    return (
        f"*{digest.total}* items in the {digest.window.label} vs {digest.previous_total} in "
        f"{digest.previous_window.label} ({sign}{delta}, {verdict})"
    )


def digest_blocks(digest: Digest) -> list[Block]:
    """The digest message; a quiet digest is a single section."""
    if digest.quiet:
        return [section(quiet_line(digest))]
    blocks: list[Block] = [header(f"{TITLES[digest.period]}: {digest.scope.label()}"), section(_change(digest))]
    if digest.top:
        blocks += [section("*Top themes*"), section(table_text(digest.top))]
    if digest.movers:
        blocks.append(section("*Biggest movers*\n" + "\n".join(_mover_line(r) for r in digest.movers)))
    if digest.arr_at_stake:
        blocks.append(
            section(
                f"*ARR at stake* on the top themes: {_money(digest.arr_at_stake)} across {digest.arr_accounts} accounts"
            )
        )
    if digest.new_themes:
        lines = [f"• {escape(t.name, formatting=True)} ({t.size} items, {t.status})" for t in digest.new_themes]
        blocks.append(section("*New themes from discovery*\n" + "\n".join(lines)))
    if digest.tickets:
        lines = [
            f"• {escape(t.theme, formatting=True)}: " + link(t.url, t.reference)
            + f" {escape(t.title)}" + (f" (owner {escape(t.owner)})" if t.owner else "")
            for t in digest.tickets
        ]  # fmt: skip
        blocks.append(section("*Open tickets on the top themes*\n" + "\n".join(lines)))
    if digest.quotes:
        blocks += [divider(), section("*Notable quotes*")] + [quote_block(q) for q in digest.quotes]
    version = f" · taxonomy v{digest.taxonomy_version}" if digest.taxonomy_version is not None else ""
    blocks.append(
        context(f"{digest.window.start:%-d %b %H:%M} – {digest.window.end:%-d %b %H:%M} UTC{version} · Groundswell")
    )
    return blocks


def digest_fallback_text(digest: Digest) -> str:
    """The notification text (``text`` next to ``blocks``)."""
    if digest.quiet:
        return quiet_line(digest)
    top = f"; top: {digest.top[0].label} ({digest.top[0].count})" if digest.top else ""
    return f"{TITLES[digest.period]} ({digest.scope.label()}): {digest.total} items{top}"


def chart_alt_text(digest: Digest) -> str:
    """What the trend chart shows, in words (screen readers; Slack caps alt text at 1,000 characters)."""
    if not digest.trends:
        return "No trend chart: no theme had feedback in the period."
    first = digest.trends[0]
    span = f"{first.buckets[0]} to {first.buckets[-1]}" if first.buckets else "the period"
    bucket = "day" if digest.period == "daily" else "week"
    parts = [
        f"{s.label}: {', '.join(str(c) for c in s.counts)} (total {sum(s.counts)}, peak {max(s.counts, default=0)})"
        for s in digest.trends
    ]
    text = f"Line chart of feedback items per {bucket} for the top themes, {span}. " + "; ".join(parts) + "."
    return text[:1000]
