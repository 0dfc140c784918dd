"""The verifier's rules: numbers, formats, dates, citations, quotes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from groundswell.core.answer import CitedQuote, ResultRow, ToolResult
from groundswell.graph.verify import evidence_for, verify

from tests.graph.agent.stubs import ADMIN, AS_OF, SMB_ONLY, plan

RESULTS = [
    ToolResult(
        tool="rank",
        rows=[
            ResultRow(
                key="a",
                label="SSO login",
                value=1234,
                count=1234,
                previous=1000,
                delta=234,
                arr=2_349_000.0,
                unit_ids=["u1"],
            ),
            ResultRow(key="b", label="Release 4.12 crashes", value=56, count=56, p_value=0.0312, unit_ids=["u2"]),
        ],
        total=1290,
        meta={"share": 0.125},
    )
]
QUOTES = [
    CitedQuote(
        n=1,
        unit_id="u1",
        text="We have 9999 seats blocked, fix it now",
        source="zendesk",
        created_at=AS_OF - timedelta(days=3),
        account="Acme 2",
        segment="SMB",
        account_id="A1",
    ),
    CitedQuote(
        n=2,
        unit_id="u2",
        text="crash",
        source="gong",
        created_at=AS_OF - timedelta(days=4),
        segment="Enterprise",
        account_id="A2",
    ),
]


def _check(text: str, viewer=ADMIN) -> list[str]:
    evidence = evidence_for(plan("ranking", k=5), RESULTS, QUOTES, viewer)
    return verify(text, evidence).problems


@pytest.mark.parametrize(
    "text",
    [
        "1,234 signals",
        "1234 signals",
        "$2.3M ARR",
        "$2,349K",
        "$2349000",
        "up 234",
        "-234 down",
        "56 crashes",
        "p = 0.031",
        "p=0.03",
        "12.5% share",
        "23% growth (234/1000)",
        "4% of signals (56/1290 ≈ 4.3%)",
        "top 5",
        "last 30 days",
        "2 rows",
        "Release 4.12",
        "taxonomy v2",
        "Acme 2 said so [1]",
        "[1] [2]",
    ],
)
def test_allowed(text: str) -> None:
    assert _check(text) == []


@pytest.mark.parametrize(
    "text, problem",
    [
        ("1,235 signals", "1,235"),
        ("$2.4M ARR", "$2.4M"),
        ("9999 seats", "9999"),
        ("13% share", "13%"),
        ("see [3]", "[3]"),
        ("on 2026-01-01", "2026-01-01"),
        ("7 themes", "'7'"),
    ],
)
def test_rejected(text: str, problem: str) -> None:
    problems = _check(text)
    assert problems and problem in " ".join(problems)


def test_numbers_inside_a_verbatim_quote_are_the_customers_not_figures() -> None:
    assert _check("“We have 9999 seats blocked, fix it now” [1]") == []


def test_dates_of_windows_citations_allowed() -> None:
    start = (AS_OF - timedelta(days=30)).date().isoformat()
    last = (AS_OF - timedelta(days=1)).date().isoformat()
    cited = (AS_OF - timedelta(days=3)).date().isoformat()
    assert _check(f"from {start} to {last}, quote of {cited} [1]") == []


def test_a_citation_the_viewer_may_not_see_is_rejected() -> None:
    problems = _check("Enterprise customers say so [2]", viewer=SMB_ONLY)
    assert any("[2]" in p for p in problems)


def test_a_citation_to_a_unit_outside_the_results_is_rejected() -> None:
    stray = CitedQuote(n=3, unit_id="zzz", text="x", source="zendesk", created_at=AS_OF)
    evidence = evidence_for(plan("ranking"), RESULTS, QUOTES, ADMIN)
    evidence.citations[3] = stray
    assert any("did not return" in p for p in verify("see [3]", evidence).problems)


def test_links_must_be_cited_sources() -> None:
    QUOTES[0].__dict__["url"] = "https://support.example.com/tickets/17"
    try:
        assert _check("[1] zendesk · https://support.example.com/tickets/17") == []
        assert any("link" in p for p in _check("see https://evil.example.com/42"))
    finally:
        QUOTES[0].__dict__["url"] = None
