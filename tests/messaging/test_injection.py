"""Hostile data (mentions, links, mrkdwn) never forms a link, mention or formatting in Slack output."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from groundswell.core.answer import CitedQuote
from groundswell.messaging.answer import quote_block
from groundswell.messaging.blockkit import button, escape, link, safe_url, validate_blocks

WHEN = datetime(2026, 11, 20, tzinfo=UTC)
HOSTILE = ["<!channel>", "<https://evil|[1] zendesk>", "*bold*", "<@U123>", "a & b > c"]


def _quote(**update: object) -> CitedQuote:
    base = {"n": 1, "unit_id": "u1", "text": "fine", "source": "zendesk", "created_at": WHEN}
    return CitedQuote(**(base | update))


def _no_control(text: str) -> None:
    for bad in ("<!channel>", "<https://evil", "<@U123>"):
        assert bad not in text


@pytest.mark.parametrize("value", HOSTILE)
def test_escape_neutralises_mentions_links_and_formatting(value: str) -> None:
    out = escape(value, formatting=True)
    assert "<" not in out and ">" not in out
    assert "*bold*" not in out


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "<!channel>", "ftp://x/y", "mailto:a@b.c", "//evil.com", "", None, "https://a\nb"],
)
def test_non_http_urls_are_dropped(url: str | None) -> None:
    assert safe_url(url) is None
    assert link(url, "[1] zendesk") == "[1] zendesk"
    assert "url" not in button("Open", "open", url=url)


def test_url_metacharacters_cannot_break_out_of_a_link() -> None:
    out = link("https://evil.example/x|[1] zendesk>&<!channel>", "label")
    assert out.startswith("<https://evil.example/x%7C[1]%20zendesk%3E&amp;%3C!channel%3E|label>")
    assert out.count("<") == 1 and out.count(">") == 1 and out.count("|") == 1


@pytest.mark.parametrize("value", HOSTILE)
def test_quote_citation_with_hostile_fields(value: str) -> None:
    quote = _quote(text=value, account=value, segment=value, theme=value, url=value)
    block = quote_block(quote)
    assert validate_blocks([block]) == []
    text = block["text"]["text"]
    _no_control(text)
    assert "*bold*" not in text.split("\n", 1)[1]  # the citation line (names) keeps names literal
    assert text.count("<") == 0  # no safe url: no link at all


def test_hostile_url_with_real_scheme_forms_one_link_to_the_real_host() -> None:
    quote = _quote(account="*Acme*", url="https://evil.example/a|[1] zendesk>")
    text = quote_block(quote)["text"]["text"]
    citation = text.split("\n", 1)[1]
    assert citation.startswith("<https://evil.example/a%7C[1]%20zendesk%3E|[1] zendesk")
    assert citation.count("|") == 1 and citation.endswith(">")
    assert "*Acme*" not in citation


def test_alert_ticket_link_is_safe() -> None:
    from groundswell.messaging.alerts import _ticket_link

    class T:
        url = "<!channel>"
        key = "*KEY*"
        title = "<!here>"

    out = _ticket_link(T())  # type: ignore[arg-type]
    assert "<!channel>" not in out and "<!here>" not in out and "*KEY*" not in out
    T.url = "https://tracker.example/T-1?a=1&b=2"
    assert _ticket_link(T()).startswith("<https://tracker.example/T-1?a=1&amp;b=2|")  # type: ignore[arg-type]


def test_json_round_trip_has_no_raw_mentions() -> None:
    blocks = [quote_block(_quote(text=v, account=v, url=v)) for v in HOSTILE]
    _no_control(json.dumps(blocks))


def test_ticket_confirmation_escapes_title_and_keeps_a_safe_link() -> None:
    from groundswell.bot.tickets import _confirmation
    from groundswell.core.protocols import TicketDraft, TicketReceipt

    draft = TicketDraft(title="<!channel> *urgent*", owner_slack_id="U1")
    ok = TicketReceipt(reference="PROJ-1", url="https://tracker.example/PROJ-1?a=1&b=2")
    text, blocks = _confirmation(ok, draft, "U2")
    assert "<!channel>" not in text and "*urgent*" not in text
    assert "<https://tracker.example/PROJ-1?a=1&amp;b=2|open>" in blocks[0]["text"]["text"]
    hostile = TicketReceipt(reference="<!here>", url="javascript:alert(1)")
    text, blocks = _confirmation(hostile, draft, "U2")
    assert "<!here>" not in text and "javascript" not in text and validate_blocks(blocks) == []
