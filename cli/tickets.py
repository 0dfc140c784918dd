"""`groundswell ticket …`: file a theme's evidence as an owned ticket (Jira, Linear or local), list, retry, status."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

import typer
from groundswell.cli.common import JsonOption, actor_name
from groundswell.cli.output import err, out, print_json
from groundswell.core.errors import GroundswellError
from groundswell.core.query import Window
from groundswell.jobs.tickets import FileResult, TicketService, build_ticket_service, outcome_of, sync_statuses
from groundswell.storage.db import session_scope, utcnow
from groundswell.storage.tickets import TicketRow, get_ticket, list_tickets

from groundswell.runtime import build_runtime
from groundswell.settings import Settings

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True, help="Owned tickets with evidence: create, list, retry drafts, status.")
TrackerOption = Annotated[str | None, typer.Option(help="jira | linear | local (default: GROUNDSWELL_TICKET_TRACKER).")]


def _service() -> TicketService:
    return build_ticket_service(build_runtime(Settings()))


def _row(row: TicketRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "tracker": row.tracker,
        "key": row.key,
        "url": row.url,
        "title": row.title,
        "status": row.status,
        "tracker_status": row.tracker_status,
        "theme_keys": row.theme_keys,
        "owner": row.owner,
        "team": row.team,
        "last_error": row.last_error,
        "attempts": row.attempts,
        "created_at": row.created_at,
        "closed_at": row.closed_at,
    }


def _result(result: FileResult) -> dict[str, Any]:
    return {
        "status": result.status,
        "message": result.message,
        "ticket_id": result.ticket_id,
        "ticket": result.ticket.model_dump(mode="json") if result.ticket else None,
        "existing": [t.model_dump(mode="json") for t in result.existing],
    }


def _report(results: list[FileResult], json_output: bool) -> None:
    if json_output:
        print_json({"results": [_result(r) for r in results]})
    for result in results if not json_output else []:
        (out if result.status in ("created", "linked") else err).print(result.message)
        for ticket in result.existing:
            out.print(f"  {ticket.key}  {ticket.status:<12} {ticket.title}  {ticket.url or ''}")
    if any(r.status == "draft" for r in results):
        raise typer.Exit(1)


@app.command("create")
def create(
    theme: Annotated[str, typer.Option("--theme", help="Theme key the ticket is about.")],
    tracker: TrackerOption = None,
    title: Annotated[str | None, typer.Option(help="Title (default: theme, mentions, accounts, ARR).")] = None,
    note: Annotated[str, typer.Option(help="A line above the evidence.")] = "",
    days: Annotated[int, typer.Option(min=1, help="Evidence window: the last N days.")] = 30,
    force: Annotated[bool, typer.Option(help="File even when an open ticket on this theme exists.")] = False,
    link: Annotated[str | None, typer.Option(help="Link to this existing ticket key instead of filing.")] = None,
    actor: Annotated[str | None, typer.Option(help="Who asks (default: the OS user).")] = None,
    json_output: JsonOption = False,
) -> None:
    """File a ticket with the theme's evidence, routed to its owner; offers an open ticket on the theme instead."""
    service = _service()
    now = utcnow()
    window = Window(start=now - timedelta(days=days), end=now, label=f"last {days} days")
    draft = service.draft_for_theme(
        theme, window=window, title=title, note=note, requested_by=actor_name(actor), tracker=tracker
    )
    if link:
        chosen = service.tracker(tracker)
        result = service.link_draft(draft, chosen.get_status(link), tracker=chosen.name)
    else:
        result = service.file(draft, tracker=tracker, force=force)
    if result.status == "existing" and not json_output:
        err.print("not filed: use --link KEY to link, or --force to file anyway")
    _report([result], json_output)


@app.command("list")
def list_command(
    status: Annotated[list[str] | None, typer.Option(help="draft | open | closed (repeatable).")] = None,
    theme: Annotated[str | None, typer.Option(help="Only tickets on this theme.")] = None,
    json_output: JsonOption = False,
) -> None:
    """Tickets and saved drafts, newest first."""
    with session_scope(build_runtime(Settings()).engine) as session:
        rows = [_row(r) for r in list_tickets(session=session, status=status, theme_key=theme)]
    if json_output:
        print_json({"tickets": rows})
        return
    for r in rows:
        error = f"  ({r['last_error']})" if r["last_error"] else ""
        out.print(f"#{r['id']:<4} {r['tracker']:<6} {r['key'] or '-':<10} {r['status']:<6} {r['title']}{error}")
    if not rows:
        out.print("no tickets")


@app.command("retry")
def retry(
    ticket_id: Annotated[int | None, typer.Argument(help="One draft (default: every draft).")] = None,
    json_output: JsonOption = False,
) -> None:
    """File saved drafts again (after the tracker recovered or the configuration was fixed)."""
    results = _service().retry(ticket_id)
    if not results and not json_output:
        out.print("no drafts to retry")
    _report(results, json_output)


@app.command("status")
def status(ticket_id: Annotated[int, typer.Argument()], json_output: JsonOption = False) -> None:
    """A ticket's status, refreshed from its tracker, and "did it work?" once it closed."""
    runtime = build_runtime(Settings())
    sync_statuses(engine=runtime.engine, trackers=runtime.trackers)
    with session_scope(runtime.engine) as session:
        row = get_ticket(session=session, ticket_id=ticket_id)
    if row.status == "draft":
        raise GroundswellError(f"#{ticket_id} is a draft, not filed yet: {row.last_error or 'retry it'}")
    outcome = outcome_of(runtime.engine, row)
    if json_output:
        print_json({"ticket": _row(row), "outcome": outcome.model_dump() if outcome else None})
        return
    out.print(f"{row.key} [{row.tracker_status or row.status}] {row.title} {row.url or ''}")
    if outcome is not None:
        out.print(
            f"did it work? {outcome.verdict}: {outcome.rate_before:.2f}/day in the {outcome.before_days:.0f} days "
            f"before the close, {outcome.rate_after:.2f}/day in the {outcome.after_days:.1f} days since"
        )


@app.command("sync")
def sync(json_output: JsonOption = False) -> None:
    """Check open tickets for closure now (the worker does this every GROUNDSWELL_TICKET_SYNC_MINUTES)."""
    runtime = build_runtime(Settings())
    report = sync_statuses(engine=runtime.engine, trackers=runtime.trackers)
    if json_output:
        print_json({"checked": report.checked, "closed": report.closed, "errors": report.errors})
        return
    out.print(f"checked {report.checked}, closed: {', '.join(report.closed) or 'none'}")
    for problem in report.errors:
        err.print(problem)
