"""`groundswell serve | socket | console`: host the Slack app over HTTP, over Socket Mode, or in the terminal."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer
from groundswell.cli.output import err, out

from groundswell.runtime import Runtime, build_runtime
from groundswell.settings import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI
    from groundswell.surfaces.service import Surface

__all__ = ["EmbeddedScheduler", "build_api", "register"]


class EmbeddedScheduler:
    """The jobs inside the ``serve`` process (GROUNDSWELL_EMBEDDED_SCHEDULER): started and stopped with the app."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.scheduler: Any = None
        self._mutex = threading.Lock()

    def start(self) -> None:
        from groundswell.bot.notify import build_job_hooks
        from groundswell.jobs.worker import start_in_process_scheduler

        with self._mutex:
            if self.scheduler is None:
                self.scheduler = start_in_process_scheduler(self.runtime, build_job_hooks(self.runtime))

    def stop(self) -> None:
        with self._mutex:
            scheduler, self.scheduler = self.scheduler, None
        if scheduler is not None:
            scheduler.shutdown(wait=True)  # waits for running jobs: no scheduler or executor thread is left

    @asynccontextmanager
    async def lifespan(self, _app: Any) -> AsyncIterator[None]:
        self.start()
        try:
            yield
        finally:
            self.stop()


def build_api(runtime: Runtime, surface: Surface | None = None) -> FastAPI:
    """The HTTP app ``serve`` runs: Slack (when its token and signing secret are set), push webhooks, health,
    Prometheus ``/metrics``, the REST API and the MCP endpoint;
    with GROUNDSWELL_EMBEDDED_SCHEDULER the scheduled jobs run in this process while the app is up."""
    from groundswell.api.app import create_api
    from groundswell.api.ingest import build_ingest_router
    from groundswell.api.mcp_server import build_mcp_server, mcp_http_app
    from groundswell.api.metrics import Metrics
    from groundswell.api.rest import build_rest_router, install_problem_handlers
    from groundswell.bot import create_app
    from groundswell.bot.hosting import build_bot_deps
    from groundswell.bot.http import SlackHttpHandler
    from groundswell.surfaces.service import Surface
    from starlette.routing import Route

    settings = runtime.settings
    metrics = Metrics(engine=runtime.engine, spend_limit=runtime.llm_spend_limit, cache_s=settings.metrics_cache_s)
    runtime.telemetry.attach(metrics)  # answers, acks, denials, alerts and pipeline stages of this process
    slack = None
    if settings.slack_bot_token and settings.slack_signing_secret:
        slack = SlackHttpHandler(create_app(build_bot_deps(runtime)))
    else:
        err.print(
            "[yellow]No Slack token/signing secret set: serving /healthz, /readyz, /metrics, /ingest, /api/v1, /mcp.[/]"
        )
    embedded = EmbeddedScheduler(runtime) if settings.embedded_scheduler else None
    surface = surface or Surface(runtime)
    mcp = build_mcp_server(surface)
    mcp_app = mcp_http_app(mcp, surface, settings.mcp_allowed_hosts)

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        async with mcp.session_manager.run():
            if embedded is None:
                yield
                return
            async with embedded.lifespan(app):
                yield

    routers = [build_ingest_router(runtime), build_rest_router(surface)]
    api = create_api(slack=slack, engine=runtime.engine, extra_routers=routers, lifespan=lifespan, metrics=metrics)
    api.router.routes.append(Route("/mcp", mcp_app, methods=["GET", "POST", "DELETE"]))
    install_problem_handlers(api)
    return api


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    ) -> None:
        """Serve /slack/events, /healthz, /readyz, the REST API (/api/v1) and MCP (/mcp) over HTTP (uvicorn)."""
        import uvicorn
        from groundswell.cli.logs import setup_logging

        runtime = build_runtime(Settings())
        setup_logging(runtime)
        api = build_api(runtime)
        uvicorn.run(api, host=host, port=port, log_config=None)  # uvicorn's loggers go through our handler

    @app.command()
    def socket() -> None:
        """Connect to Slack in Socket Mode (no public URL needed; needs GROUNDSWELL_SLACK_APP_TOKEN)."""
        from groundswell.bot import create_app
        from groundswell.bot.hosting import build_bot_deps, run_socket_mode
        from groundswell.cli.logs import setup_logging

        runtime = build_runtime(Settings())
        setup_logging(runtime)
        token = runtime.settings.slack_app_token
        bolt = create_app(build_bot_deps(runtime))
        err.print("Connecting to Slack in Socket Mode … (Ctrl-C to stop)")
        run_socket_mode(bolt, token.get_secret_value() if token else None)

    @app.command()
    def console() -> None:
        """Try the Slack bot offline: the real app and listeners, driven from this terminal."""
        from groundswell.bot.console import ConsoleSession
        from groundswell.bot.hosting import build_bot_deps

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
