"""Options and helpers the command groups share."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from groundswell.storage.db import Engine

from groundswell.runtime import build_runtime
from groundswell.settings import Settings

__all__ = ["ActorOption", "JsonOption", "actor_name", "open_engine"]

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
ActorOption = Annotated[str | None, typer.Option(help="Who decides (default: the OS user).")]


def open_engine() -> Engine:
    """The configured database, migrated."""
    return build_runtime(Settings()).engine


def actor_name(actor: str | None) -> str:
    """Who is acting: the name given, else the OS user, else 'cli'."""
    if actor:
        return actor
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"
