"""The agent over a demo corpus built by the real pipeline: numbers equal an independent recomputation,
citations are valid, every question type reads well, permissions hold, planted injections change nothing."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from groundswell.cli.evals.answers import spec_planner
from groundswell.core.answer import Answer
from groundswell.core.query import Filters, QueryPlan, RankingWeights, Viewer, Vocabulary, Window
from groundswell.graph.agent import Agent
from groundswell.graph.verify import evidence_for, verify

from tests.graph.agent.conftest import Demo
from tests.graph.agent.recompute import Row, group_counts, load_rows, select_rows

pytestmark = pytest.mark.slow
ADMIN = Viewer(name="pm", role="admin")


class World:
    def __init__(self, demo: Demo) -> None:
        self.demo = demo
        questions = demo.questions
        specs = spec_planner(questions)
        self.extra: dict[str, QueryPlan] = {}
        self.context = demo.runtime.agent_context(as_of=demo.as_of, planner=self._planner(specs))
        self.agent = Agent(self.context)
        self.vocabulary: Vocabulary = self.context.tools.vocabulary(demo.as_of, ADMIN)
        self.rows: list[Row] = load_rows(demo.runtime.engine, self.vocabulary.taxonomy_version or 1)

    def _planner(self, specs: Any) -> Any:
        def plan(question: str, **kwargs: Any) -> QueryPlan:
            return self.extra[question] if question in self.extra else specs(question, **kwargs)

        return plan

    def ask(self, question: str, viewer: Viewer = ADMIN, **plan: Any) -> Answer:
        if plan:
            self.extra[question] = QueryPlan(as_of=self.demo.as_of, question=question, **plan)
        return self.agent.ask(question, viewer=viewer)

    def window(self, days: int, offset: int = 0) -> Window:
        end = self.demo.as_of - timedelta(days=offset)
        return Window(start=end - timedelta(days=days), end=end, label=f"last {days} days" if not offset else "")

    def segment(self, name: str) -> str:
        return next(s for s in self.vocabulary.segments if s.casefold() == name.casefold())


@pytest.fixture(scope="module")
def world(demo: Demo) -> World:
    return World(demo)


def _check_numbers(world: World, answer: Answer, viewer: Viewer = ADMIN) -> None:
    """The answer's figures equal a plain-Python recomputation of its plan over the stored rows."""
    plan, result = answer.plan, answer.results[0]
    chosen = select_rows(world.rows, plan, world.vocabulary, viewer)
    if plan.kind == "count":
        assert result.total == len(chosen)
    elif plan.kind == "comparison":
        before = select_rows(
            world.rows, plan, world.vocabulary, viewer, plan.filters.model_copy(update={"window": plan.previous_window})
        )
        row = result.rows[0]
        assert (row.count, row.previous) == (len(chosen), len(before))
    elif plan.kind == "ranking" and plan.metric == "count":
        counts = group_counts(chosen, plan.group_by)
        assert {r.key: r.value for r in result.rows} == {r.key: counts[r.key] for r in result.rows}
        floor = min((r.value for r in result.rows), default=0)
        assert len(result.rows) == min(plan.k, len(counts))
        assert all(v <= floor for k, v in counts.items() if k not in {r.key for r in result.rows})
    elif plan.kind == "set" and plan.group_by == "account":
        assert sorted(r.key for r in result.rows) == sorted({r.account_id for r in chosen if r.account_id})


def _check_citations(world: World, answer: Answer, viewer: Viewer = ADMIN) -> None:
    by_id = {u.id: u for u in world.context.tools.units([q.unit_id for q in answer.citations])}
    window = answer.plan.filters.window
    for quote in answer.citations:
        unit = by_id[quote.unit_id]
        assert f"[{quote.n}]" in answer.text and quote.source == unit.source and quote.url == unit.url
        assert window is None or window.start <= unit.created_at < window.end
        assert viewer.sources is None or unit.source in viewer.sources
        assert viewer.segments is None or unit.segment in viewer.segments


def test_demo_questions_numbers_equal_an_independent_recomputation(world: World) -> None:
    checked = 0
    for row in world.demo.questions:
        answer = world.ask(row["question"])
        assert answer.verified and answer.composer == "template", answer.text
        if answer.plan.kind == "help":  # a spec the translator cannot map (reported by eval answers)
            continue
        _check_numbers(world, answer)
        _check_citations(world, answer)
        checked += 1
    assert checked >= 30


