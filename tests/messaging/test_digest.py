"""Digest Block Kit, the quiet line, the chart's alt text and the PNG itself."""

from __future__ import annotations

from datetime import UTC, datetime

from groundswell.core.answer import CitedQuote, ResultRow
from groundswell.core.digest import Digest, DigestScope, DigestTicket, NewTheme, TrendSeries, digest_windows
from groundswell.messaging.blockkit import validate_blocks
from groundswell.messaging.digest import chart_alt_text, digest_blocks, digest_fallback_text, quiet_line
from groundswell.messaging.digest_chart import render_trend_png

AS_OF = datetime(2026, 11, 20, 9, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n"


def _digest(**changes: object) -> Digest:
    window, previous = digest_windows("weekly", AS_OF)
    values: dict[str, object] = {
        "channel": "C1", "period": "weekly", "scope": DigestScope(segments=["enterprise"]), "window": window,
        "previous_window": previous, "total": 42, "previous_total": 20, "p_value": 0.003, "significant": True,
        "top": [ResultRow(key="auth.sso", label="Auth > SSO login", value=12, count=12),
                ResultRow(key="exp.csv", label="Export > CSV <timeouts>", value=7, count=7)],
        "movers": [ResultRow(key="auth.sso", label="Auth > SSO login", value=9, count=12, previous=3)],
        "arr_at_stake": 2_300_000.0, "arr_accounts": 9,
        "new_themes": [NewTheme(name="Dark mode flicker", size=12)],
        "quotes": [CitedQuote(n=1, unit_id="u1", text="SSO fails every morning", source="zendesk",
                              created_at=AS_OF, url="https://support.example.com/t/1", account="Acme")],
        "tickets": [DigestTicket(theme="Auth > SSO login", reference="GS-1", title="Fix SSO",
                                 url="https://jira.example.com/GS-1", owner="ana@example.com")],
        "trends": [TrendSeries(label="Auth > SSO login", buckets=["2026-11-06", "2026-11-13"], counts=[3, 12]),
                   TrendSeries(label="Export > CSV", buckets=["2026-11-06", "2026-11-13"], counts=[5, 7])],
        "taxonomy_version": 2,
    }  # fmt: skip
    values.update(changes)
    return Digest.model_validate(values)


def test_full_digest_is_valid_block_kit_with_every_section() -> None:
    blocks = digest_blocks(_digest())
    assert validate_blocks(blocks) == []
    text = str(blocks)
    for expected in ("Top themes", "Biggest movers", "$2,300,000", "9 accounts", "Dark mode flicker",
                     "<https://jira.example.com/GS-1|GS-1>", "<https://support.example.com/t/1|[1]", "taxonomy v2",
                     "+22, significant", "&lt;timeouts&gt;"):  # fmt: skip
        assert expected in text, expected
    assert "Auth > SSO login" in digest_fallback_text(_digest())


def test_quiet_digest_is_one_line() -> None:
    digest = _digest(quiet=True, significant=False, movers=[], new_themes=[], total=21, previous_total=20)
    blocks = digest_blocks(digest)
    assert len(blocks) == 1 and "\n" not in quiet_line(digest) and validate_blocks(blocks) == []
    assert "quiet" in quiet_line(digest) and "21 items" in quiet_line(digest)
    assert digest_fallback_text(digest) == quiet_line(digest)


def test_alt_text_describes_the_figures() -> None:
    alt = chart_alt_text(_digest())
    assert alt.startswith("Line chart of feedback items per week for the top themes, 2026-11-06 to 2026-11-13")
    assert "Auth > SSO login: 3, 12 (total 15, peak 12)" in alt and "Export > CSV: 5, 7" in alt
    assert len(chart_alt_text(_digest(trends=[TrendSeries(label="x" * 200, buckets=["a"], counts=[1])] * 9))) <= 1000


def test_chart_is_a_png() -> None:
    digest = _digest()
    png = render_trend_png(digest.trends, title="Weekly digest: top themes")
    assert png.startswith(PNG) and len(png) > 5_000
    assert render_trend_png([], title="empty").startswith(PNG)
