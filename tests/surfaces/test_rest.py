"""REST under /api/v1 in the app `serve` runs: bearer tokens, problem+json, scopes, pagination, rate limits."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from groundswell.cli.slack import build_api
from groundswell.core.answer import Answer
from groundswell.graph.answers_eval import count_leaks
from groundswell.graph.tools import is_visible
from groundswell.storage.access_log import list_access_events
from groundswell.storage.db import session_scope
from groundswell.storage.models import ApiToken
from groundswell.surfaces.service import Surface
from groundswell.surfaces.tokens import TokenAuth, TokenBucket

from tests.graph.agent.conftest import Demo
from tests.surfaces.conftest import Served, cited_units

pytestmark = pytest.mark.slow
LEAK_QUESTIONS = 25  # of the demo truth set `eval answers` asks (the leak check it runs)
QUESTIONS = ("What are the top 5 themes over the last 30 days?", "Feedback volume per source over the last 90 days",
             "How many bug reports in the last 30 days?")  # fmt: skip


@pytest.fixture(scope="module")
def http(served: Served) -> TestClient:
    return TestClient(build_api(served.runtime, served.surface))


def _as(served: Served, viewer: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {served.tokens[viewer]}"}


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and set(body) == {"type", "title", "status", "detail"}
    return body


def test_missing_invalid_revoked_and_expired_tokens_get_401(served: Served, http: TestClient) -> None:
    revoked = served.surface.auth.create("ana", days=1)
    served.surface.auth.revoke(revoked.info.id)
    expired = served.surface.auth.create("ana", days=1)
    with session_scope(served.runtime.engine) as session:
        row = session.get(ApiToken, expired.info.id)
        row.expires_at = row.created_at
        session.add(row)
    for headers in ({}, {"Authorization": "Bearer gsk_nope"}, {"Authorization": f"Bearer {revoked.token}"},
                    {"Authorization": f"Bearer {expired.token}"}, {"Authorization": "Basic abc"}):  # fmt: skip
        response = http.get("/api/v1/themes", headers=headers)
        _problem(response, 401)


def test_ask_returns_the_answer_slack_and_the_cli_get(served: Served, http: TestClient) -> None:
    response = http.post("/api/v1/ask", json={"question": QUESTIONS[0]}, headers=_as(served, "ana"))
    assert response.status_code == 200, response.text
    body = response.json()
    cli = served.runtime.agent.ask(QUESTIONS[0], viewer=served.surface.viewer("ana"))
    expected = cli.model_dump(mode="json")
    assert body["results"] == expected["results"] and body["citations"] == expected["citations"]
    assert body["taxonomy_version"] == 1 and body["window"] and body["plan"]["filters"] and body["freshness"]


def test_a_restricted_token_leaks_nothing(served: Served, http: TestClient) -> None:
    sam, units = served.surface.viewer("sam"), cited_units(served)
    for question in QUESTIONS:
        response = http.post("/api/v1/ask", json={"question": question}, headers=_as(served, "sam"))
        assert count_leaks(Answer.model_validate(response.json()), sam, units) == 0
    quotes = http.get("/api/v1/quotes", params={"days": 180, "limit": 20}, headers=_as(served, "sam")).json()
    assert quotes["items"] and all(is_visible(sam, q["source"], q["account_id"], q["segment"]) for q in quotes["items"])
    sources = http.get("/api/v1/sources", headers=_as(served, "sam")).json()["items"]
    assert {s["source"] for s in sources} <= {"zendesk", "intercom"}
    everyone = http.get("/api/v1/quotes", params={"days": 180, "limit": 20}, headers=_as(served, "ana")).json()
    hidden = next(q for q in everyone["items"] if not is_visible(sam, q["source"], q["account_id"], q["segment"]))
    _problem(http.get(f"/api/v1/units/{hidden['unit_id']}", headers=_as(served, "sam")), 404)
    assert http.get(f"/api/v1/units/{hidden['unit_id']}", headers=_as(served, "ana")).status_code == 200


def test_a_restricted_viewers_ticket_draft_holds_only_its_own_evidence(served: Served, http: TestClient) -> None:
    sam, units = served.surface.viewer("sam"), cited_units(served)
    themes = http.get("/api/v1/themes", params={"limit": 1000}, headers=_as(served, "ana")).json()["themes"]
    drafts = {}
    for theme in (t["key"] for t in themes if not t["parent_key"]):
        mine = http.post("/api/v1/tickets", json={"theme": theme, "tracker": "local", "days": 180},
                         headers=_as(served, "sam"))  # fmt: skip
        assert mine.status_code == 201, mine.text
        if mine.json()["unit_ids"]:
            everyone = http.post("/api/v1/tickets", json={"theme": theme, "tracker": "local", "days": 180},
                                 headers=_as(served, "ana"))  # fmt: skip
            drafts[theme] = (mine.json(), everyone.json())
    assert drafts, "sam should see evidence on some theme"
    for mine, everyone in drafts.values():
        assert "- Scope: only what sam may see (sources intercom, zendesk; segments smb)" in mine["body"]
        assert "Scope:" not in everyone["body"]
        for unit in units(mine["unit_ids"]):
            assert is_visible(sam, unit.source, unit.account_id, unit.segment)


def test_query_runs_a_plan_and_bad_plans_are_422(served: Served, http: TestClient) -> None:
    ask = http.post("/api/v1/ask", json={"question": QUESTIONS[2]}, headers=_as(served, "ana")).json()
    response = http.post("/api/v1/query", json=ask["plan"], headers=_as(served, "ana"))
    assert response.status_code == 200 and response.json()["results"] == ask["results"]
    _problem(http.post("/api/v1/query", json={"kind": "nonsense"}, headers=_as(served, "ana")), 422)
    _problem(http.get("/api/v1/themes", params={"limit": 0}, headers=_as(served, "ana")), 422)
    _problem(http.get("/api/v1/themes", params={"limt": 5}, headers=_as(served, "ana")), 422)  # a typo never passes
    _problem(http.post("/api/v1/ask", content=b"{not json", headers=_as(served, "ana")), 422)
    _problem(http.get("/api/v1/quotes", params={"theme": "no.such"}, headers=_as(served, "ana")), 404)


def test_lists_paginate(served: Served, http: TestClient) -> None:
    first = http.get("/api/v1/themes", params={"limit": 3}, headers=_as(served, "ana")).json()
    second = http.get("/api/v1/themes", params={"limit": 3, "offset": first["next_offset"]},
                      headers=_as(served, "ana")).json()  # fmt: skip
    assert len(first["themes"]) == 3 and first["next_offset"] == 3
    assert not {t["key"] for t in first["themes"]} & {t["key"] for t in second["themes"]}
    page = http.get("/api/v1/quotes", params={"days": 180, "limit": 2, "offset": 2}, headers=_as(served, "ana")).json()
    assert len(page["items"]) == 2 and page["total"] >= 4


def test_tickets_are_drafted_then_confirmed(served: Served, http: TestClient) -> None:
    themes = http.get("/api/v1/themes", params={"limit": 1000}, headers=_as(served, "ana")).json()["themes"]
    theme = next(t["key"] for t in themes if t["parent_key"])
    draft = http.post("/api/v1/tickets", json={"theme": theme, "tracker": "local"}, headers=_as(served, "ana"))
    assert draft.status_code == 201, draft.text
    draft_id = draft.json()["draft_id"]
    _problem(http.post(f"/api/v1/tickets/{draft_id}/confirm", headers=_as(served, "mo")), 403)
    filed = http.post(f"/api/v1/tickets/{draft_id}/confirm", json={"force": True}, headers=_as(served, "ana"))
    assert filed.status_code == 200 and filed.json()["status"] == "created"
    _problem(http.post(f"/api/v1/tickets/{draft_id}/confirm", headers=_as(served, "ana")), 404)


def test_past_the_burst_a_token_gets_429(served: Served) -> None:
    surface = Surface(served.runtime)
    surface.auth = TokenAuth(served.runtime.engine, surface.viewer, TokenBucket(rate=0.001, burst=3))
    with TestClient(build_api(served.runtime, surface)) as limited:
        codes = [limited.get("/api/v1/sources", headers=_as(served, "ana")).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        body = _problem(limited.get("/api/v1/sources", headers=_as(served, "ana")), 429)
        assert "rate limit" in body["detail"]
        assert int(limited.get("/api/v1/sources", headers=_as(served, "ana")).headers["Retry-After"]) >= 1
        assert limited.get("/api/v1/sources", headers=_as(served, "mo")).status_code == 200  # per token


def test_the_openapi_document_describes_the_api(http: TestClient) -> None:
    spec = http.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/v1/ask", "/api/v1/query", "/api/v1/themes", "/api/v1/units/{unit_id}", "/api/v1/quotes",
            "/api/v1/sources", "/api/v1/tickets", "/api/v1/tickets/{draft_id}/confirm"} <= paths  # fmt: skip
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
    assert "application/problem+json" in spec["paths"]["/api/v1/ask"]["post"]["responses"]["401"]["content"]


def test_the_eval_questions_leak_nothing_to_a_restricted_token(served: Served, http: TestClient, demo: Demo) -> None:
    sam, units = served.surface.viewer("sam"), cited_units(served)
    leaks = 0
    for row in demo.questions[:LEAK_QUESTIONS]:
        response = http.post("/api/v1/ask", json={"question": row["question"]}, headers=_as(served, "sam"))
        assert response.status_code == 200, response.text
        leaks += count_leaks(Answer.model_validate(response.json()), sam, units)
    assert leaks == 0


def test_rest_questions_plans_and_refused_tokens_are_audited(served: Served, http: TestClient) -> None:
    headers = _as(served, "ana")
    asked = http.post("/api/v1/ask", json={"question": QUESTIONS[2]}, headers=headers)
    plan = asked.json()["plan"]
    assert http.post("/api/v1/query", json=plan, headers=headers).status_code == 200
    _problem(http.get("/api/v1/themes", headers={"Authorization": "Bearer gsk_forged"}), 401)
    with session_scope(served.runtime.engine) as session:
        events = list_access_events(session=session, surface="rest", limit=10)
    by_action = {e.action: e for e in events}
    assert by_action["run_query"].viewer == "ana" and by_action["run_query"].outcome == "answered"
    question = next(e for e in events if e.action != "run_query" and e.text == QUESTIONS[2])
    assert question.viewer == "ana" and question.answer_sha256 and question.plan is not None
    denials = [e for e in events if e.action == "authenticate"]
    assert any(e.kind == "denial" and e.outcome == "denied" and "unknown token" in (e.reason or "") for e in denials)