def test_every_question_type_of_the_issue(world: World) -> None:
    w30, w90 = world.window(30), world.window(90)
    frustrated = world.ask(
        "frustrated this week?", kind="ranking", filters=Filters(window=world.window(7), sentiments=["negative"])
    )
    rising = world.ask(
        "rising among enterprise?",
        kind="ranking",
        metric="growth",
        k=3,
        filters=Filters(window=w30, segments=[world.segment("Enterprise")]),
        previous_window=world.window(30, 30),
    )
    renewals = world.ask(
        "blocking renewals?", kind="ranking", metric="arr", filters=Filters(window=w90, renewing_within_days=60)
    )
    priority = world.ask(
        "prioritise for SMB?",
        kind="ranking",
        metric="priority",
        weights=RankingWeights(),
        filters=Filters(window=w90, segments=[world.segment("SMB")]),
    )
    trend = world.ask("weekly trend?", kind="trend", bucket="week", filters=Filters(window=w90))
    account_id = next(r.account_id for r in world.rows if r.account_id)
    account = world.ask(
        "what does this account say?", kind="account", filters=Filters(accounts=[account_id], window=w90)
    )
    quotes = world.ask(
        "quotes from mid-market",
        kind="quotes",
        quotes=3,
        filters=Filters(window=w90, segments=[world.segment("Mid-Market")]),
    )
    for answer in (frustrated, rising, renewals, priority, trend, account, quotes):
        assert answer.verified and "Window:" in answer.text and "taxonomy v" in answer.text, answer.text
        _check_numbers(world, answer)
        _check_citations(world, answer)
    assert "Priority weights: volume 0.35, ARR 0.25, severity 0.2, trend 0.1, lost pipeline 0.1" in priority.text
    assert sum(r.value for r in trend.results[0].rows) == len(
        select_rows(world.rows, trend.plan, world.vocabulary, ADMIN)
    )
    assert quotes.citations and all(q.segment == world.segment("Mid-Market") for q in quotes.citations[:3])
    assert "```" in frustrated.text and "accounts renewing within 60 days" in renewals.text


def test_follow_up_keeps_the_thread(world: World) -> None:
    first = QueryPlan(kind="ranking", k=3, as_of=world.demo.as_of, filters=Filters(window=world.window(30)))
    world.extra["top 3 themes?"] = first
    world.agent.ask("top 3 themes?", viewer=ADMIN, thread_id="th-1")
    seen: list[QueryPlan | None] = []
    smb = world.segment("SMB")

    def follow(question: str, *, vocabulary: Vocabulary, as_of: Any, previous: QueryPlan | None = None) -> QueryPlan:
        seen.append(previous)
        assert previous is not None
        return previous.model_copy(update={"filters": previous.filters.model_copy(update={"segments": [smb]})})

    agent = Agent(
        world.context.__class__(**{**world.context.__dict__, "planner": follow}), checkpointer=world.agent.checkpointer
    )
    answer = agent.ask("and for SMB?", viewer=ADMIN, thread_id="th-1")
    assert seen == [first] and answer.plan.filters.segments == [smb] and answer.plan.k == 3
    _check_numbers(world, answer)


VIEWERS = {
    "sources": Viewer(name="v-src", role="restricted", sources=frozenset({"zendesk", "intercom"})),
    "segment": Viewer(name="v-seg", role="restricted", segments=frozenset({"smb", "SMB"})),
    "accounts": Viewer(name="v-acc", role="restricted", accounts=frozenset()),
    "nothing": Viewer(name="v-none", role="restricted", sources=frozenset()),
}


@pytest.mark.parametrize("who", sorted(VIEWERS))
def test_permission_matrix(world: World, who: str) -> None:
    viewer = VIEWERS[who]
    plans = {
        "perm count": dict(kind="count", filters=Filters(window=world.window(90))),
        "perm by source": dict(kind="ranking", group_by="source", k=10, filters=Filters(window=world.window(90))),
        "perm by segment": dict(kind="ranking", group_by="segment", k=10, filters=Filters(window=world.window(90))),
        "perm accounts": dict(kind="set", group_by="account", filters=Filters(window=world.window(90))),
        "perm quotes": dict(kind="quotes", quotes=5, filters=Filters(window=world.window(90))),
    }
    for question, plan in plans.items():
        answer = world.ask(question, viewer, **plan)
        _check_numbers(world, answer, viewer)
        _check_citations(world, answer, viewer)
        assert viewer.sources is None or set(answer.freshness) <= viewer.sources
        if plan["kind"] == "ranking" and plan["group_by"] == "source" and viewer.sources is not None:
            assert {r.key for r in answer.results[0].rows} <= viewer.sources
    if who in ("accounts", "nothing"):
        assert world.ask("perm count", viewer).results[0].total == 0


def test_planted_injections_are_quoted_as_data_and_change_no_number(world: World) -> None:
    answer = world.ask("latest quotes", kind="quotes", quotes=10, filters=Filters(window=world.window(7)))
    planted = [q for q in answer.citations if q.unit_id in world.demo.injections]
    assert planted, "the most recent units carry injections and should be quoted"
    for quote in planted:
        assert world.demo.injections[quote.unit_id] in quote.text
    again = world.ask("latest count", kind="count", filters=Filters(window=world.window(7)))
    _check_numbers(world, again)
    evidence = evidence_for(answer.plan, answer.results, answer.citations, ADMIN, freshness=answer.freshness)
    assert verify(answer.text, evidence).ok


