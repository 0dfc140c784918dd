"""`groundswell identity …`: look people up, read the merge history, merge and unmerge by hand, re-run resolution.

Every command leaves an AuditEvent (lookups of people are PII reads; merges and unmerges are decisions)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from groundswell.cli.common import ActorOption, JsonOption, actor_name, open_engine
from groundswell.cli.output import out, print_json
from groundswell.jobs.identity import merge_by_hand, resolve_identities, unmerge_by_hand
from groundswell.storage.db import Engine, session_scope
from groundswell.storage.identity_events import list_identity_events, record_audit
from groundswell.storage.identity_reads import event_summary, find_people, person_profile

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True, help="People, merges and their evidence; undo a wrong merge.")


def _audit(engine: Engine, action: str, target: str | None, details: dict[str, Any]) -> None:
    with session_scope(engine) as session:
        record_audit(session=session, actor=actor_name(None), action=action, target=target, details=details)


def _event_line(event: dict[str, Any]) -> str:
    undone = f" [undone by {event['undone_by']}]" if event["undone_at"] else ""
    what = event["rule"] or (f"account {event['account_id']}" if event["account_id"] else "")
    what = f"undoes #{event['undoes']}" if event["undoes"] else what
    fields = f" fields={','.join(event['agreeing_fields'])}" if event["agreeing_fields"] else ""
    moved = (
        f" moved {event['identifiers_moved']} ids/{event['units_moved']} units" if event["action"] == "merge" else ""
    )
    return (
        f"#{event['id']} {event['action']:<12} winner={event['winner_id']} loser={event['loser_id']} "
        f"conf={event['confidence']:.2f} by {event['actor']} {what}{fields}{moved}{undone}"
    )


@app.command()
def people(
    search: Annotated[str, typer.Option("--search", help="Part of a name, email, phone or handle.")],
    limit: Annotated[int, typer.Option(help="At most this many people.")] = 20,
    json_output: JsonOption = False,
) -> None:
    """People matching a name or identifier: identifiers, account and recent merge history."""
    engine = open_engine()
    with session_scope(engine) as session:
        found = [person_profile(session=session, person_id=pid) for pid in find_people(session=session, text=search)]
    found = found[:limit]
    _audit(engine, "identity.people", None, {"search": search, "results": [p["id"] for p in found]})
    if json_output:
        print_json({"people": found})
        return
    if not found:
        out.print("no people found")
    for person in found:
        account = person["account"]
        out.print(f"[bold]person {person['id']}[/] {person['name'] or '(no name)'}", markup=True)
        out.print(f"  account: {account['name'] + ' (' + str(account['id']) + ')' if account else '-'}", markup=False)
        for ident in person["identifiers"]:
            out.print(f"  {ident['kind']:<12} {ident['value']}", markup=False)
        for event in person["history"]:
            out.print("  " + _event_line(event), markup=False)


@app.command()
def history(
    person: Annotated[int | None, typer.Option(help="Only events naming this person.")] = None,
    limit: Annotated[int, typer.Option(help="Newest events first, at most this many.")] = 50,
    json_output: JsonOption = False,
) -> None:
    """Identity events with confidence and an evidence summary, newest first."""
    engine = open_engine()
    with session_scope(engine) as session:
        events = [event_summary(e) for e in list_identity_events(session=session, person_id=person, limit=limit)]
    _audit(engine, "identity.history", f"person:{person}" if person else None, {"events": len(events)})
    if json_output:
        print_json({"events": events})
        return
    if not events:
        out.print("no identity events")
    for event in events:
        out.print(_event_line(event), markup=False)


@app.command()
def unmerge(event_id: int, actor: ActorOption = None, json_output: JsonOption = False) -> None:
    """Undo a merge exactly and keep the two people apart from now on."""
    split = unmerge_by_hand(engine=open_engine(), event_id=event_id, actor=actor_name(actor))
    payload = {
        "undone": event_id,
        "split_event": split.id,
        "restored_person": split.loser_id,
        "kept_apart_from": split.winner_id,
    }
    if json_output:
        print_json(payload)
        return
    out.print(f"merge #{event_id} undone: person {split.loser_id} restored, kept apart from {split.winner_id}")


@app.command()
def merge(person_a: int, person_b: int, actor: ActorOption = None, json_output: JsonOption = False) -> None:
    """Merge two people by hand (the CRM-backed or older one survives); resolution will never split them."""
    event = merge_by_hand(engine=open_engine(), person_a=person_a, person_b=person_b, actor=actor_name(actor))
    if json_output:
        print_json({"event": event.id, "winner_id": event.winner_id, "loser_id": event.loser_id})
        return
    out.print(
        f"merged person {event.loser_id} into {event.winner_id} (event #{event.id}; undo: identity unmerge {event.id})"
    )


@app.command()
def resolve(json_output: JsonOption = False) -> None:
    """Run identity resolution now (merges with evidence, account links) and print the counts."""
    engine = open_engine()
    counts = resolve_identities(engine=engine)
    _audit(engine, "identity.resolve", None, counts)
    if json_output:
        print_json(counts)
        return
    for key, value in counts.items():
        out.print(f"{key:<16} {value}")
