"""`groundswell bench ask`: the agent's latency (p50/p95) and peak memory over a demo corpus of N units."""

from __future__ import annotations

import json
import statistics
import tempfile
from pathlib import Path
from time import perf_counter
from typing import Annotated, Any

import typer
from groundswell.cli.common import JsonOption
from groundswell.cli.output import err, out, print_json
from groundswell.core.answer import Asker
from groundswell.core.audit import AuditedAsker
from groundswell.core.query import Viewer
from groundswell.graph.agent import Agent

from groundswell.runtime import Runtime, build_runtime
from groundswell.settings import Settings

__all__ = ["bench_ask", "register"]

QUESTIONS = Path("_truth") / "questions.jsonl"
FOLLOW_UPS = ("and for SMB?", "show more quotes", "what about Enterprise?")


def bench_ask(runtime: Runtime, questions: int, *, audited: bool = False) -> dict[str, Any]:
    """Ask ``questions`` questions (the demo's own, then follow-ups in threads), timing each ``Agent.ask``
    (``audited``: through the audit wrapper every surface uses, each question written to the audit log)."""
    from groundswell.cli.bench import peak_rss_mb
    from groundswell.cli.bench_query import percentile
    from groundswell.cli.evals.answers import demo_as_of

    path = runtime.settings.exports_dir / QUESTIONS
    texts = [json.loads(line)["question"] for line in path.read_text().splitlines() if line.strip()]
    agent: Asker = Agent(runtime.agent_context(as_of=demo_as_of(path, runtime)))
    if audited:
        agent = AuditedAsker(agent, runtime.audit, usage=runtime.ask_usage)
    viewer = Viewer(name="bench", role="admin")
    agent.ask(texts[0], viewer=viewer)  # warm: model, vocabulary, caches
    timings: list[float] = []
    for i in range(questions):
        question = texts[i % len(texts)] if i % 4 != 3 else FOLLOW_UPS[i % len(FOLLOW_UPS)]
        started = perf_counter()
        agent.ask(question, viewer=viewer, thread_id=f"bench-{i // 4}")
        timings.append(perf_counter() - started)
    return {
        "questions": questions,
        "audited": audited,
        "p50_s": round(statistics.median(timings), 3),
        "p95_s": round(percentile(timings, 0.95), 3),
        "max_s": round(max(timings), 3),
        "peak_rss_mb": peak_rss_mb(),
    }


def register(app: typer.Typer) -> None:
    @app.command("ask")
    def bench_ask_command(
        units: Annotated[int, typer.Option(help="About how many feedback units the corpus holds.")] = 20_000,
        questions: Annotated[int, typer.Option(help="Questions to time.")] = 50,
        seed: Annotated[int, typer.Option()] = 11,
        data_dir: Annotated[
            Path | None, typer.Option(help="Reuse an ingested demo data dir instead of building a corpus.")
        ] = None,
        audited: Annotated[bool, typer.Option(help="Through the audit wrapper: one audit event each.")] = False,
        template: Annotated[
            int, typer.Option(help="Ingest this many units for real, grow the rest synthetically (0: all real).")
        ] = 0,
        json_output: JsonOption = False,
    ) -> None:
        """Agent latency per question (offline planner and templates) and peak RSS."""
        from groundswell.cli.bench import ingest_demo_units
        from groundswell.cli.bench_query import prepare_corpus
        from groundswell.storage.db import session_scope
        from groundswell.storage.stats import count_totals

        with tempfile.TemporaryDirectory(prefix="gs-bench-ask-") as tmp:
            runtime = build_runtime(Settings(data_dir=data_dir or Path(tmp) / "data"))
            if data_dir is None and template:
                prepare_corpus(runtime, Path(tmp), units=units, template=template, seed=seed, quiet=json_output)
            elif data_dir is None:
                ingest_demo_units(runtime, Path(tmp), units, seed, show_progress=not json_output, taxonomy=True)
            with session_scope(runtime.engine) as session:
                stored = count_totals(session=session).units
            err.print(f"bench: {questions} questions over {stored} units …")
            result = {"units": stored} | bench_ask(runtime, questions, audited=audited)
        if json_output:
            print_json(result)
        else:
            out.print(result)
