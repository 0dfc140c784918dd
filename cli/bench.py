"""`groundswell bench …`: speed and memory figures as JSON (benchmarks, never timed tests)."""

from __future__ import annotations

import math
import resource
import tempfile
from pathlib import Path
from time import perf_counter
from typing import Annotated

import typer
from groundswell.cli import bench_ask, bench_classify, bench_identity, bench_query, bench_slack
from groundswell.cli.data import SEED_TAXONOMY, import_seed_taxonomy
from groundswell.cli.output import RichPipelineProgress, err, out, print_json
from groundswell.core.models import ConversationDoc, RawRecord
from groundswell.core.parsing import split_units
from groundswell.jobs.pipeline import PipelineReport, run_pipeline
from groundswell.storage.db import session_scope
from groundswell.storage.units import sample_unit_texts

from groundswell.runtime import Runtime, build_runtime
from groundswell.settings import Settings

__all__ = ["app", "ingest_demo_units", "peak_rss_mb"]

app = typer.Typer(no_args_is_help=True)
bench_identity.register(app)
bench_classify.register(app)
bench_slack.register(app)
bench_ask.register(app)
bench_query.register(app)
CALIBRATION_RECORDS = 400


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _units_per_record(runtime: Runtime, scratch: Path, seed: int) -> float:
    """Generate a small corpus and cut it into units without storing, to size the real run."""
    from groundswell.demo.generate import generate_demo

    generate_demo(scratch, seed=seed, records=CALIBRATION_RECORDS)
    records = units = 0
    for source in runtime.file_sources(scratch):
        for item in source.poll(None):
            if isinstance(item, RawRecord) and not item.deleted:
                doc = source.normalize(item)
                if isinstance(doc, ConversationDoc):
                    records += 1
                    units += len(split_units(doc))
    return max(units / max(records, 1), 0.1)


def ingest_demo_units(
    runtime: Runtime, scratch: Path, units: int, seed: int, *, show_progress: bool, taxonomy: bool = False
) -> PipelineReport:
    """Generate a demo corpus of about ``units`` units into the runtime's exports and ingest it (classified into
    the demo's seed taxonomy with ``taxonomy``)."""
    from groundswell.demo.generate import generate_demo

    ratio = _units_per_record(runtime, scratch / "calibration", seed)
    generate_demo(runtime.settings.exports_dir, seed=seed, records=math.ceil(units / ratio))
    if taxonomy:
        import_seed_taxonomy(runtime, runtime.settings.exports_dir / SEED_TAXONOMY)
    err.print(f"bench: ingesting about {units} units …")
    with RichPipelineProgress(enabled=show_progress) as progress:
        sources = runtime.file_sources(runtime.settings.exports_dir)
        return run_pipeline(runtime=runtime, sources=sources, progress=progress)


@app.command("ingest")
def bench_ingest(
    units: Annotated[int, typer.Option(help="About how many feedback units to push through the spine.")] = 20_000,
    seed: Annotated[int, typer.Option()] = 11,
    json_output: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Whole-spine throughput (units/s), raw embedder sentences/s on the same texts, and peak RSS."""
    with tempfile.TemporaryDirectory(prefix="gs-bench-") as tmp:
        root = Path(tmp)
        runtime = build_runtime(Settings(data_dir=root / "data"))
        report = ingest_demo_units(runtime, root, units, seed, show_progress=not json_output)
        with session_scope(runtime.engine) as session:
            texts = sample_unit_texts(session=session, limit=2_000)
        started = perf_counter()
        runtime.embedder.embed(texts)
        sentences_per_s = len(texts) / max(perf_counter() - started, 1e-9)
    result = {
        "units": report.units_added,
        "records": sum(int(r.as_dict()["accepted"]) for r in report.sources),  # type: ignore[call-overload]
        "seconds": round(report.seconds, 2),
        "units_per_s": round(report.units_added / max(report.seconds, 1e-9), 1),
        "embedder_sentences_per_s": round(sentences_per_s, 1),
        "embed_seconds": round(report.embed_seconds, 2),
        "peak_rss_mb": peak_rss_mb(),
    }
    if json_output:
        print_json(result)
    else:
        out.print(result)
