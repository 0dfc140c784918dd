"""`groundswell eval alerts`: replay spike detection hour by hour over the stored demo data.

Truth: ``_truth/truth.json``'s planted spike (theme path and release time). Reported: whether an alert on the
spike's theme family was posted within one detection window (``window_h``) of the release, the delay, and the
other alert threads per week (false alerts: everything else the channel would have seen, after noise control).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from time import perf_counter
from typing import Annotated, Any

import typer
from groundswell.cli.output import err, out, print_json
from groundswell.core.alerts import simulate
from groundswell.core.spikes import SpikeConfig, collapse, explain, replay
from groundswell.storage.db import Engine, session_scope
from groundswell.storage.signals import list_signals
from groundswell.storage.taxonomy import get_taxonomy

__all__ = ["evaluate_alerts", "register"]

EPISODE_DAYS = 14  # alerts on the spike's family up to two weeks after the release belong to the planted spike


def _theme_key(truth: dict[str, Any], path: str) -> str:
    themes = {t["id"]: t for t in truth["themes"]}
    for theme in themes.values():
        parent = themes.get(theme["parent"] or "")
        if parent is not None and f"{parent['name']} > {theme['name']}" == path:
            return theme["id"]
    raise typer.BadParameter(f"the planted spike theme {path!r} is not in the truth's themes")


def evaluate_alerts(engine: Engine, truth: dict[str, Any], *, config: SpikeConfig, budget: int) -> dict[str, Any]:
    spike_key = _theme_key(truth, truth["planted"]["spike"]["theme"])
    release = datetime.fromisoformat(truth["release"]["released_at"].replace("Z", "+00:00"))
    with session_scope(engine) as session:
        signals = list_signals(session=session)
        taxonomy = get_taxonomy(session=session)
    if not signals or taxonomy is None:
        raise typer.BadParameter("no classified units: run `groundswell demo` with this data dir first")
    family = f"theme:{taxonomy.root_of(spike_key) if spike_key in taxonomy else spike_key.split('.')[0]}"
    start = signals[0].at.replace(minute=0, second=0, microsecond=0) + timedelta(hours=config.history_h)
    end = signals[-1].at.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    started = perf_counter()
    spikes = collapse(replay(signals, start=start, end=end, config=config), window_h=config.window_h)
    actions = simulate(spikes, budget=budget)
    seconds = perf_counter() - started
    posted = [a for a in actions if a.kind == "new" and a.spike is not None]
    planted = [
        a
        for a in posted
        if a.family == family and release <= a.spike.at <= release + timedelta(days=EPISODE_DAYS)  # type: ignore[union-attr]
    ]
    false = [a for a in posted if a not in planted]
    delay = (planted[0].spike.at - release) / timedelta(hours=1) if planted else None  # type: ignore[union-attr]
    weeks = (end - start) / timedelta(days=7)
    names = {t.key: t.name for t in taxonomy}
    releases = {truth["release"]["name"]: release}
    return {
        "planted_theme": spike_key,
        "planted_caught": delay is not None and delay <= config.window_h,
        "detection_delay_h": None if delay is None else round(delay, 1),
        "planted_alert": explain(planted[0].spike, signals, names=names, releases=releases) if planted else None,  # type: ignore[arg-type]
        "false_alerts": len(false),
        "false_alerts_per_week": round(len(false) / weeks, 2) if weeks > 0 else None,
        "suppressed_by_budget": sum(1 for a in actions if a.kind == "suppress"),
        "weeks_replayed": round(weeks, 1),
        "detection_interval_h": config.step_h,
        "window_h": config.window_h,
        "sensitivity": config.sensitivity,
        "baseline": config.baseline,
        "alert_budget_per_day": budget,
        "signals": len(signals),
        "replay_seconds": round(seconds, 2),
        "false_alert_examples": [
            explain(a.spike, signals, names=names, releases=releases) for a in false[:5] if a.spike is not None
        ],
    }


def register(app: typer.Typer) -> None:
    """Adds the command to the eval group."""

    @app.command("alerts")
    def eval_alerts(
        data_dir: Annotated[Path | None, typer.Option(file_okay=False, help="Data dir of a demo ingest.")] = None,
        sensitivity: Annotated[float | None, typer.Option(help="Override GROUNDSWELL_SPIKE_SENSITIVITY.")] = None,
        baseline: Annotated[str, typer.Option(help="daily | weekday")] = "daily",
        json_output: Annotated[bool, typer.Option("--json", help="Print exactly one JSON object.")] = False,
    ) -> None:
        """Replay hourly spike detection on the demo: planted spike caught? delay? false alerts per week?"""
        from groundswell.runtime import build_runtime
        from groundswell.settings import Settings

        settings = Settings(data_dir=data_dir) if data_dir else Settings()
        runtime = build_runtime(settings)
        truth_path = settings.exports_dir / "_truth" / "truth.json"
        if not truth_path.exists():
            raise typer.BadParameter(f"{truth_path} is missing: run `groundswell demo` with this data dir first")
        config = SpikeConfig(
            sensitivity=sensitivity if sensitivity is not None else settings.spike_sensitivity,
            baseline=baseline,  # type: ignore[arg-type]
            step_h=max(1, settings.spike_interval_minutes // 60),
        )
        err.print(f"eval alerts: replaying detection every {config.step_h} h over {settings.data_dir}")
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        result = evaluate_alerts(runtime.engine, truth, config=config, budget=settings.alert_budget_per_day)
        if json_output:
            print_json(result)
            return
        for key, value in result.items():
            out.print(f"{key:<24} {value}")
