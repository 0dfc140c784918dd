"""`groundswell eval answers`: the agent against questions with exact expected answers, and a top-k baseline.

Questions default to the demo corpus's ``<data dir>/exports/_truth/questions.jsonl`` (``id``, ``question``,
``expected`` {kind, filters, value, ...}); relative windows end at the corpus's ``as_of`` (``truth.json``).
Scores are defined in :mod:`graph.answers_eval`; the baseline in :mod:`graph.baseline`.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from time import perf_counter
from typing import Annotated, Any

import typer
from groundswell.cli.common import JsonOption
from groundswell.cli.evals.explain import (
    attribution,
    explain_question,
    explainable,
    print_explain,
    spec_filters,
    stage_rows,
)
from groundswell.cli.evals.quote_support import (
    QuoteSupport,
    answer_support,
    support_share,
    truth_by_unit,
    units_support,
)
from groundswell.cli.output import err, out, print_json
from groundswell.core.answer import Answer
from groundswell.core.errors import ConfigurationError, GroundswellError
from groundswell.core.query import QueryPlan, Viewer, Vocabulary
from groundswell.graph.agent import Agent
from groundswell.graph.answers_eval import QuestionScore, count_leaks, score_citations, score_value, summarize
from groundswell.graph.baseline import baseline_answer, in_spec
from groundswell.graph.context import Planner
from groundswell.storage.db import session_scope
from groundswell.storage.unit_locations import list_unit_facts

from groundswell.runtime import Runtime, build_runtime
from groundswell.settings import Settings

__all__ = ["demo_as_of", "evaluate_answers", "read_questions", "read_truth_units", "register", "restricted_viewer"]

QUESTIONS_FILE = Path("_truth") / "questions.jsonl"
ADMIN = Viewer(name="eval-admin", role="admin")


def read_questions(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise ConfigurationError(f"no questions file at {path} (run `groundswell demo` or pass --questions)")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        if not {"id", "question", "expected"} <= set(row):
            raise ConfigurationError(f"{path}: every line needs id, question and expected ({row.get('id')!r} has not)")
    return rows


def demo_as_of(path: Path, runtime: Runtime) -> datetime | None:
    truth = path.parent / "truth.json"
    if truth.is_file():
        return datetime.fromisoformat(json.loads(truth.read_text())["as_of"].replace("Z", "+00:00"))
    return runtime.settings.agent_as_of


def restricted_viewer(vocabulary: Vocabulary) -> Viewer:
    """Half the sources and one segment: enough scope to answer, enough outside it to leak."""
    segments = [s for s in vocabulary.segments if s.casefold() == "smb"] or vocabulary.segments[:1]
    return Viewer(
        name="eval-restricted",
        role="restricted",
        sources=frozenset(vocabulary.sources[::2]),
        segments=frozenset(segments),
    )


def _value(spec: dict[str, Any], answer: Answer) -> Any:
    if answer.plan.kind != spec["kind"] or not answer.results:
        return None
    try:
        from groundswell.graph.spec import answer_value  # the analytics' spec reader

        return answer_value(spec, answer.results[0])
    except (GroundswellError, IndexError, KeyError):
        return None


def spec_planner(questions: list[dict[str, Any]]) -> Planner:
    """Plans straight from the expected specs: isolates the tools and composer from the planner's mistakes."""
    by_text = {row["question"]: row["expected"] for row in questions}

    def plan(question: str, *, vocabulary: Vocabulary, as_of: datetime, previous: QueryPlan | None = None) -> QueryPlan:
        from groundswell.graph.scope_notes import without_out_of_scope
        from groundswell.graph.spec import plan_from_spec

        spec = by_text.get(question)
        if spec is None:  # a restricted viewer's question reaches the planner without the names it may not see
            spec = {without_out_of_scope(q, vocabulary)[0]: e for q, e in by_text.items()}[question]
        return plan_from_spec(spec, vocabulary=vocabulary, as_of=as_of, question=question)

    return plan


