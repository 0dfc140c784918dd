"""`groundswell digest`: the daily or weekly digest of every subscribed channel (or one), printed; posted to Slack
when a bot token is set, unless --dry-run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from groundswell.cli.common import JsonOption
from groundswell.cli.output import err, out, print_json
from groundswell.core.digest import normalize_period
from groundswell.messaging.plaintext import blocks_to_text

from groundswell.runtime import build_runtime
from groundswell.settings import Settings

__all__ = ["register"]

LOCAL_CHANNEL = "console"  # no subscription anywhere and no --channel: one unscoped digest


def register(app: typer.Typer) -> None:
    @app.command()
    def digest(
        channel: Annotated[str | None, typer.Option(help="Only this channel id (default: all subscribed).")] = None,
        period: Annotated[str, typer.Option(help="day or week.")] = "day",
        dry_run: Annotated[bool, typer.Option("--dry-run", help="Print only, never post to Slack.")] = False,
        chart: Annotated[Path | None, typer.Option(help="Also write the (first) trend chart PNG here.")] = None,
        json_output: JsonOption = False,
    ) -> None:
        """Top themes, movers vs the previous period, new themes, ARR at stake, quotes and open tickets."""
        from groundswell.bot.deps import build_web_client
        from groundswell.bot.digests import SlackDigestPublisher, digest_now

        try:
            chosen = normalize_period(period)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from exc
        runtime = build_runtime(Settings())
        token = runtime.settings.slack_bot_token
        publisher = None
        if token and not dry_run:
            publisher = SlackDigestPublisher(build_web_client(token.get_secret_value(), runtime.settings.slack_api_url))
        done = digest_now(runtime, chosen, publisher=publisher, channel=channel)
        if not done and channel is None:
            err.print("no channel subscribed to anything: an unscoped digest")
            done = digest_now(runtime, chosen, publisher=None, channel=LOCAL_CHANNEL)
        charts = [d.chart for d in done if d.chart]
        if chart is not None and charts:
            chart.write_bytes(charts[0])
            err.print(f"chart written to {chart}")
        if json_output:
            digests = [
                {**d.digest.model_dump(mode="json"), "text": d.text, "alt_text": d.alt_text}
                | {"chart_bytes": len(d.chart or b"")}
                for d in done
            ]
            print_json({"period": chosen, "posted": publisher is not None, "digests": digests})
            return
        for rendered in done:
            lines, _ = blocks_to_text(rendered.blocks)
            out.print(f"# {rendered.digest.channel}", markup=False, highlight=False)
            out.print("\n".join(lines), markup=False, highlight=False)
            if rendered.alt_text:
                out.print(f"[chart] {rendered.alt_text}", markup=False, highlight=False)
        if publisher is not None:
            err.print(f"posted {len(done)} digest(s) to Slack")
