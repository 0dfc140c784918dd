"""`groundswell eval planner`: plan accuracy of the deterministic planner on the demo's questions.

The vocabulary comes from the database (``--from-db``, with the demo loaded) or is what the demo company knows
without any answers: its seed taxonomy (which lacks some planted themes on purpose), its CRM export (accounts,
segments, plans), its export folders (sources) and its public changelog (releases). ``--rephrased`` files hold
``{"id", "of", "question"}`` lines: other wordings of a demo question (``of``), scored against its spec; a line
with its own ``expected`` spec instead (an own-spec row, e.g. ``tests/graph/fixtures/rephrased_pm_dev.jsonl``) is
scored against that. Without a demo export, ``--questions`` of own-spec rows are planned at ``--as-of`` against
``--from-db`` or a ``--vocabulary`` JSON file (a :class:`core.query.Vocabulary`). Rows with a ``style`` are also
reported per style.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from groundswell.cli.output import err, out, print_json
from groundswell.cli.releases import CHANGELOG, parse_moment, read_changelog
from groundswell.connectors.registry import discover_exports
from groundswell.core.protocols import Embedder
from groundswell.core.query import ThemeTerm, Vocabulary
from groundswell.graph.planner import plan_question, with_releases
from groundswell.graph.planner_eval import summarize
from groundswell.storage.analytics import vocabulary
from groundswell.storage.db import Engine, session_scope
from groundswell.storage.releases import list_releases

from groundswell.runtime import build_runtime
from groundswell.settings import Settings

__all__ = ["database_vocabulary", "demo_vocabulary", "load_jsonl", "register", "run_planner_eval"]

_CRM = "salesforce"  # accounts, not feedback


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def demo_vocabulary(root: Path) -> Vocabulary:
    """The vocabulary a database loaded with the demo export at ``root`` would hold."""
    seed = json.loads((root / "_truth" / "seed_taxonomy.json").read_text(encoding="utf-8"))["themes"]
    parents = {t["id"]: t for t in seed if not t.get("parent")}
    themes = [
        ThemeTerm(
            key=t["id"],
            name=t["name"],
            parent_key=t.get("parent"),
            parent_name=parents[t["parent"]]["name"] if t.get("parent") else None,
            aliases=t.get("aliases", []),
            owner_team=t.get("owner"),
        )
        for t in seed
    ]
    accounts, segments, plans = {}, set(), set()
    account_csv = root / _CRM / "Account.csv"
    if account_csv.is_file():
        with account_csv.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                accounts[row["Id"]] = row["Name"]
                segments.add(row.get("Segment__c") or "")
                plans.add(row.get("Plan__c") or "")
    releases = {name: at for name, at, _ in read_changelog(root / CHANGELOG)} if (root / CHANGELOG).is_file() else {}
    return Vocabulary(
        themes=themes,
        segments=sorted(s for s in segments if s),
        plans=sorted(p for p in plans if p),
        sources=[s for s in discover_exports(root) if s != _CRM],
        accounts=accounts,
        releases=releases,
    )


def _questions(questions: Path, rephrased: Path | None) -> list[dict[str, Any]]:
    originals = load_jsonl(questions)
    if rephrased is None:
        return originals
    by_id = {q["id"]: q for q in originals}
    out_rows = []
    for row in load_jsonl(rephrased):
        if "expected" in row:  # an own-spec row: scored against its own expected plan
            out_rows.append(row)
            continue
        if row.get("of") not in by_id:
            raise typer.BadParameter(f"{rephrased}: {row['id']} rephrases unknown question {row.get('of')}")
        out_rows.append({**row, "expected": by_id[row["of"]]["expected"]})
    return out_rows


def _by_style(
    rows: list[dict[str, Any]], plan: Any, vocabulary: Vocabulary, whole: dict[str, str] | None
) -> dict[str, Any]:
    """Plan accuracy per ``style`` of the rows that name one (terse, Slack-casual, formal, typos …)."""
    styles = sorted({r["style"] for r in rows if r.get("style")})
    return {
        style: summarize([r for r in rows if r.get("style") == style], plan, vocabulary, whole=whole)["plan_accuracy"]
        for style in styles
    }


def database_vocabulary(engine: Engine) -> Vocabulary:
    """The vocabulary of the configured database (the analytics one) with its releases."""
    with session_scope(engine) as session:
        return with_releases(vocabulary(session=session), list_releases(session=session))


def run_planner_eval(
    root: Path | None,
    *,
    questions: Path | None = None,
    rephrased: Path | None = None,
    embedder: Embedder | None = None,
    vocab: Vocabulary | None = None,
    as_of: datetime | None = None,
) -> dict[str, Any]:
    """The report for the demo export at ``root`` (questions default to its ``_truth/questions.jsonl``);
    ``vocab`` defaults to what the export says (:func:`demo_vocabulary`). With no ``root``: ``questions`` of
    own-spec rows, ``vocab`` and ``as_of`` are required."""
    truth_file = root / "_truth" / "truth.json" if root is not None else None
    truth = json.loads(truth_file.read_text(encoding="utf-8")) if truth_file and truth_file.is_file() else {}
    moment = as_of or (parse_moment(truth["as_of"]) if truth else None)
    if moment is None or (root is None and (questions is None or vocab is None)):
        raise typer.BadParameter("without a demo export, pass --questions, --as-of and --from-db or --vocabulary")
    vocabulary = vocab or demo_vocabulary(root)  # type: ignore[arg-type]
    rows = _questions(questions or root / "_truth" / "questions.jsonl", rephrased)  # type: ignore[operator]

    def plan(question: str) -> Any:
        return plan_question(question, vocabulary=vocabulary, as_of=moment, embedder=embedder)

    whole = truth.get("window")
    report = summarize(rows, plan, vocabulary, whole=whole)
    if any(r.get("style") for r in rows):
        report["by_style"] = _by_style(rows, plan, vocabulary, whole)
    meta = {"as_of": moment.isoformat(), "rephrased": str(rephrased) if rephrased else None}
    return {**meta, "embedder": embedder.model_id if embedder else None, **report}


def eval_planner(
    exports: Annotated[Path | None, typer.Option(help="Demo export folder (default: <data dir>/exports).")] = None,
    questions: Annotated[Path | None, typer.Option(help="Question specs (default: _truth/questions.jsonl).")] = None,
    rephrased: Annotated[Path | None, typer.Option(help="Rephrasings {id, of, question} of those questions.")] = None,
    embed: Annotated[bool, typer.Option(help="Also match theme paraphrases with the configured embedder.")] = False,
    from_db: Annotated[bool, typer.Option(help="Vocabulary from the configured database (demo loaded).")] = False,
    vocabulary_file: Annotated[
        Path | None, typer.Option("--vocabulary", help="Vocabulary JSON (own-spec questions without a demo).")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option(help="Plan relative times from this moment (default: the demo's).")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print exactly one JSON object.")] = False,
) -> None:
    """Plan accuracy overall and per field; questions about themes the vocabulary lacks must become clarify."""
    root: Path | None = exports or Settings().exports_dir
    if root is not None and not (root / "_truth" / "truth.json").is_file():
        if exports is not None or not (questions and (from_db or vocabulary_file) and as_of):
            raise typer.BadParameter(f"no demo export under {root}: run `groundswell demo` first")
        root = None  # own-spec questions, vocabulary and moment given
    runtime = build_runtime(Settings()) if embed or from_db else None
    embedder = runtime.embedder if runtime and embed else None
    vocab = database_vocabulary(runtime.engine) if runtime and from_db else None
    if vocabulary_file is not None:
        vocab = Vocabulary.model_validate_json(vocabulary_file.read_text(encoding="utf-8"))
    moment = parse_moment(as_of) if as_of else None
    report = run_planner_eval(
        root, questions=questions, rephrased=rephrased, embedder=embedder, vocab=vocab, as_of=moment
    )
    if json_output:
        print_json(report)
        return
    err.print(f"eval planner: {report['questions']} questions from {root}")
    out.print(f"plan accuracy: {report['plan_accuracy']} on {report['answerable']} answerable questions")
    for name, value in report["fields"].items():
        out.print(f"  {name:<16} {value}")
    missing = report["missing_theme"]
    out.print(f"missing themes: {missing['clarified']}/{missing['questions']} asked back")
    for style, value in report.get("by_style", {}).items():
        out.print(f"  style {style:<10} {value}")
    for failure in report["failures"]:
        out.print(f"  [red]{failure['id']}[/] {', '.join(failure['wrong'])}: {failure['question']}")


def register(app: typer.Typer) -> None:
    """Adds the command to the eval group."""
    app.command("planner")(eval_planner)
