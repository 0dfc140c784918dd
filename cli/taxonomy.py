"""`groundswell taxonomy …`: import, inspect and edit the versioned theme tree; review discovered proposals.

Every edit stores a new version with its migration map (nothing is changed in place) and every command
leaves an audit event. Discovery and reprocessing live in :mod:`cli.taxonomy_jobs`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from groundswell.cli.common import ActorOption, JsonOption, actor_name, open_engine
from groundswell.cli.output import out, print_json
from groundswell.core.taxonomy import (
    FORMATS,
    Migration,
    Taxonomy,
    TaxonomyError,
    ThemeDef,
    accept,
    diff,
    dump_taxonomy,
    load_taxonomy,
    merge,
    move,
    rename,
    retire,
    split,
)
from groundswell.storage.audit import record_audit
from groundswell.storage.db import Engine, session_scope
from groundswell.storage.taxonomy import (
    decide_proposal,
    get_proposal,
    get_taxonomy,
    list_proposals,
    list_versions,
    proposal_of,
    save_taxonomy,
)
from groundswell.storage.taxonomy_reprocess import moved_counts

__all__ = ["app", "import_taxonomy_file"]

app = typer.Typer(no_args_is_help=True, help="The versioned theme tree: import, show, diff, edit, review proposals.")

VersionOption = Annotated[int | None, typer.Option("--version", help="Taxonomy version (default: latest).")]


def _audit(engine: Engine, actor: str | None, action: str, target: str | None, details: dict[str, Any]) -> None:
    with session_scope(engine) as session:
        record_audit(
            session=session, actor=actor_name(actor), action=f"taxonomy.{action}", target=target, details=details
        )


def _load(engine: Engine, version: int | None) -> Taxonomy:
    with session_scope(engine) as session:
        taxonomy = get_taxonomy(session=session, version=version)
    if taxonomy is None:
        what = f"version {version}" if version is not None else "taxonomy yet"
        raise TaxonomyError(f"no {what}: run `groundswell taxonomy import FILE` first")
    return taxonomy


def import_taxonomy_file(engine: Engine, path: Path, *, actor: str, note: str = "") -> Taxonomy:
    """Validate ``path`` completely, then store it as the next version (nothing is stored on error)."""
    taxonomy = load_taxonomy(path)
    with session_scope(engine) as session:
        stored = save_taxonomy(session=session, taxonomy=taxonomy, created_by=actor, note=note or f"import {path.name}")
        record_audit(
            session=session, actor=actor, action="taxonomy.import", target=str(stored.version),
            details={"file": str(path), "themes": len(stored)},
        )  # fmt: skip
    return stored


def _edit(
    actor: str | None, action: str, target: str, change: Callable[[Taxonomy], tuple[Taxonomy, Migration]]
) -> tuple[Taxonomy, Migration, dict[str, Any]]:
    """Apply ``change`` to the latest version, store the result with its migration, audit it."""
    engine = open_engine()
    before = _load(engine, None)
    after, migration = change(before)
    with session_scope(engine) as session:
        stored = save_taxonomy(session=session, taxonomy=after, migration=migration, created_by=actor_name(actor))
        record_audit(
            session=session, actor=actor_name(actor), action=f"taxonomy.{action}", target=target,
            details={"version": stored.version, **migration.params},
        )  # fmt: skip
    changes = diff(before, stored).as_dict()
    return stored, migration, changes


def _report(stored: Taxonomy, migration: Migration, changes: dict[str, Any], json_output: bool) -> None:
    payload = {"version": stored.version, "migration": migration.as_dict(), "diff": changes}
    if json_output:
        print_json(payload)
        return
    out.print(f"taxonomy version {stored.version} ({migration.edit})")
    for kind, items in changes.items():
        if items:
            out.print(f"  {kind}: {items}")


def _tree_lines(taxonomy: Taxonomy, parent: str | None = None, depth: int = 0) -> list[str]:
    lines: list[str] = []
    for theme in taxonomy.children(parent):
        status = "" if theme.active else f" [{theme.status}]"
        owner = f"  ({theme.owner_team})" if theme.owner_team else ""
        lines.append(f"{'  ' * depth}{theme.key}: {theme.name}{status}{owner}")
        lines.extend(_tree_lines(taxonomy, theme.key, depth + 1))
    return lines


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="YAML or JSON taxonomy file.")],
    note: Annotated[str, typer.Option(help="Why this version.")] = "",
    actor: ActorOption = None,
    json_output: JsonOption = False,
) -> None:
    """Store a taxonomy file as the next version (the demo's _truth/seed_taxonomy.json works as is)."""
    stored = import_taxonomy_file(open_engine(), file, actor=actor_name(actor), note=note)
    if json_output:
        print_json({"version": stored.version, "themes": len(stored), "depth": stored.max_depth + 1})
    else:
        out.print(f"imported {len(stored)} themes as taxonomy version {stored.version}")


@app.command()
def export(
    version: VersionOption = None,
    fmt: Annotated[str, typer.Option("--format", help=f"One of {', '.join(FORMATS)}.")] = "yaml",
    actor: ActorOption = None,
) -> None:
    """Print a version as YAML or JSON (it imports back unchanged)."""
    engine = open_engine()
    taxonomy = _load(engine, version)
    _audit(engine, actor, "export", str(taxonomy.version), {"format": fmt})
    typer.echo(dump_taxonomy(taxonomy, fmt), nl=False)


@app.command()
def show(version: VersionOption = None, actor: ActorOption = None, json_output: JsonOption = False) -> None:
    """The theme tree of a version."""
    engine = open_engine()
    taxonomy = _load(engine, version)
    _audit(engine, actor, "show", str(taxonomy.version), {})
    if json_output:
        print_json({"version": taxonomy.version, "themes": [t.as_dict() for t in taxonomy.themes]})
        return
    out.print(f"taxonomy version {taxonomy.version}: {len(taxonomy.active)} active themes")
    for line in _tree_lines(taxonomy):
        out.print(line, highlight=False)


@app.command()
def versions(actor: ActorOption = None, json_output: JsonOption = False) -> None:
    """Every stored version with its edit, author and time."""
    engine = open_engine()
    with session_scope(engine) as session:
        rows = [
            {"version": v.version, "parent_version": v.parent_version, "edit": v.migration.get("edit"),
             "note": v.note, "created_by": v.created_by, "created_at": v.created_at.isoformat()}
            for v in list_versions(session=session)
        ]  # fmt: skip
    _audit(engine, actor, "versions", None, {})
    if json_output:
        print_json({"versions": rows})
        return
    for r in rows:
        out.print(f"v{r['version']}  {r['edit']:<8} by {r['created_by']} at {r['created_at']}  {r['note']}")


@app.command("diff")
def diff_(
    a: Annotated[int, typer.Argument(help="Older version.")],
    b: Annotated[int, typer.Argument(help="Newer version.")],
    actor: ActorOption = None,
    json_output: JsonOption = False,
) -> None:
    """Keys added, removed, retired, renamed, moved and merged between two versions, and how many classified
    units moved from which theme to which (once `taxonomy reprocess` has written the newer version)."""
    engine = open_engine()
    changes = diff(_load(engine, a), _load(engine, b)).as_dict()
    with session_scope(engine) as session:
        units = [
            {"from": old, "to": new, "units": n}
            for old, new, n in moved_counts(session=session, from_version=a, to_version=b)
        ]
    _audit(engine, actor, "diff", f"{a}..{b}", {})
    if json_output:
        print_json({"from": a, "to": b, **changes, "units_moved": units})
        return
    for kind, items in changes.items():
        out.print(f"{kind}: {items or '-'}")
    for row in units:
        out.print(f"  {row['units']:>6} units  {row['from']} → {row['to']}", highlight=False)


@app.command()
def proposals(
    all_: Annotated[bool, typer.Option("--all", help="Decided ones too.")] = False,
    actor: ActorOption = None,
    json_output: JsonOption = False,
) -> None:
    """The review queue: proposed themes with size, distinctive terms, examples and a suggested parent."""
    engine = open_engine()
    with session_scope(engine) as session:
        rows = [p.model_dump(mode="json") for p in list_proposals(session=session, status=None if all_ else "pending")]
    _audit(engine, actor, "proposals", None, {"count": len(rows)})
    if json_output:
        print_json({"proposals": rows})
        return
    if not rows:
        out.print("no pending proposals (run `groundswell taxonomy discover`)")
    for p in rows:
        out.print(f"#{p['id']} [{p['status']}] {p['name']}  size={p['size']} parent?={p['suggested_parent']}")
        for example in p["examples"]:
            out.print(f'    "{example}"', highlight=False)


@app.command("accept")
def accept_(
    proposal_id: Annotated[int, typer.Argument(help="Proposal id from `taxonomy proposals`.")],
    parent: Annotated[str | None, typer.Option("--parent", help="Parent theme key (default: suggested).")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Theme name (default: proposed).")] = None,
    actor: ActorOption = None,
    json_output: JsonOption = False,
) -> None:
    """Add a proposed theme to the taxonomy as a new version."""
    with session_scope(open_engine()) as session:
        row = get_proposal(session=session, proposal_id=proposal_id)
        if row.status != "pending":
            raise TaxonomyError(f"theme proposal {proposal_id} was already {row.status}")
        proposal = proposal_of(row)
    stored, migration, changes = _edit(
        actor, "accept", str(proposal_id), lambda t: accept(t, proposal, parent_key=parent, name=name)
    )
    with session_scope(open_engine()) as session:
        key = str(migration.params["key"])
        decide_proposal(
            session=session, proposal_id=proposal_id, status="accepted", actor=actor_name(actor), theme_key=key
        )
    _report(stored, migration, changes, json_output)


@app.command()
def reject(
    proposal_id: Annotated[int, typer.Argument(help="Proposal id.")],
    actor: ActorOption = None,
    json_output: JsonOption = False,
) -> None:
    """Drop a proposal from the queue (kept, marked rejected)."""
    engine = open_engine()
    with session_scope(engine) as session:
        decide_proposal(session=session, proposal_id=proposal_id, status="rejected", actor=actor_name(actor))
        record_audit(session=session, actor=actor_name(actor), action="taxonomy.reject", target=str(proposal_id))
    if json_output:
        print_json({"rejected": proposal_id})
    else:
        out.print(f"proposal #{proposal_id} rejected")


@app.command("rename")
def rename_(key: str, name: str, actor: ActorOption = None, json_output: JsonOption = False) -> None:
    """New display name; the key stays, the old name becomes an alias."""
    _report(*_edit(actor, "rename", key, lambda t: rename(t, key, name)), json_output)


@app.command("merge")
def merge_(
    keys: Annotated[list[str], typer.Argument(help="Themes to fold in.")],
    into: Annotated[str, typer.Option("--into", help="The theme that stays.")],
    actor: ActorOption = None,
    json_output: JsonOption = False,
) -> None:
    """Fold themes into one; their units follow on reprocess."""
    _report(*_edit(actor, "merge", into, lambda t: merge(t, keys, into)), json_output)


def _parts(spec: str) -> list[ThemeDef]:
    """``a.x,a.y=Readable name|example one|example two`` -> new themes (name defaults to the key's last part;
    examples after ``|`` train the classifier that sorts the old theme's units on reprocess)."""
    parts: list[ThemeDef] = []
    for item in filter(None, (s.strip() for s in spec.split(","))):
        key, _, rest = item.partition("=")
        name, *examples = (x.strip() for x in rest.split("|"))
        parts.append(
            ThemeDef(
                key=key.strip(),
                name=name or key.rsplit(".", 1)[-1].replace("_", " "),
                examples=tuple(e for e in examples if e),
            )
        )
    return parts


@app.command("split")
def split_(
    key: str,
    into: Annotated[str, typer.Option("--into", help="NEW1,NEW2 (optionally NEW1=Name|example|example).")],
    actor: ActorOption = None,
    json_output: JsonOption = False,
) -> None:
    """Replace a leaf theme by two or more new ones."""
    _report(*_edit(actor, "split", key, lambda t: split(t, key, _parts(into))), json_output)


@app.command("move")
def move_(
    key: str,
    parent: Annotated[str, typer.Option("--parent", help="New parent key ('' for a root theme).")],
    actor: ActorOption = None,
    json_output: JsonOption = False,
) -> None:
    """Hang a theme under another parent."""
    _report(*_edit(actor, "move", key, lambda t: move(t, key, parent or None)), json_output)


@app.command("retire")
def retire_(key: str, actor: ActorOption = None, json_output: JsonOption = False) -> None:
    """Stop using a leaf theme (kept as retired; its units go to the parent on reprocess)."""
    _report(*_edit(actor, "retire", key, lambda t: retire(t, key)), json_output)


def _register_jobs() -> None:
    from groundswell.cli import taxonomy_jobs

    taxonomy_jobs.register(app, load=_load, engine=open_engine, actor=actor_name)


_register_jobs()