def evaluate_answers(
    runtime: Runtime,
    questions: list[dict[str, Any]],
    *,
    as_of: datetime | None,
    restricted: Viewer | None,
    k: int,
    oracle: bool = False,
    truth_units: list[dict[str, Any]] | None = None,
    explain: bool = True,
) -> dict[str, Any]:
    """Scores of the agent (and the baseline) on ``questions``; with ``truth_units``, quote support and (with
    ``explain``) each miss explained by stage."""
    context = runtime.agent_context(as_of=as_of, planner=spec_planner(questions) if oracle else None)
    agent = Agent(context)
    vocabulary = context.tools.vocabulary(context.now(), ADMIN)
    limited = restricted or restricted_viewer(vocabulary)
    units = context.tools.units
    stages = _stage_rows(runtime, truth_units) if truth_units is not None else None
    truth = truth_by_unit(stages) if stages is not None else None
    support: list[QuoteSupport] = []
    baseline_support: list[QuoteSupport] = []
    product: list[QuestionScore] = []
    explained: list[dict[str, Any]] = []
    baseline: list[QuestionScore] = []
    for row in questions:
        spec, question = row["expected"], row["question"]
        answer = agent.ask(question, viewer=ADMIN)
        score = QuestionScore(id=row["id"], kind=spec["kind"], planned=answer.plan.kind)
        got = _value(spec, answer)
        score_value(score, spec, got)
        if stages is not None and explain and explainable(spec):
            explained.append(explain_question(spec, stages, got) | {"id": row["id"]})
        score.citations, score.valid_citations = score_citations(answer, ADMIN, units)
        score.leaks = count_leaks(agent.ask(question, viewer=limited), limited, units)
        product.append(score)
        naive = baseline_answer(
            question,
            spec,
            engine=runtime.engine,
            embedder=runtime.embedder,
            vectors=runtime.vectors,
            vocabulary=vocabulary,
            k=k,
        )
        base = QuestionScore(id=row["id"], kind=spec["kind"], planned="top-k")
        score_value(base, spec, naive.value)
        base.citations = len(naive.units)
        base.valid_citations = sum(in_spec(u, spec, ADMIN) for u in naive.units)
        base.leaks = sum(not in_spec(u, {}, limited) for u in naive.units)  # retrieval has no notion of scope
        baseline.append(base)
        if stages is not None and truth is not None:
            filters = spec_filters(spec)
            support.append(answer_support(answer, filters, truth, stages["labels"]))
            baseline_support.append(units_support([u.id for u in naive.units], spec, filters, truth))
        err.print(f"{row['id']}: planned {answer.plan.kind}, exact={score.exact} agreement={score.agreement}")
    report = summarize(product)
    report["baseline"] = summarize(baseline) | {"k": k}
    report["restricted_viewer"] = {
        "name": limited.name,
        "sources": sorted(limited.sources) if limited.sources is not None else None,
        "segments": sorted(limited.segments) if limited.segments is not None else None,
        "accounts": sorted(limited.accounts) if limited.accounts is not None else None,
    }
    report["per_question"] = [vars(s) for s in product]
    if support:
        report |= support_share(support)
        report["baseline"]["quote_support"] = support_share(baseline_support)["quote_support"]
        report["baseline"]["quote_misses"] = support_share(baseline_support)["quote_misses"]
        for item, score in zip(report["per_question"], support, strict=True):
            item |= support_share([score])
    if stages is not None and explain:
        report["explain"] = {"attribution": attribution(explained), "questions": explained}
    report["as_of"] = as_of.isoformat() if as_of else None
    return report


def _stage_rows(runtime: Runtime, truth_units: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    with session_scope(runtime.engine) as session:
        units = list_unit_facts(session=session)
    return stage_rows(truth_units, units)


def read_truth_units(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise ConfigurationError(f"--explain needs the planted signals at {path} (a `groundswell demo` data dir)")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def register(app: typer.Typer) -> None:
    @app.command("answers")
    def eval_answers(
        questions: Annotated[
            Path | None, typer.Option(help="Q.jsonl (default: the demo's _truth/questions.jsonl).")
        ] = None,
        restricted_as: Annotated[str | None, typer.Option(help="Configured viewer for the leak check.")] = None,
        k: Annotated[int, typer.Option(help="Units the top-k baseline retrieves.")] = 50,
        planner: Annotated[
            str, typer.Option(help="'product' (the agent's planner) or 'spec' (plans from the expected specs).")
        ] = "product",
        explain: Annotated[
            bool, typer.Option(help="Per question, the pipeline stage where the number leaves the truth (demo data).")
        ] = False,
        json_output: JsonOption = False,
    ) -> None:
        """Exactness, ranking agreement, citation validity and permission leaks vs a top-k retrieval baseline."""
        runtime = build_runtime(Settings())
        path = questions or runtime.settings.exports_dir / QUESTIONS_FILE
        rows = read_questions(path)
        started = perf_counter()
        restricted = runtime.viewer(restricted_as) if restricted_as else None
        if planner not in ("product", "spec"):
            raise ConfigurationError(f"--planner is 'product' or 'spec', not {planner!r}")
        as_of = demo_as_of(path, runtime)
        planted = path.parent / "units.jsonl"
        truth = read_truth_units(planted) if explain or planted.is_file() else None
        oracle = planner == "spec"
        report = evaluate_answers(
            runtime, rows, as_of=as_of, restricted=restricted, k=k, oracle=oracle, truth_units=truth, explain=explain
        )
        report["planner"] = planner
        report["seconds"] = round(perf_counter() - started, 2)
        if json_output:
            print_json(report)
            return
        for key in (
            "questions",
            "number_exactness",
            "ranking_agreement",
            "set_agreement",
            "citation_validity",
            "permission_leaks",
        ):
            out.print(f"{key:>20}: {report[key]}   (baseline: {report['baseline'][key]})")
        if "quote_support" in report:
            out.print(
                f"{'quote_support':>20}: {report['quote_support']}   (baseline: {report['baseline']['quote_support']};"
                f" random quotes from the same rows: {report['quote_support_random']})"
            )
        if explain:
            print_explain(report["explain"])
