from datetime import UTC, datetime

from groundswell.core.answer import CitedQuote
from groundswell.core.markdown_text import markdown_link, md_literal, quote_block, shorten


def test_md_literal_escapes_markup_and_flattens_lines():
    assert md_literal("a *b*\n_c_ [d](e) `f` <g>") == r"a \*b\* \_c\_ \[d\](e) \`f\` \<g>"


def test_markdown_link_only_for_absolute_http_urls():
    assert markdown_link("src", "https://x.example/a b(1)") == "[src](https://x.example/a%20b%281%29)"
    assert markdown_link("src", "javascript:alert(1)") == "src"
    assert markdown_link("src", None) == "src"


def test_shorten_cuts_with_an_ellipsis():
    assert shorten("one  two\nthree", 50) == "one two three"
    assert shorten("abcdefghij", 5) == "abcd…"


def test_quote_block_links_the_source():
    quote = CitedQuote(
        n=1, unit_id="u", text="slow export", source="zendesk", created_at=datetime(2026, 1, 2, tzinfo=UTC), url=None
    )
    assert quote_block(quote, chars=100) == ["> “slow export”", "> — zendesk, 2026-01-02"]
