"""`groundswell mcp`: the MCP server over stdio for desktop clients (Claude Desktop, Cursor …) as a token's viewer."""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer

from groundswell.runtime import build_runtime
from groundswell.settings import Settings

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    @app.command("mcp")
    def mcp_command(
        token: Annotated[
            str | None,
            typer.Option(envvar="GROUNDSWELL_MCP_TOKEN", help="API token (groundswell tokens create --viewer NAME)."),
        ] = None,
    ) -> None:
        """Serve the MCP tools, resources and prompts over stdio; every call is scoped to the token's viewer."""
        from groundswell.api.mcp_server import build_mcp_server
        from groundswell.surfaces.service import Surface

        logging.basicConfig(stream=sys.stderr, level=logging.WARNING)  # stdout carries the protocol only
        surface = Surface(build_runtime(Settings()))
        info, viewer = surface.auth.authenticate(token, spend=False)  # refuse a bad token before serving
        print(f"groundswell mcp: serving as viewer {viewer.name} (token #{info.id}) on stdio", file=sys.stderr)
        build_mcp_server(surface, token=token).run("stdio")
