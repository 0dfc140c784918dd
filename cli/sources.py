"""`groundswell sources add|list|test|sync|backfill`: live API sources, their freshness and schema drift.

Configuration (type, options, base URL, cadence) is stored in the ``source`` table; credentials come only from
the environment, ``GROUNDSWELL_<NAME>_<KEY>`` (e.g. GROUNDSWELL_ZENDESK_EMAIL, GROUNDSWELL_ZENDESK_TOKEN), and
are never stored or printed.
"""

from __future__ import annotations

from typing import Annotated

import typer
from groundswell.cli.common import JsonOption
from groundswell.cli.output import RichPipelineProgress, err, out, print_json
from groundswell.connectors.registry import LIVE_SOURCES
from groundswell.core.errors import ConfigurationError
from groundswell.core.models import RawRecord, RecordFailure
from groundswell.jobs.pipeline import run_pipeline
from groundswell.storage.db import session_scope
from groundswell.storage.raw import get_sync_state
from groundswell.storage.sources import list_drift, source_statuses, update_source

from groundswell.runtime import build_runtime
from groundswell.settings import Settings, source_credential_names

__all__ = ["app"]

app = typer.Typer(help="Live API sources: add, list (freshness, drift), test, sync, backfill.", no_args_is_help=True)


def _options(pairs: list[str]) -> dict[str, str]:
    options = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ConfigurationError(f"--option expects key=value, got {pair!r}")
        options[key.strip()] = value.strip()
    return options


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Source name (also the prefix of its credential variables).")],
    source_type: Annotated[str, typer.Option("--type", help=f"One of: {', '.join(sorted(LIVE_SOURCES))}.")],
    option: Annotated[list[str] | None, typer.Option(help="key=value, e.g. subdomain=acme (repeatable).")] = None,
    base_url: Annotated[str | None, typer.Option(help="Override the API base URL.")] = None,
    cadence: Annotated[int | None, typer.Option(help="Expected sync cadence in seconds (freshness).")] = None,
    json_out: JsonOption = False,
) -> None:
    """Register a live source (configuration only; credentials stay in the environment)."""
    if source_type not in LIVE_SOURCES:
        raise ConfigurationError(f"unknown type {source_type!r}; known: {', '.join(sorted(LIVE_SOURCES))}")
    source_class = LIVE_SOURCES[source_type]
    config = {"type": source_type, "options": _options(option or []), "base_url": base_url}
    runtime = build_runtime(Settings())
    with session_scope(runtime.engine) as session:
        update_source(
            session=session, name=name, kind="api", cadence_s=cadence or source_class.expected_cadence_s, config=config
        )
    needed = source_credential_names(name, source_class.CREDENTIALS)
    if json_out:
        print_json({"name": name, "type": source_type, "credentials_env": needed})
        return
    out.print(f"added {name} ({source_type}); set {', '.join(needed)} in the environment")


@app.command("list")
def list_(json_out: JsonOption = False) -> None:
    """Every source with its freshness (stale when the last success is older than its cadence) and drift."""
    runtime = build_runtime(Settings())
    with session_scope(runtime.engine) as session:
        statuses = [s.as_dict() for s in source_statuses(session=session)]
        drift = [
            {
                "source": e.source,
                "path": e.path,
                "problem": e.problem,
                "expected": e.expected,
                "found": e.found,
                "count": e.count,
                "examples": e.examples,
            }
            for e in list_drift(session=session)
        ]
    if json_out:
        print_json({"sources": statuses, "drift": drift})
        return
    for s in statuses:
        fresh = "[red]STALE[/]" if s["stale"] else "[green]fresh[/]"
        out.print(
            f"{s['name']:<16} {s['kind']:<5} {fresh}  last success {s['last_success_at'] or 'never'}"
            f"  (cadence {s['expected_cadence_s']}s)  records {s['records']}  drift {s['drift_events']}"
            + (f"\n    [red]last error: {s['last_error']}[/]" if s["last_error"] else "")
        )
    for d in drift:
        out.print(
            f"[yellow]drift[/] {d['source']}: field '{d['path']}' {d['problem']} (expected {d['expected']}, "
            f"found {d['found']}) ×{d['count']}, e.g. {d['examples'][:2]}"
        )


@app.command("test")
def test(name: str, limit: Annotated[int, typer.Option(help="Records to show at most.")] = 5) -> None:
    """Check credentials and show the first page a backfill would read; nothing is stored."""
    runtime = build_runtime(Settings())
    source = runtime.live_source(name)
    items = source.first_page(limit=max(1, limit))
    records = [i for i in items if isinstance(i, RawRecord)]
    failures = [i for i in items if isinstance(i, RecordFailure)]
    out.print(f"{name}: credentials ok, {len(records)} records and {len(failures)} rejected on the first page")
    for record in records[:limit]:
        out.print(f"  {record.kind} {record.external_id}{' (deleted)' if record.deleted else ''}  {record.url or ''}")
    for failure in failures[:limit]:
        out.print(f"  [yellow]rejected {failure.external_id}: {failure.reason}[/]")


def _sync(names: list[str], *, reset: bool, json_out: bool) -> None:
    runtime = build_runtime(Settings())
    chosen = names or runtime.live_source_names()
    if not chosen:
        raise ConfigurationError("no live sources; add one with: groundswell sources add NAME --type TYPE")
    sources = [runtime.live_source(n) for n in chosen]
    if reset:
        with session_scope(runtime.engine) as session:
            for n in chosen:
                get_sync_state(session=session, source=n).checkpoint = {}
    with RichPipelineProgress(enabled=not json_out) as progress:
        report = run_pipeline(runtime=runtime, sources=sources, progress=progress)
    summary = report.as_dict()
    if json_out:
        print_json(summary)
    else:
        out.print(
            f"records: {summary['accepted']} new, {summary['updated']} updated, {summary['deleted']} deleted, "
            f"{summary['rejected']} rejected · units +{summary['units_added']} -{summary['units_removed']} · "
            f"embedded {summary['embedded']} in {summary['seconds']}s"
        )
    for source, error in dict(summary["errors"]).items():  # type: ignore[call-overload]
        err.print(f"[red]{source}: {error}[/]")
    if summary["errors"]:
        raise typer.Exit(1)


@app.command("sync")
def sync(names: Annotated[list[str] | None, typer.Argument()] = None, json_out: JsonOption = False) -> None:
    """Incremental sync from each source's checkpoint (an interrupted backfill continues where it stopped)."""
    _sync(names or [], reset=False, json_out=json_out)


@app.command("backfill")
def backfill(
    names: Annotated[list[str], typer.Argument()],
    resume: Annotated[bool, typer.Option(help="Continue an interrupted backfill instead of restarting.")] = False,
    json_out: JsonOption = False,
) -> None:
    """Read everything again from the start (stored records that did not change are not stored twice)."""
    _sync(names, reset=not resume, json_out=json_out)
