"""`groundswell search` and `groundswell stats`: look at what is in."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import dateparser
import typer
from groundswell.cli.output import out, print_json
from groundswell.core.errors import ConfigurationError
from groundswell.graph.search import search_units
from groundswell.storage.db import session_scope
from groundswell.storage.stats import count_by_source, count_totals
from rich.table import Table

from groundswell.runtime import build_runtime
from groundswell.settings import Settings

__all__ = ["parse_when", "register"]


def parse_when(text: str | None) -> datetime | None:
    """'2026-10-01', '3 weeks ago', 'yesterday' → an aware UTC moment."""
    if not text:
        return None
    moment = dateparser.parse(text, settings={"TIMEZONE": "UTC", "RETURN_AS_TIMEZONE_AWARE": True})
    if moment is None:
        raise ConfigurationError(f"cannot read the date {text!r}; try 2026-10-01 or '2 weeks ago'")
    return moment.astimezone(UTC)


def register(app: typer.Typer) -> None:
    @app.command()
    def search(
        query: Annotated[str, typer.Argument(help="What customers might have said.")],
        source: Annotated[list[str] | None, typer.Option(help="Only these sources (repeatable).")] = None,
        since: Annotated[
            str | None, typer.Option(help="Only feedback from this date on ('2026-10-01', '30 days ago').")
        ] = None,
        until: Annotated[str | None, typer.Option(help="Only feedback before this date.")] = None,
        limit: Annotated[int, typer.Option("--limit", "-k", min=1, max=200)] = 10,
        json_output: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    ) -> None:
        """Find feedback units by meaning, each with its citation (source, id, date, customer, link)."""
        runtime = build_runtime(Settings())
        hits = search_units(
            engine=runtime.engine,
            embedder=runtime.embedder,
            index=runtime.vectors,
            query=query,
            k=limit,
            sources=source,
            since=parse_when(since),
            until=parse_when(until),
        )
        if json_output:
            print_json(
                {
                    "query": query,
                    "hits": [
                        {"text": h.text, "score": round(h.score, 4), **h.citation.model_dump(mode="json")} for h in hits
                    ],
                }
            )
            return
        if not hits:
            out.print("No matching feedback. Widen the dates or drop --source.")
        for rank, hit in enumerate(hits, start=1):
            c = hit.citation
            who = " · ".join(part for part in (c.account, c.person) if part) or "anonymous"
            out.print(f"[bold]{rank}.[/] {hit.text[:300]}")
            out.print(
                f"   [dim]{c.source} #{c.external_id} · {c.created_at:%Y-%m-%d} · {who} · "
                f"{c.url or 'no link'} · score {hit.score:.2f}[/]"
            )

    @app.command()
    def stats(json_output: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False) -> None:
        """Counts per source, units, people and accounts."""
        runtime = build_runtime(Settings())
        with session_scope(runtime.engine) as session:
            per_source = count_by_source(session=session)
            totals = count_totals(session=session)
        if json_output:
            print_json({"totals": totals.__dict__, "sources": [row.__dict__ for row in per_source]})
            return
        table = Table("source", "records", "deleted", "units", "rejected", "last success", "last error")
        for row in per_source:
            last = f"{row.last_success_at:%Y-%m-%d %H:%M}" if row.last_success_at else "never"
            table.add_row(
                row.source,
                str(row.records),
                str(row.deleted),
                str(row.units),
                str(row.rejected),
                last,
                row.last_error or "",
            )
        out.print(table)
        out.print(
            f"records {totals.records} · units {totals.units} · people {totals.people} · "
            f"accounts {totals.accounts} · rejected {totals.rejected}"
        )
