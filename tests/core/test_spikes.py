"""Spike detection and explanations on synthetic signals; alert noise control."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from groundswell.core.alerts import OpenAlert, plan_alerts, rollup_text, simulate
from groundswell.core.signals import Signal
from groundswell.core.spikes import Scope, Spike, SpikeConfig, collapse, detect, explain, replay, tail_score

T0 = datetime(2026, 9, 1, tzinfo=UTC)
RELEASE = T0 + timedelta(days=40, hours=8)


def _baseline(days: int = 41, per_day: float = 6, seed: int = 1) -> list[Signal]:
    rng = random.Random(seed)
    out = []
    for day in range(days):
        for _ in range(sum(1 for _ in range(200) if rng.random() < per_day / 200)):
            at = T0 + timedelta(days=day, seconds=rng.randrange(86_400))
            account = f"A{rng.randrange(40)}"
            out.append(Signal(f"b{len(out)}", at, "auth.sso", "auth", "zendesk", "smb", account, 20_000.0))
            other = T0 + timedelta(days=day, seconds=rng.randrange(86_400))
            out.append(Signal(f"o{len(out)}", other, "export.csv", "export", "intercom", "smb", account, 20_000.0))
    return out


def _spike(n: int = 41) -> list[Signal]:
    start = RELEASE + timedelta(hours=2)
    return [
        Signal(
            f"s{i}",
            start + timedelta(minutes=20 * i),
            "auth.sso",
            "auth",
            "zendesk",
            "enterprise",
            f"E{i % 9}",
            250_000.0,
        )
        for i in range(n)
    ]


def test_tail_score_orders_surprise():
    assert tail_score(6, 6, 9) == 0.0 or tail_score(6, 6, 9) < 1
    assert tail_score(41, 6, 9) > tail_score(20, 6, 9) > tail_score(12, 6, 9)
    assert tail_score(41, 6, 6) > tail_score(41, 6, 30)  # over-dispersed baselines are less surprised


def test_quiet_history_has_no_spike_and_a_planted_one_is_caught_and_explained():
    signals = _baseline() + _spike()
    at = RELEASE + timedelta(hours=16)
    assert [
        s
        for s in replay(_baseline(), start=T0 + timedelta(days=29), end=T0 + timedelta(days=40))
        if s.scope.kind == "theme"
    ] == []
    spikes = collapse(detect(signals, at=at))
    (top,) = [s for s in spikes if s.scope.family == "theme:auth"]
    assert top.observed >= 41 and top.expected < 10 and top.score >= 3
    text = explain(
        top, signals, names={"auth.sso": "SSO login failures", "auth": "Authentication"}, releases={"4.12": RELEASE}
    )
    assert "in 24 h vs" in text and "typical" in text
    assert "started 2 h after release 4.12" in text
    assert "$2.2M ARR" in text or "$2.3M ARR" in text or "ARR" in text


def test_explanation_figures_are_exact():
    spike = Spike(Scope("theme", "auth.sso", None, "theme:auth"), RELEASE + timedelta(hours=24), 41, 6.2, 2.9, 12.0)
    text = explain(spike, _spike(), names={"auth.sso": "SSO login failures"}, releases={"4.12": RELEASE})
    assert (
        text == "SSO login failures: 41 in 24 h vs 6 ± 3 typical; 9 enterprise accounts, $2.2M ARR; "
        "started 2 h after release 4.12"
    )


def test_replay_and_detect_agree():
    signals = _baseline() + _spike()
    at = RELEASE + timedelta(hours=20)
    replayed = [s for s in replay(signals, start=at, end=at) if s.at == at]
    assert {(s.scope, s.observed) for s in replayed} == {(s.scope, s.observed) for s in detect(signals, at=at)}


def test_weekday_baseline_and_sensitivity():
    signals = _baseline() + _spike(14)
    at = RELEASE + timedelta(hours=20)
    assert detect(signals, at=at, config=SpikeConfig(sensitivity=50)) == []
    assert any(s.scope.name == "auth.sso" for s in detect(signals, at=at, config=SpikeConfig(baseline="weekday")))
    with pytest.raises(ValueError):
        SpikeConfig(baseline="weekday", baseline_days=3).lags_h and max(
            SpikeConfig(baseline="weekday", baseline_days=3).lags_h
        )


def _s(family: str, observed: int = 20, score: float = 5.0, name: str | None = None) -> Spike:
    theme = family.split(":", 1)[1]
    return Spike(Scope("theme", name or theme, None, family), T0, observed, 5.0, 2.0, score)


def test_collapse_keeps_one_per_family_and_drops_sources_explained_by_a_theme():
    source = Spike(Scope("source", "zendesk", None, "source:zendesk"), T0, 50, 10, 3, 9.0)
    kept = collapse([_s("theme:auth", score=4, name="auth.sso"), _s("theme:auth", score=6), source])
    assert [(s.scope.family, s.score) for s in kept] == [("theme:auth", 6)]
    assert collapse([source]) == [source]


def test_plan_alerts_new_update_touch_suppress_resolve():
    open_alerts = {
        "theme:auth": OpenAlert(1, "theme:auth", 20, T0 - timedelta(hours=2)),
        "theme:dash": OpenAlert(2, "theme:dash", 9, T0 - timedelta(hours=30)),
    }
    spikes = [_s("theme:auth", observed=30), _s("theme:export"), _s("theme:billing"), _s("theme:integ", score=4)]
    actions = plan_alerts(spikes, open_alerts=open_alerts, snoozed={"billing"}, sent_recently=0, budget=1, now=T0)
    kinds = {a.family: (a.kind, a.reason) for a in actions}
    assert kinds == {
        "theme:auth": ("update", ""),
        "theme:export": ("new", ""),
        "theme:billing": ("suppress", "snoozed"),
        "theme:integ": ("suppress", "budget"),
        "theme:dash": ("resolve", ""),
    }
    again = plan_alerts(
        [_s("theme:auth", observed=21)], open_alerts=open_alerts, snoozed=(), sent_recently=0, budget=1, now=T0
    )
    assert [a.kind for a in again] == ["resolve", "touch"]


def test_rollup_text():
    assert rollup_text([]) == "No alerts were held back in the last 7 days."
    text = rollup_text([("theme=a", "budget", "A: 9 in 24 h"), ("theme=b", "snoozed", "")])
    assert text.splitlines() == [
        "2 alerts held back in the last 7 days (1 budget, 1 snoozed):",
        "• A: 9 in 24 h [budget]",
        "• theme=b [snoozed]",
    ]


def test_simulate_posts_one_thread_per_episode_and_respects_the_budget():
    hours = [T0 + timedelta(hours=h) for h in range(10)]
    ongoing = [_s("theme:auth", observed=20 + h) for h in range(10)]
    ongoing = [
        Spike(s.scope, at, s.observed, s.expected, s.spread, s.score) for s, at in zip(ongoing, hours, strict=True)
    ]
    later = Spike(ongoing[0].scope, T0 + timedelta(days=3), 30, 5, 2, 6)
    others = [
        Spike(Scope("theme", f"t{i}", None, f"theme:t{i}"), T0 + timedelta(hours=1), 20, 5, 2, 5) for i in range(3)
    ]
    actions = simulate([*ongoing, later, *others], budget=2)
    assert [(a.kind, a.family, a.reason) for a in actions] == [
        ("new", "theme:auth", ""),
        ("new", "theme:t0", ""),
        ("suppress", "theme:t1", "budget"),
        ("suppress", "theme:t2", "budget"),
        ("new", "theme:auth", ""),  # a new episode after the first was resolved
    ]
