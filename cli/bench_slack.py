"""`groundswell bench slack`: concurrent questions through the real HTTP endpoint; ack and answer latency.

Keys: ``questions``, ``concurrency``, ``answered``, ``ack_p50_ms``, ``ack_p99_ms``, ``ack_max_ms``,
``answer_p50_s``, ``answer_p99_s``, ``asker`` ("stub" or "agent"), ``think_ms``, ``seconds``.
"""

from __future__ import annotations

import asyncio
import math
import socket
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from groundswell.cli.output import err, out, print_json
from groundswell.core.answer import Answer, ResultRow, ToolResult
from groundswell.core.query import QueryPlan, Viewer

__all__ = ["StubAsker", "register", "run_bench"]


class StubAsker:
    """Answers after ``think_s`` with a fixed ranking: isolates the Slack path from the agent's speed."""

    def __init__(self, think_s: float) -> None:
        self.think_s = think_s

    def ask(self, question: str, *, viewer: Viewer, thread_id: str | None = None) -> Answer:
        time.sleep(self.think_s)
        now = datetime.now(UTC)
        return Answer(
            question=question, text="Benchmark answer.", headline="Benchmark answer",
            plan=QueryPlan(kind="ranking", as_of=now, question=question),
            results=[ToolResult(tool="bench", rows=[ResultRow(key="a", label="A", value=1, count=1)])],
            freshness={"bench": now - timedelta(minutes=5)}, thread_id=thread_id,
        )  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def run_bench(*, questions: int, think_s: float, asker: Any = None, data_dir: Path) -> dict[str, Any]:
    import uvicorn
    from groundswell.api.app import create_api
    from groundswell.bot import BotDeps, create_app
    from groundswell.bot.http import SlackHttpHandler
    from groundswell.bot.loopback import LoopbackSlack
    from groundswell.bot.simulate import SlackSimulator
    from groundswell.bot.tickets import local_ticket_sink
    from groundswell.storage.cache import MemoryCache
    from groundswell.storage.db import create_db_engine, migrate

    from groundswell.settings import Settings

    fake = LoopbackSlack()
    fake.start()
    secret = "bench-signing-secret"
    settings = Settings(_env_file=None, data_dir=data_dir, slack_bot_token="xoxb-bench",  # type: ignore[call-arg]
                        slack_signing_secret=secret, slack_api_url=fake.api_url, slack_post_interval_s=0.0)  # fmt: skip
    engine = create_db_engine(settings.resolved_database_url)
    migrate(engine)
    deps = BotDeps(settings=settings, asker=asker or StubAsker(think_s), engine=engine, cache=MemoryCache(),
                   ticket_sink=local_ticket_sink(engine))  # fmt: skip
    port = _free_port()
    api = create_api(slack=SlackHttpHandler(create_app(deps)), engine=engine)
    server = uvicorn.Server(uvicorn.Config(api, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    sim = SlackSimulator(secret)
    url = f"http://127.0.0.1:{port}/slack/events"
    sent: dict[str, float] = {}
    acks: list[float] = []

    async def ask(client: httpx.AsyncClient, i: int) -> None:
        channel = f"CBENCH{i:04d}"
        request = sim.mention(f"what are customers saying about topic {i}?", user=f"U{i:05d}", channel=channel)
        sent[channel] = time.monotonic()
        response = await client.post(url, content=request.body, headers=request.headers)
        acks.append(time.monotonic() - sent[channel])
        response.raise_for_status()

    async def burst() -> None:
        limits = httpx.Limits(max_connections=questions)
        async with httpx.AsyncClient(timeout=30, limits=limits) as client:
            await asyncio.gather(*(ask(client, i) for i in range(questions)))

    started = time.monotonic()
    try:
        asyncio.run(burst())
        deps.executor.wait_idle(600)
        answers = [c.at - sent[c.args["channel"]] for c in fake.calls_to("chat.update") if c.args["channel"] in sent]
    finally:
        server.should_exit = True
        thread.join(10)
        deps.executor.shutdown(wait=True)
        fake.stop()
    return {
        "questions": questions,
        "concurrency": questions,
        "answered": len(answers),
        "ack_p50_ms": round(_percentile(acks, 0.5) * 1000, 1),
        "ack_p99_ms": round(_percentile(acks, 0.99) * 1000, 1),
        "ack_max_ms": round(max(acks) * 1000, 1),
        "answer_p50_s": round(_percentile(answers, 0.5), 3),
        "answer_p99_s": round(_percentile(answers, 0.99), 3),
        "asker": "stub" if asker is None else "agent",
        "think_ms": round(think_s * 1000) if asker is None else None,
        "seconds": round(time.monotonic() - started, 2),
    }


def register(app: typer.Typer) -> None:
    @app.command("slack")
    def bench_slack(
        questions: Annotated[int, typer.Option(help="Concurrent questions.")] = 50,
        think_ms: Annotated[int, typer.Option(help="Stub agent's time per answer (ms).")] = 500,
        agent: Annotated[bool, typer.Option("--agent", help="Use the configured agent instead of the stub.")] = False,
        json_output: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    ) -> None:
        """Slack endpoint under load: ack latency (must stay far under 3 s) and time to the answer."""
        real = None
        if agent:
            from groundswell.runtime import build_runtime
            from groundswell.settings import Settings

            real = build_runtime(Settings()).agent
        err.print(f"Sending {questions} concurrent signed questions to /slack/events …")
        with tempfile.TemporaryDirectory() as scratch:
            report = run_bench(questions=questions, think_s=think_ms / 1000, asker=real, data_dir=Path(scratch))
        if json_output:
            print_json(report)
        else:
            for key, value in report.items():
                out.print(f"{key:>14}: {value}")
