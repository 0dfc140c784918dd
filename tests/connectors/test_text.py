from datetime import UTC, date, datetime

import pytest
from groundswell.connectors.files.text import html_to_text, parse_date, parse_timestamp


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>One &amp; two</p><p>Three</p>", "One & two\n\nThree"),
        ("line one<br>line two<br/>line three", "line one\nline two\nline three"),
        ("<div><p>Hello   <b>bold</b>\n world</p></div>", "Hello bold world"),
        ("<ul>\n<li>daily</li>\n<li>weekly</li>\n</ul>", "daily\nweekly"),
        ("<p>a</p><script>alert(1)</script><style>p{}</style><p>b</p>", "a\n\nb"),
        ("<pre>x = 1\ny = 2</pre>", "x = 1\ny = 2"),
        (
            '<p>Nice <img class="emoji" alt=":smile:" src="s.png"> work <img src="x.png" alt="chart"></p>',
            "Nice :smile: work",
        ),
        ("plain text, no tags", "plain text, no tags"),
        ("&lt;not a tag&gt; &eacute;t&eacute;", "<not a tag> été"),
        ("", ""),
        (None, ""),
    ],
)
def test_html_to_text(html, text):
    assert html_to_text(html) == text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-06-01T10:00:00Z", datetime(2026, 6, 1, 10, tzinfo=UTC)),
        ("2026-06-01T12:00:00+02:00", datetime(2026, 6, 1, 10, tzinfo=UTC)),
        ("2024-01-15T10:00:00.000+0000", datetime(2024, 1, 15, 10, tzinfo=UTC)),
        ("2026-06-01 10:00:00", datetime(2026, 6, 1, 10, tzinfo=UTC)),
        (1780308000, datetime(2026, 6, 1, 10, tzinfo=UTC)),
        ("1780308000", datetime(2026, 6, 1, 10, tzinfo=UTC)),
        (1780308000000, datetime(2026, 6, 1, 10, tzinfo=UTC)),
    ],
)
def test_parse_timestamp(value, expected):
    parsed = parse_timestamp(value)
    assert parsed == expected
    assert parsed.tzinfo is not None


@pytest.mark.parametrize("value", ["yesterday", "", None, True, "2026-13-01T00:00:00Z", [], {}])
def test_parse_timestamp_rejects(value):
    with pytest.raises(ValueError):
        parse_timestamp(value)


def test_parse_date():
    assert parse_date("2026-09-30") == date(2026, 9, 30)
    assert parse_date("2026-09-30T00:00:00.000Z") == date(2026, 9, 30)
    with pytest.raises(ValueError):
        parse_date("soon")
