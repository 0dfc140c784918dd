"""`groundswell demo` and `groundswell ingest`: get feedback in."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from groundswell.cli.output import RichPipelineProgress, err, out, print_json
from groundswell.cli.releases import CHANGELOG, import_changelog
from groundswell.cli.taxonomy import import_taxonomy_file
from groundswell.jobs.pipeline import PipelineReport, run_pipeline
from groundswell.storage.db import session_scope
from groundswell.storage.taxonomy import latest_version

from groundswell.runtime import Runtime, build_runtime
from groundswell.settings import Settings

__all__ = ["register"]

SEED_TAXONOMY = Path("_truth") / "seed_taxonomy.json"
NEXT_STEPS = """[bold]Try next[/]
  groundswell stats
  groundswell search "export keeps failing"
  groundswell search "sso login broken" --source zendesk --since 2026-10-01
  groundswell ingest            (run again: nothing changes, it is idempotent)
  groundswell taxonomy show
  groundswell taxonomy discover (themes the seed taxonomy misses, queued for review)

[bold]Try the Slack bot without a Slack workspace[/]
  groundswell console           (the real Slack app offline: ask questions, press buttons, open App Home)"""


def ingest_exports(runtime: Runtime, root: Path, sources: list[str] | None, *, show_progress: bool) -> PipelineReport:
    with RichPipelineProgress(enabled=show_progress) as progress:
        return run_pipeline(runtime=runtime, sources=runtime.file_sources(root, sources), progress=progress)


def import_seed_taxonomy(runtime: Runtime, path: Path) -> int | None:
    """The demo's seed taxonomy as version 1 (a data dir that already has a taxonomy keeps it)."""
    with session_scope(runtime.engine) as session:
        existing = latest_version(session=session)
    if existing is not None or not path.is_file():
        return existing
    return import_taxonomy_file(runtime.engine, path, actor="demo", note="demo seed taxonomy").version


def _print_report(report: PipelineReport) -> None:
    summary = report.as_dict()
    out.print(
        f"records: {summary['accepted']} new, {summary['updated']} updated, {summary['unchanged']} unchanged, "
        f"{summary['deleted']} deleted, {summary['rejected']} rejected · units: {summary['units_added']} new, "
        f"{summary['units_removed']} removed · embedded {summary['embedded']} in {summary['seconds']}s"
    )
    for source, error in dict(summary["errors"]).items():  # type: ignore[call-overload]
        err.print(f"[red]{source}: {error}[/]")


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(
        records: Annotated[int, typer.Option(help="Raw feedback records to generate.")] = 20_000,
        seed: Annotated[int, typer.Option(help="Same seed, same corpus.")] = 7,
        days: Annotated[int, typer.Option(help="Days of history.")] = 180,
        json_output: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    ) -> None:
        """Generate the demo tenant's corpus (six sources plus a CRM) and ingest it."""
        from groundswell.demo.generate import generate_demo
        from groundswell.demo.tenant import demo_settings_overrides

        runtime = build_runtime(Settings(**demo_settings_overrides(dict(os.environ))))
        root = runtime.settings.exports_dir
        err.print(f"Generating {records} demo records into {root} …")
        summary = generate_demo(root, seed=seed, records=records, days=days)
        taxonomy_version = import_seed_taxonomy(runtime, root / SEED_TAXONOMY)  # first, so units are classified
        releases = import_changelog(runtime.engine, root / CHANGELOG)
        report = ingest_exports(runtime, root, None, show_progress=not json_output)
        if json_output:
            print_json(
                {"demo": summary.model_dump(mode="json"), "ingest": report.as_dict(), "taxonomy": taxonomy_version}
                | {"releases": releases}
            )
            return
        _print_report(report)
        out.print(f"seed taxonomy: version {taxonomy_version} · {releases} releases from {CHANGELOG}")
        out.print(NEXT_STEPS)

    @app.command()
    def ingest(
        path: Annotated[Path | None, typer.Option(help="Export folder (default: <data dir>/exports).")] = None,
        source: Annotated[list[str] | None, typer.Option(help="Only these sources (repeatable).")] = None,
        json_output: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    ) -> None:
        """Sync sources from their checkpoints: raw records → units → embeddings. Safe to run again."""
        runtime = build_runtime(Settings())
        report = ingest_exports(runtime, path or runtime.settings.exports_dir, source, show_progress=not json_output)
        if json_output:
            print_json(report.as_dict())
        else:
            _print_report(report)
