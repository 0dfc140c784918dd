"""`groundswell serve | socket | console`: host the Slack app over HTTP, over Socket Mode, or in the terminal."""

from __future__ import annotations

import importlib
from typing import Annotated

import typer

from cli.output import err, out
from runtime import build_runtime
from settings import Settings

__all__ = ["register"]


def _extra_routers() -> list[object]:
    """Routers other features ship (e.g. api/ingest.py's webhooks), mounted when present."""
    routers = []
    for name in ("api.ingest",):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        if getattr(module, "router", None) is not None:
            routers.append(module.router)
    return routers


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    ) -> None:
        """Serve /slack/events, /healthz and /readyz over HTTP (uvicorn)."""
        import uvicorn

        from api.app import create_api
        from bot import create_app
        from bot.hosting import build_bot_deps
        from bot.http import SlackHttpHandler

        runtime = build_runtime(Settings())
        settings = runtime.settings
        slack = None
        if settings.slack_bot_token and settings.slack_signing_secret:
            slack = SlackHttpHandler(create_app(build_bot_deps(runtime)))
        else:
            err.print("[yellow]No Slack token/signing secret set: serving /healthz and /readyz only.[/]")
        api = create_api(slack=slack, engine=runtime.engine, extra_routers=_extra_routers())  # type: ignore[arg-type]
        uvicorn.run(api, host=host, port=port, log_level="info")

    @app.command()
    def socket() -> None:
        """Connect to Slack in Socket Mode (no public URL needed; needs GROUNDSWELL_SLACK_APP_TOKEN)."""
        from bot import create_app
        from bot.hosting import build_bot_deps, run_socket_mode

        runtime = build_runtime(Settings())
        token = runtime.settings.slack_app_token
        bolt = create_app(build_bot_deps(runtime))
        err.print("Connecting to Slack in Socket Mode … (Ctrl-C to stop)")
        run_socket_mode(bolt, token.get_secret_value() if token else None)

    @app.command()
    def console() -> None:
        """Try the Slack bot offline: the real app and listeners, driven from this terminal."""
        from bot.console import ConsoleSession
        from bot.hosting import build_bot_deps

        runtime = build_runtime(Settings())
        session = ConsoleSession(runtime.settings, lambda s: build_bot_deps(runtime, settings=s))
        out.print("[bold]Groundswell console[/] — the Slack app, offline. " + session.help(), highlight=False)
        try:
            while True:
                try:
                    line = input("you> ")
                except EOFError:
                    break
                if line.strip() in {"quit", "exit"}:
                    break
                if line.strip() in {"?", "help"}:
                    out.print(session.help(), highlight=False)
                    continue
                for text in session.handle(line).lines:
                    out.print(text, highlight=False, markup=False)
        finally:
            session.close()
