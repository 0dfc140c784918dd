"""`groundswell releases add|list`: the company's release dates, so "the week after 4.12" means something.

The demo writes its public changelog as ``releases.csv`` (name, shipped_at, notes) at the export root;
`groundswell demo` imports it with :func:`import_changelog`.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import dateparser
import typer
from groundswell.cli.common import JsonOption, open_engine
from groundswell.cli.output import out, print_json
from groundswell.core.errors import GroundswellError
from groundswell.storage.db import Engine, session_scope
from groundswell.storage.releases import add_release, release_rows

__all__ = ["CHANGELOG", "app", "import_changelog", "parse_moment", "read_changelog"]

CHANGELOG = "releases.csv"
app = typer.Typer(no_args_is_help=True, help="Release dates, for questions like 'the week after 4.12'.")


def parse_moment(value: str) -> datetime:
    """A date or time as written ("2026-05-11", "2026-05-11T16:00:00Z", "May 11 2026"); naive means UTC."""
    parsed = dateparser.parse(value, languages=["en"], settings={"RETURN_AS_TIMEZONE_AWARE": False})
    if parsed is None:
        raise GroundswellError(f"not a date: {value!r}")
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def read_changelog(path: Path) -> list[tuple[str, datetime, str]]:
    """(name, shipped_at, notes) rows of a changelog CSV."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [(row["name"].strip(), parse_moment(row["shipped_at"]), row.get("notes") or "") for row in rows]


def import_changelog(engine: Engine, path: Path) -> int:
    """Store every release of a changelog CSV (idempotent); returns how many rows it had."""
    if not path.is_file():
        return 0
    rows = read_changelog(path)
    with session_scope(engine) as session:
        for name, shipped_at, notes in rows:
            add_release(session=session, name=name, shipped_at=shipped_at, notes=notes)
    return len(rows)


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Release name, e.g. 4.12.0.")],
    date: Annotated[str, typer.Argument(help="When it shipped (UTC unless a zone is given).")],
    notes: Annotated[str, typer.Option(help="What shipped.")] = "",
    json_output: JsonOption = False,
) -> None:
    """Record (or re-date) a release."""
    with session_scope(open_engine()) as session:
        row = add_release(session=session, name=name, shipped_at=parse_moment(date), notes=notes)
        payload = {"name": row.name, "shipped_at": row.shipped_at.isoformat(), "notes": row.notes}
    if json_output:
        print_json({"release": payload})
    else:
        out.print(f"release {payload['name']} shipped {payload['shipped_at']}")


@app.command("list")
def list_(json_output: JsonOption = False) -> None:
    """Releases, oldest first."""
    with session_scope(open_engine()) as session:
        rows = [
            {"name": r.name, "shipped_at": r.shipped_at.isoformat(), "notes": r.notes}
            for r in release_rows(session=session)
        ]
    if json_output:
        print_json({"releases": rows})
        return
    for row in rows:
        out.print(f"{row['name']:<12} {row['shipped_at']}  {row['notes']}")
    if not rows:
        out.print("no releases recorded: groundswell releases add NAME DATE")
