"""`privacy forget` reaches tickets already filed in Jira and Linear: the loopback trackers (Jira checked against
the v3 OpenAPI document, Linear against its GraphQL schema) end up holding the redacted text; a tracker failure
never aborts the forget, is counted with its reason and is retried by a later run."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from groundswell.connectors.trackers import JiraTracker, LinearTracker
from groundswell.core.tickets import RoutingRules, Ticket, TicketDraft
from groundswell.jobs.forget import forget
from groundswell.jobs.ingest import ingest_source
from groundswell.jobs.remote_redaction import push_redactions
from groundswell.jobs.tickets import TicketService
from groundswell.storage.db import create_db_engine, migrate, session_scope
from groundswell.storage.forget import ForgetRequest
from groundswell.storage.models import ErasureReceipt, RemoteRedaction
from sqlalchemy import Engine
from sqlmodel import select

from tests.fakes.jira import FakeJira
from tests.fakes.linear import FakeLinear
from tests.jobs.fakes import DictIndex
from tests.storage.forget_data import ANA_EMAIL, ANA_NAME, ANA_TRACES, BEN_EMAIL, corpus, residues

TRACES = (*ANA_TRACES, "ana lopez")
ANA_DRAFT = TicketDraft(
    title=f"Login fails for {ANA_NAME}",
    body=f"Reported by {ANA_EMAIL} on Monday.\n\n- SSO loops back to the login page",
    theme_key="auth.sso_login",
)
BEN_DRAFT = TicketDraft(title="CSV export is slow", body=f"Seen by {BEN_EMAIL}", theme_key="export.csv")


@pytest.fixture
def engine(tmp_path) -> Iterator[Engine]:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'gs.db'}")
    migrate(engine)
    assert ingest_source(engine=engine, source=corpus()).error is None
    yield engine
    engine.dispose()


@pytest.fixture
def trackers(fake_jira: FakeJira, fake_linear: FakeLinear) -> Iterator[dict[str, object]]:
    jira = JiraTracker(base_url=fake_jira.url, email="bot@brightloop.io", api_token="jira-token", project_key="GS")
    linear = LinearTracker(base_url=fake_linear.url, api_key="lin_api_test", team_id="team-eng")
    yield {"jira": jira, "linear": linear}
    linear.close()


def _file(engine: Engine, trackers: dict[str, object], draft: TicketDraft, tracker: str) -> Ticket:
    service = TicketService(engine=engine, trackers=trackers, routing=RoutingRules(), default_tracker=tracker)  # type: ignore[arg-type]
    result = service.file(draft, tracker=tracker, force=True)
    assert result.status == "created" and result.ticket is not None, result.message
    return result.ticket


def _remote(issue: object) -> str:
    return json.dumps(issue).lower()


def _forget(engine: Engine, trackers: dict[str, object]):
    request = ForgetRequest(emails=(ANA_EMAIL,))
    return forget(engine=engine, index=DictIndex(), vault=None, request=request, actor="dpo", trackers=trackers)


def _pending(engine: Engine) -> list[RemoteRedaction]:
    with session_scope(engine) as session:
        return list(session.exec(select(RemoteRedaction)))


def test_forget_rewrites_filed_tickets_on_jira_and_linear(engine, trackers, fake_jira, fake_linear):
    ana_jira = _file(engine, trackers, ANA_DRAFT, "jira")
    ben_jira = _file(engine, trackers, BEN_DRAFT, "jira")
    ana_linear = _file(engine, trackers, ANA_DRAFT, "linear")
    service = TicketService(engine=engine, trackers=trackers, routing=RoutingRules(), default_tracker="jira")  # type: ignore[arg-type]
    service.link_draft(ANA_DRAFT, ana_jira, tracker="jira")  # a second row on the same issue: one rewrite
    assert any(n in _remote(fake_jira.issues[ana_jira.key]) for n in TRACES)
    receipt = _forget(engine, trackers)
    assert {k: t.as_dict() for k, t in receipt.trackers.items()} == {
        "jira": {"updated": 1, "failed": 0, "reasons": {}},
        "linear": {"updated": 1, "failed": 0, "reasons": {}},
    }
    assert [key for key, _ in fake_jira.updates] == [ana_jira.key]  # Ben's ticket is not touched
    assert [key for key, _ in fake_linear.updates] == [ana_linear.key]
    for text in (
        _remote(fake_jira.updates[0][1]),
        _remote(fake_jira.issues[ana_jira.key]),
        _remote(fake_linear.issues),
    ):
        assert [n for n in TRACES if n in text] == [], text
    assert "[erased]" in fake_jira.issues[ana_jira.key]["fields"]["summary"]
    assert "sso loops back" in _remote(fake_linear.issues[0]["description"])  # the rest of the text is kept
    assert "groundswell-key: theme:auth.sso_login" in fake_linear.issues[0]["description"]  # the marker too
    assert BEN_EMAIL in _remote(fake_jira.issues[ben_jira.key])
    assert residues(engine, TRACES) == [] and _pending(engine) == []
    with session_scope(engine) as session:
        stored = session.get(ErasureReceipt, receipt.id)
        assert stored is not None
        assert stored.counts["tracker.jira.updated"] == 1 and stored.counts["tracker.linear.updated"] == 1


def test_a_tracker_failure_does_not_abort_the_forget_and_a_later_run_retries(engine, trackers, fake_jira, fake_linear):
    ana_jira = _file(engine, trackers, ANA_DRAFT, "jira")
    ana_linear = _file(engine, trackers, ANA_DRAFT, "linear")
    fake_jira.fail_next(f"/issue/{ana_jira.key}", 429, headers={"Retry-After": "30"})
    receipt = _forget(engine, {"jira": trackers["jira"]})  # Linear not configured in this run
    jira, linear = receipt.trackers["jira"], receipt.trackers["linear"]
    assert (jira.updated, jira.failed, linear.updated, linear.failed) == (0, 1, 0, 1)
    assert list(linear.reasons) == ["linear is not configured"]
    assert "rate" in next(iter(jira.reasons)).lower()
    assert residues(engine, TRACES) == []  # everything local is done regardless
    assert sorted(p.tracker for p in _pending(engine)) == ["jira", "linear"]
    assert all(p.attempts == 1 and p.last_error for p in _pending(engine))
    assert any(n in _remote(fake_jira.issues[ana_jira.key]) for n in TRACES)  # still there remotely, and said so

    tallies = push_redactions(engine=engine, trackers=trackers)
    assert {k: (t.updated, t.failed) for k, t in tallies.items()} == {"jira": (1, 0), "linear": (1, 0)}
    assert _pending(engine) == []
    assert [n for n in TRACES if n in _remote(fake_jira.issues[ana_jira.key])] == []
    assert [key for key, _ in fake_linear.updates] == [ana_linear.key]
    assert [n for n in TRACES if n in _remote(fake_linear.issues)] == []


def test_auth_failure_stops_that_tracker_for_the_run_but_not_the_others(engine, trackers, fake_jira, fake_linear):
    first = _file(engine, trackers, ANA_DRAFT, "jira")
    _file(engine, trackers, ANA_DRAFT.model_copy(update={"theme_key": "auth.mfa"}), "jira")
    _file(engine, trackers, ANA_DRAFT, "linear")
    fake_jira.fail_next(f"/issue/{first.key}", 401)
    puts_before = sum(r.method == "PUT" for r in fake_jira.requests)
    receipt = _forget(engine, trackers)
    assert (receipt.trackers["jira"].failed, receipt.trackers["jira"].updated) == (2, 0)
    assert sum(r.method == "PUT" for r in fake_jira.requests) - puts_before == 1  # the second one is not tried
    assert "401" in next(iter(receipt.trackers["jira"].reasons))
    assert receipt.trackers["linear"].updated == 1
    assert len(_pending(engine)) == 2


def test_a_server_error_fails_one_ticket_and_the_next_is_still_sent(engine, trackers, fake_jira):
    first = _file(engine, trackers, ANA_DRAFT, "jira")
    second = _file(engine, trackers, ANA_DRAFT.model_copy(update={"theme_key": "auth.mfa"}), "jira")
    fake_jira.fail_next(f"/issue/{first.key}", 503)
    receipt = _forget(engine, {"jira": trackers["jira"]})
    assert (receipt.trackers["jira"].updated, receipt.trackers["jira"].failed) == (1, 1)
    assert [key for key, _ in fake_jira.updates] == [second.key]
    assert len(_pending(engine)) == 1


def test_forget_of_someone_without_filed_tickets_sends_nothing(engine, trackers, fake_jira):
    _file(engine, trackers, BEN_DRAFT, "jira")
    receipt = _forget(engine, trackers)
    assert receipt.trackers == {} and fake_jira.updates == []
    assert "trackers" in receipt.as_dict() and receipt.as_dict()["trackers"] == {}
