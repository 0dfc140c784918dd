"""`groundswell tokens …`: API tokens for the REST API and the MCP server (create prints the secret once)."""

from __future__ import annotations

from typing import Annotated

import typer
from groundswell.cli.common import JsonOption
from groundswell.cli.output import out, print_json
from groundswell.storage.db import utcnow
from groundswell.surfaces.service import Surface
from groundswell.surfaces.tokens import TokenAuth, TokenInfo

from groundswell.runtime import build_runtime
from groundswell.settings import Settings

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True, help="Bearer tokens for the REST API and MCP: create, list, revoke.")


def _auth() -> TokenAuth:
    return Surface(build_runtime(Settings())).auth


def _info(info: TokenInfo) -> dict[str, object]:
    return {"id": info.id, "viewer": info.viewer, "prefix": info.prefix, "label": info.label,
            "created_at": info.created_at, "expires_at": info.expires_at, "revoked_at": info.revoked_at,
            "last_used_at": info.last_used_at, "active": info.active(utcnow())}  # fmt: skip


@app.command("create")
def create(
    viewer: Annotated[str, typer.Option("--viewer", help="The configured viewer (GROUNDSWELL_VIEWERS) it acts as.")],
    expires_days: Annotated[
        int | None, typer.Option("--expires-days", min=1, help="Lifetime (default: GROUNDSWELL_API_TOKEN_DAYS).")
    ] = None,
    label: Annotated[str, typer.Option(help="What the token is for (shown in the list).")] = "",
    json_output: JsonOption = False,
) -> None:
    """Create a token for VIEWER; the secret is printed once and only its hash is stored."""
    auth = _auth()
    days = expires_days or build_runtime(Settings()).settings.api_token_days
    issued = auth.create(viewer, days=days, label=label)
    if json_output:
        print_json({**_info(issued.info), "token": issued.token})
        return
    out.print(issued.token, markup=False, highlight=False)
    out.print(f"# token #{issued.info.id} for viewer {viewer}, expires {issued.info.expires_at:%Y-%m-%d}; "
              "shown once, store it now", markup=False, highlight=False)  # fmt: skip


@app.command("list")
def list_command(json_output: JsonOption = False) -> None:
    """Tokens (never their secrets): id, viewer, prefix, expiry, revoked, last used."""
    rows = [_info(info) for info in _auth().list()]
    if json_output:
        print_json({"tokens": rows})
        return
    for r in rows:
        state = "active" if r["active"] else ("revoked" if r["revoked_at"] else "expired")
        expires = f"{r['expires_at']:%Y-%m-%d %H:%M}" if r["expires_at"] else "never"
        out.print(f"#{r['id']:<4} {r['viewer']:<16} {r['prefix']}…  {state:<8} expires {expires}",
                  markup=False, highlight=False)  # fmt: skip
    if not rows:
        out.print("no tokens")


@app.command("revoke")
def revoke(token_id: Annotated[int, typer.Argument(help="The token's id (from `tokens list`).")]) -> None:
    """Revoke a token: every later request with it is refused (401)."""
    info = _auth().revoke(token_id)
    out.print(f"revoked token #{info.id} ({info.viewer})", markup=False, highlight=False)
