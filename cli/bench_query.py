"""`groundswell bench query`: the analytics tools alone (no planner, quotes or phrasing) over N units.

A small demo is ingested for real (template), then grown to N units with ``storage.synthetic.grow_corpus``
(bulk copies keeping its distributions). The demo's own questions are planned once by the rules planner;
each plan's ``run_plan`` is timed ``--repeats`` times as an admin. Runs on SQLite by default, on PostgreSQL
with ``--database-url`` (an empty, dedicated database: it is filled, and reused on the next run).
"""

from __future__ import annotations

import json
import statistics
import tempfile
from collections import defaultdict
from pathlib import Path
from time import perf_counter
from typing import Annotated, Any

import typer
from groundswell.cli.common import JsonOption
from groundswell.cli.output import err, out, print_json
from groundswell.core.query import QueryPlan, Viewer

from groundswell.runtime import Runtime, build_runtime
from groundswell.settings import Settings

__all__ = ["bench_query", "prepare_corpus", "register"]

QUESTIONS = Path("_truth") / "questions.jsonl"
ADMIN = Viewer(name="bench", role="admin")
# shapes the demo's list may lack, so every tool is timed (generic wording: no tenant's themes or names)
SHAPES = (
    "weekly trend of negative feedback over the last 90 days",
    "how did complaints change this month compared to last month?",
    "top themes by ARR among enterprise accounts in the last quarter",
    "which accounts renewing in the next 60 days are unhappy?",
    "what should product prioritise for mid-market?",
    "break down last month's feedback by source",
    "which teams need to act?",
    "what changed after the last release?",
)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def prepare_corpus(runtime: Runtime, scratch: Path, *, units: int, template: int, seed: int, quiet: bool) -> int:
    """Ingest a ``template``-unit demo when the database holds none, grow it to ``units``; units stored."""
    from groundswell.cli.bench import ingest_demo_units
    from groundswell.storage.db import session_scope
    from groundswell.storage.stats import count_totals
    from groundswell.storage.synthetic import grow_corpus

    with session_scope(runtime.engine) as session:
        stored = count_totals(session=session).units
    if stored == 0:
        ingest_demo_units(runtime, scratch, min(units, template), seed, show_progress=not quiet, taxonomy=True)
    if units > template:
        err.print(f"bench: growing the corpus to {units} units …")
        report = grow_corpus(runtime.engine, target=units, seed=seed)
        err.print(f"bench: {report.as_dict()}")
    with session_scope(runtime.engine) as session:
        return count_totals(session=session).units


def _plans(runtime: Runtime) -> list[tuple[str, QueryPlan]]:
    """The demo's questions and ``SHAPES``, planned by the rules planner against the stored vocabulary."""
    from groundswell.cli.evals.answers import demo_as_of
    from groundswell.graph.planner import plan_question, with_releases
    from groundswell.storage.analytics import vocabulary
    from groundswell.storage.db import session_scope
    from groundswell.storage.releases import list_releases

    path = runtime.settings.exports_dir / QUESTIONS
    as_of = demo_as_of(path, runtime)
    if as_of is None:
        raise typer.BadParameter(f"no demo questions at {path}: the corpus must come from `bench query` or a demo")
    with session_scope(runtime.engine) as session:
        vocab = with_releases(vocabulary(session=session), list_releases(session=session))
    texts = [json.loads(line)["question"] for line in path.read_text().splitlines() if line.strip()]
    texts += [s for s in SHAPES if s not in texts]
    plans = [(t, plan_question(t, vocabulary=vocab, as_of=as_of)) for t in texts]
    return [(t, p) for t, p in plans if p.kind not in ("clarify", "help")]


def bench_query(runtime: Runtime, repeats: int) -> dict[str, Any]:
    """p50/p95 of ``run_plan`` per plan kind and overall, and the slowest questions."""
    from groundswell.storage.analytics import run_plan
    from groundswell.storage.db import session_scope

    plans = _plans(runtime)
    timings: list[float] = []
    by_kind: dict[str, list[float]] = defaultdict(list)
    slowest: dict[str, float] = {}
    with session_scope(runtime.engine) as session:
        run_plan(session=session, plan=plans[0][1], viewer=ADMIN)  # warm: connection, caches
        for text, plan in plans:
            for _ in range(repeats):
                started = perf_counter()
                run_plan(session=session, plan=plan, viewer=ADMIN)
                took = perf_counter() - started
                timings.append(took)
                by_kind[plan.kind].append(took)
                slowest[text] = max(slowest.get(text, 0.0), took)
    worst = sorted(slowest.items(), key=lambda kv: -kv[1])[:5]
    return {
        "plans": len(plans),
        "runs": len(timings),
        "p50_s": round(statistics.median(timings), 3),
        "p95_s": round(percentile(timings, 0.95), 3),
        "max_s": round(max(timings), 3),
        "by_kind": {
            k: {"runs": len(v), "p50_s": round(statistics.median(v), 3), "p95_s": round(percentile(v, 0.95), 3)}
            for k, v in sorted(by_kind.items())
        },
        "slowest": [{"question": q, "seconds": round(s, 3)} for q, s in worst],
    }


def register(app: typer.Typer) -> None:
    @app.command("query")
    def bench_query_command(
        units: Annotated[int, typer.Option(help="Units the corpus is grown to (synthetic copies).")] = 100_000,
        template: Annotated[int, typer.Option(help="Units ingested for real before growing.")] = 3_000,
        repeats: Annotated[int, typer.Option(help="Runs of each plan.")] = 3,
        seed: Annotated[int, typer.Option()] = 11,
        database_url: Annotated[
            str | None, typer.Option(help="A dedicated PostgreSQL database (filled; reused with the same --data-dir).")
        ] = None,
        data_dir: Annotated[Path | None, typer.Option(help="Keep the corpus here (reused on the next run).")] = None,
        json_output: JsonOption = False,
    ) -> None:
        """Latency of the analytics tools (p50/p95 per plan kind) over a large synthetic corpus."""
        with tempfile.TemporaryDirectory(prefix="gs-bench-query-") as tmp:
            settings = Settings(data_dir=data_dir or Path(tmp) / "data", database_url=database_url)
            runtime = build_runtime(settings)
            stored = prepare_corpus(runtime, Path(tmp), units=units, template=template, seed=seed, quiet=json_output)
            dialect = runtime.engine.dialect.name
            err.print(f"bench: timing the analytics tools over {stored} units ({dialect}) …")
            result = {"units": stored, "database": dialect} | bench_query(runtime, repeats)
        if json_output:
            print_json(result)
        else:
            out.print(result)
