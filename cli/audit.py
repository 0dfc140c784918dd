"""`groundswell audit list|show|purge`: every question asked (Slack, CLI, MCP, REST) and every refused request."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from groundswell.cli.common import JsonOption
from groundswell.cli.output import out, print_json
from groundswell.cli.query import parse_when
from groundswell.core.errors import ConfigurationError
from groundswell.storage.access_log import get_access_event, list_access_events, purge_expired
from groundswell.storage.db import session_scope
from groundswell.storage.models import AccessEvent
from rich.table import Table

from groundswell.runtime import build_runtime
from groundswell.settings import Settings

__all__ = ["app"]

QUESTION_CHARS = 48  # the list shows the start of each question; `audit show` prints it whole
app = typer.Typer(no_args_is_help=True, help="Who asked what, through which surface, with what data and answer.")


def event_dict(event: AccessEvent) -> dict[str, Any]:
    return event.model_dump(mode="json")


@app.command("list")
def list_events(
    surface: Annotated[str | None, typer.Option(help="Only this surface: slack, cli, mcp, rest.")] = None,
    viewer: Annotated[str | None, typer.Option(help="Only this viewer ('slack:U123', 'cli', a viewer name).")] = None,
    since: Annotated[
        str | None, typer.Option(help="Only events from this date on ('2026-12-01', '7 days ago').")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    json_output: JsonOption = False,
) -> None:
    """The newest events first: when, surface, who, outcome, units behind the answer, latency, question."""
    with session_scope(build_runtime(Settings()).engine) as session:
        events = list_access_events(session=session, surface=surface, viewer=viewer, since=parse_when(since),
                                    limit=limit)  # fmt: skip
    if json_output:
        print_json({"events": [event_dict(e) for e in events]})
        return
    if not events:
        out.print("No audit events match.")
        return
    rows = [
        (
            str(e.id), f"{e.created_at:%m-%d %H:%M}", e.surface, e.viewer, e.outcome, str(len(e.unit_ids)),
            f"{e.latency_ms:.0f}" if e.latency_ms is not None else "",
        )
        for e in events
    ]  # fmt: skip
    table = Table()
    for i, name in enumerate(("id", "at (UTC)", "via", "viewer", "outcome", "units", "ms")):
        table.add_column(name, no_wrap=True, min_width=max(len(name), *(len(row[i]) for row in rows)))
    table.add_column("question / request")
    for row, e in zip(rows, events, strict=True):
        text = e.text or e.action
        table.add_row(*row, text if len(text) <= QUESTION_CHARS else text[: QUESTION_CHARS - 1] + "…")
    out.print(table)


@app.command("show")
def show(
    event_id: Annotated[int, typer.Argument(help="The id from `groundswell audit list`.")],
    json_output: JsonOption = False,
) -> None:
    """One event in full: the plan, every tool's numbers with their unit ids, the answer's SHA-256."""
    with session_scope(build_runtime(Settings()).engine) as session:
        event = get_access_event(session=session, event_id=event_id)
    if event is None:
        raise ConfigurationError(f"no audit event {event_id}")
    if json_output:
        print_json({"event": event_dict(event)})
        return
    lines = [
        f"#{event.id} {event.kind} · {event.created_at:%Y-%m-%d %H:%M:%S} UTC · {event.surface} · {event.outcome}",
        f"who: {event.viewer}" + (f" (user {event.user_id})" if event.user_id else ""),
        f"{event.action}: {event.text}",
    ]
    if event.reason:
        lines.append(f"reason: {event.reason}")
    if event.plan:
        plan = event.plan
        lines.append(f"plan: {plan.get('kind')} · {plan.get('metric')} by {plan.get('group_by')} · k={plan.get('k')}")
    for tool in event.evidence:
        lines.append(f"tool {tool['tool']}: total {tool.get('total')}, {len(tool.get('rows', []))} rows")
        lines += [
            f"  {row['key']}: value {row['value']:g}, count {row['count']}, units {', '.join(row['unit_ids']) or '-'}"
            for row in tool.get("rows", [])
        ]
    if event.unit_ids:
        lines.append(f"units ({len(event.unit_ids)}): {', '.join(event.unit_ids)}")
    if event.answer_sha256:
        lines.append(f"answer sha256: {event.answer_sha256}")
    if event.latency_ms is not None:
        lines.append(
            f"latency {event.latency_ms:.0f} ms · {event.llm_calls} LLM calls · {event.prompt_tokens} + "
            f"{event.completion_tokens} tokens · ${event.cost_usd:.4f}"
        )
    for line in lines:
        out.print(line, markup=False, highlight=False)


@app.command("purge")
def purge(
    older_than_days: Annotated[
        int | None, typer.Option(min=1, help="Default: GROUNDSWELL_AUDIT_RETENTION_DAYS (365).")
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Delete events past the retention period now (the scheduler does it daily)."""
    runtime = build_runtime(Settings())
    days = older_than_days or runtime.settings.audit_retention_days
    removed = purge_expired(runtime.engine, days=days)
    if json_output:
        print_json({"removed": removed, "older_than_days": days})
    else:
        out.print(f"Removed {removed} audit event{'s' if removed != 1 else ''} older than {days} days.")
