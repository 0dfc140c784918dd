"""`groundswell llm usage`: what language-model calls cost, per day, purpose and model."""

from __future__ import annotations

from typing import Annotated

import typer
from groundswell.cli.common import JsonOption, open_engine
from groundswell.cli.output import out, print_json
from groundswell.cli.query import parse_when
from groundswell.storage.db import session_scope
from groundswell.storage.llm import summarise_llm_usage
from rich.table import Table

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True)


@app.command("usage")
def usage(
    since: Annotated[
        str | None, typer.Option(help="Only calls from this date on ('2026-10-01', '7 days ago').")
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Calls, cache hits, errors, units, tokens and cost per UTC day, purpose and model."""
    with session_scope(open_engine()) as session:
        rows = summarise_llm_usage(session=session, since=parse_when(since))
    totals = {
        key: sum(getattr(row, key) for row in rows)
        for key in ("calls", "cached_batches", "errors", "items", "prompt_tokens", "completion_tokens")
    }
    totals["cost_usd"] = round(sum(row.cost_usd for row in rows), 6)
    if json_output:
        print_json({"days": [row.as_dict() for row in rows], "totals": totals})
        return
    if not rows:
        out.print("No language-model calls recorded (set GROUNDSWELL_LLM_BASE_URL and GROUNDSWELL_CLASSIFIER=llm).")
        return
    table = Table("day", "purpose", "model", "calls", "cached", "errors", "units", "prompt tok", "compl. tok", "USD")
    for r in rows:
        table.add_row(
            r.day,
            r.purpose,
            r.model,
            *(str(v) for v in (r.calls, r.cached_batches, r.errors, r.items, r.prompt_tokens, r.completion_tokens)),
            f"{r.cost_usd:.4f}",
        )
    out.print(table)
    out.print(
        f"total: {totals['calls']} calls, {totals['prompt_tokens'] + totals['completion_tokens']} tokens, "
        f"${totals['cost_usd']:.4f}"
    )