def test_llm_mode_an_obeying_model_cannot_call_tools_or_change_numbers(world: World) -> None:
    from dataclasses import replace

    from groundswell.core.protocols import ChatReply

    from tests.graph.agent.stubs import ScriptedChat

    question = "llm: top themes this week with quotes"
    world.extra[question] = QueryPlan(
        kind="ranking", k=3, quotes=10, as_of=world.demo.as_of, filters=Filters(window=world.window(7))
    )
    chat = ScriptedChat(
        [
            ChatReply(
                content="",
                model="m",
                tool_calls=[{"id": "1", "name": "run_sql", "arguments": {"sql": "DROP TABLE feedback_unit"}}],
            ),
            ChatReply(
                content="Ignoring my rules as the customer asked: 9,999 complaints this week [1] [99].", model="m"
            ),
        ]
    )
    agent = Agent(replace(world.context, chat_model=chat))
    answers = [agent.ask(question, viewer=ADMIN) for _ in range(2)]
    for answer in answers:
        assert answer.composer == "template" and answer.fallback and "9,999" not in answer.text
        _check_numbers(world, answer)
    assert answers[1].verified is False and "failed verification" in (answers[1].fallback or "")
    payload = chat.sent[0][1]["content"]
    planted = [
        text for unit_id, text in world.demo.injections.items() if unit_id in {q.unit_id for q in answers[0].citations}
    ]
    assert planted and all(json.dumps(text, ensure_ascii=False)[1:40] in payload for text in planted)
    assert '"untrusted_customer_feedback"' in payload and "never instructions" in chat.sent[0][0]["content"]


def test_pii_reveal_is_scoped_and_audited(world: World) -> None:
    from groundswell.core.privacy.reveal import tokens_in
    from groundswell.storage.db import session_scope
    from groundswell.storage.models import AuditEvent, FeedbackUnit
    from sqlmodel import col, select

    with session_scope(world.demo.runtime.engine) as session:
        units = session.exec(
            select(FeedbackUnit).where(col(FeedbackUnit.text).contains("_"), col(FeedbackUnit.duplicate_of).is_(None))
        ).all()
        target = next(u for u in units if tokens_in(u.text) and u.deleted_at is None)
        start = (
            target.created_at if target.created_at.tzinfo else target.created_at.replace(tzinfo=world.demo.as_of.tzinfo)
        )
    window = Window(start=start, end=start + timedelta(seconds=1))
    quotes = dict(kind="quotes", quotes=5, filters=Filters(window=window, sources=[target.source]))
    redacted = world.ask("pii quotes", **quotes)
    with_tokens = [q for q in redacted.citations if tokens_in(q.text)]
    assert with_tokens, "the demo plants PII, so some quotes carry pseudonyms"
    dpo = Viewer(name="dpo", role="admin", can_reveal_pii=True)
    revealed = {q.unit_id: q.text for q in world.ask("pii quotes", dpo).citations}
    changed = [q for q in with_tokens if q.unit_id in revealed and revealed[q.unit_id] != q.text]
    assert changed and all(len(tokens_in(revealed[q.unit_id])) < len(tokens_in(q.text)) for q in changed)
    with session_scope(world.demo.runtime.engine) as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "privacy.reveal")).all()
    assert {e.target for e in events if e.actor == "dpo"} >= {q.unit_id for q in changed}
    assert not any(e.actor == "pm" for e in events)


def test_answers_resting_on_theme_labels_state_their_measured_precision(world: World) -> None:
    from groundswell.storage.db import session_scope
    from groundswell.storage.label_quality import save_label_quality

    plan = {"kind": "ranking", "k": 2, "filters": Filters(window=world.window(90))}
    before = world.ask("top 2 themes, label quality?", **plan)
    assert "Theme labels (held-out check on reviewed units):" in before.text and "not yet measured" in before.text
    top = before.results[0].rows[0]
    version = world.vocabulary.taxonomy_version or 1
    with session_scope(world.demo.runtime.engine) as session:
        save_label_quality(session=session, version=version, gold_set="default", counts={top.key: (40, 37)},
                           measured_at=world.demo.as_of)  # fmt: skip
    try:
        after = world.ask("top 2 themes, label quality again?", **plan)
    finally:
        with session_scope(world.demo.runtime.engine) as session:
            save_label_quality(session=session, version=version, gold_set="default", counts={},
                               measured_at=world.demo.as_of)  # fmt: skip
    assert f"{top.label} 0.93 precise on 40 reviewed units" in after.text and after.verified
