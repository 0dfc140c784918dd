"""The tail every labelled-data eval shares: run it, turn bad input into a usage error, print JSON or a table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer
from groundswell.cli.output import out, print_json

__all__ = ["report"]


def report(compute: Callable[[], dict[str, Any]], *, json_output: bool, width: int) -> dict[str, Any] | None:
    """Run ``compute``; a ``ValueError`` (bad file, missing column) becomes ``typer.BadParameter``. With
    ``json_output`` print the payload and return None; otherwise print its flat keys (``per_label`` is left to
    the caller, whose labels nest differently) and return the payload."""
    try:
        payload = compute()
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    if json_output:
        print_json(payload)
        return None
    for key, value in payload.items():
        if key != "per_label":
            out.print(f"{key:<{width}} {value}")
    return payload
