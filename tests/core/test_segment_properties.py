from groundswell.core.segment import segment_message
from groundswell.core.segment_sentences import split_sentences
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PIECES = st.sampled_from(
    [
        "Hi team,\n\n",
        "The export fails. ",
        "Also: ",
        "PS ",
        "e.g. ",
        "v4.12 ",
        "https://x.io/a?b=1. ",
        "jo@x.com ",
        "... ",
        "\u2026",
        "\U0001f64c ",
        "<p>Hi <b>there</b></p>",
        "\n- item\n",
        "1) ",
        "Thanks!\n",
        "--\nJo\n",
        "\r\n",
        "\u00a0",
        "?! ",
        " ",
    ]
)
TEXTS = st.one_of(st.text(), st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=40).map("".join))


def _check(text: str) -> None:
    for spans in (split_sentences(text), segment_message(text)):
        previous_end = 0
        for span in spans:
            assert previous_end <= span.start < span.end <= len(text)
            assert text[span.start : span.end] == span.text
            assert span.text == span.text.strip()
            previous_end = span.end


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_segments_are_ordered_disjoint_in_bounds_and_exact(text):
    _check(text)


@settings(max_examples=5, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=4).map("".join))
def test_large_inputs_do_not_crash(piece):
    text = (piece * (100_000 // len(piece) + 1))[:100_000]
    _check(text)


def test_deterministic():
    text = "Hi,\n\nThe sync broke. Also: we need SSO.\n\nBest,\nJo"
    assert segment_message(text) == segment_message(text)
