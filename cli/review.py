"""`groundswell review …`: the queue of low-confidence classifications and the human labels that settle them
(each label also becomes a training example and gold data). Every command is audited."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer
from groundswell.cli.common import JsonOption, open_engine
from groundswell.cli.output import out, print_json
from groundswell.core.errors import GroundswellError
from groundswell.storage.audit import record_audit
from groundswell.storage.db import session_scope
from groundswell.storage.review import review_queue
from groundswell.storage.review_scope import ReviewDecision, record_review
from groundswell.storage.taxonomy import latest_version

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True, help="Review low-confidence classifications: list the queue, label units.")


def _latest(version: int | None) -> int:
    if version is None:
        raise GroundswellError("no taxonomy yet: import one with `groundswell taxonomy import`")
    return version


@app.command("queue")
def queue(
    limit: Annotated[int, typer.Option(min=1, help="How many units to list.")] = 20,
    reviewer: Annotated[str, typer.Option(help="Who looks (for the audit log).")] = "cli",
    json_output: JsonOption = False,
) -> None:
    """Units flagged for review in the latest taxonomy, lowest theme confidence first."""
    with session_scope(open_engine()) as session:
        version = _latest(latest_version(session=session))
        items = review_queue(session=session, version=version, limit=limit)
        record_audit(
            session=session, actor=reviewer, action="review.queue", target=None, details={"listed": len(items)}
        )
    if json_output:
        print_json({"taxonomy_version": version, "units": [asdict(item) for item in items]})
        return
    for item in items:
        theme = item.subtheme_key or item.theme_key or "other"
        out.print(f"{item.unit_id}  {item.confidence:.2f}  {theme:<24} {item.text[:100]}")
    if not items:
        out.print("the review queue is empty")


@app.command("label")
def label(
    unit_id: Annotated[str, typer.Argument(help="The unit to label.")],
    theme_key: Annotated[str, typer.Argument(help="A leaf theme key, or `other` when nothing fits.")],
    reviewer: Annotated[str, typer.Option(help="Who labels.")],
    sentiment: Annotated[str | None, typer.Option()] = None,
    intent: Annotated[str | None, typer.Option()] = None,
    severity: Annotated[str | None, typer.Option()] = None,
    gold_set: Annotated[str, typer.Option(help="The gold set the label belongs to.")] = "default",
    json_output: JsonOption = False,
) -> None:
    """Record a human label; it replaces the unit's classification and trains the next classifier."""
    theme = None if theme_key.lower() == "other" else theme_key
    with session_scope(open_engine()) as session:
        version = _latest(latest_version(session=session))
        decision = ReviewDecision(unit_id, version, theme, sentiment, intent, severity, gold_set)
        recorded = record_review(session=session, decision=decision, reviewer=reviewer, via="cli")
    details = recorded or {"taxonomy_version": version, "theme_key": theme, "gold_set": gold_set, "unchanged": True}
    payload = {"unit_id": unit_id, **details}
    if json_output:
        print_json(payload)
        return
    out.print(f"labelled {unit_id} as {theme or 'other'} (taxonomy v{version}, gold set {gold_set})")
