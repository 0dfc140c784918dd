"""PERSON without a model: gazetteer rules, ambiguity list, opaque regions, strong cues, known names, held-out set."""

from __future__ import annotations

import pytest
from groundswell.core.privacy import PiiDetector
from groundswell.core.privacy.evaluate import evaluate_detector
from groundswell.core.privacy.names import AMBIGUOUS_FIRST_NAMES, Gazetteer, gazetteer, load_faker_names
from groundswell.core.privacy.person import KnownNames

from tests.core.privacy.heldout import BLIND, load_heldout, parse_marked


def _names(detector: PiiDetector, text: str) -> list[str]:
    return [text[s.start : s.end] for s in detector.detect(text) if s.type == "PERSON"]


def test_faker_gazetteer_loads_latin_names_from_several_cultures() -> None:
    first, last = load_faker_names(["en_US", "yo_NG", "ja_JP"])
    assert {"Catherine", "Abayomi"} <= first and {"Smith", "Adegoke", "Tanaka"} <= last
    assert all(name[0].isalpha() for name in first | last)
    assert "Will" not in gazetteer().first and "Sync" not in gazetteer().first  # common words removed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Catherine is a very sympathetic person.", ["Catherine"]),
        ("Forwarding from Hannah Schmidt, who owns it.", ["Hannah Schmidt"]),
        ("The ticket was opened by J. Thompson last week.", ["J. Thompson"]),
        ("Reminder from Will Turner: renewal is due.", ["Will Turner"]),
        ("May Chen noticed that search ignores accents.", ["May Chen"]),
        ("my name is ana garcia and i can't log in", ["ana garcia"]),
        ("call me priya please", ["priya"]),
        ("Zanthe Mensah asked again", ["Zanthe Mensah"]),  # unknown first name, known surname
        ("Thanks. Tom. Next steps are below", ["Tom"]),
    ],
)
def test_names_found(detector: PiiDetector, text: str, expected: list[str]) -> None:
    assert _names(detector, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Salesforce Sync keeps failing since Brightloop 4.12.",
        "Hi team, the Dashboard Builder is slow. Thanks, Support",
        "In May we will roll out Single Sign On. Will the March release fix it?",
        "Grace period is 14 days; Summer Sale pricing; Chase Bank payments fail.",
        "The Austin and Paris offices report the outage on Monday.",
        "Hope this helps. Best, Support Team",
        "Please see https://docs.example.com/Maria/Lopez or write to maria.lopez@acme.com",
        "Logs show `User.find_by(name: Peter)` and ```Maria Lopez``` in code",
        "our driver ana garcia",
        "the new feature is great",  # lower-case without a strong cue
        "Rua Ana Caciola 12 and Johnson Inc. and Russell Investments",
    ],
)
def test_no_person_in_product_places_months_code_or_urls(detector: PiiDetector, text: str) -> None:
    assert _names(detector, text) == []


def test_ambiguous_first_names_need_a_surname() -> None:
    assert {"May", "Will", "Grace", "Hope", "Chase", "Summer", "April", "June", "Rose", "Jack", "Art", "Sky"} <= (
        AMBIGUOUS_FIRST_NAMES
    )


def test_known_names_case_insensitive_on_word_boundaries_short_and_ambiguous_only_in_full() -> None:
    known = KnownNames(["Zed Quorn", "Al Bo", "Priya", "May", "Xi"], gazetteer())
    text = "ZED  quorn wrote; al and al bo; priya; may; xi; zedquorn; Priyanka"
    assert [text[s:e] for s, e in known.spans(text)] == ["ZED  quorn", "al bo", "priya"]
    assert not KnownNames([], gazetteer())
    assert not KnownNames(["ana@acme.com", "user 42"], gazetteer())  # addresses and handles are not names
    parts = KnownNames(["Xi Quorn", "zed brightwater"], gazetteer())
    assert (parts.first, parts.last) == ({"Zed"}, {"Quorn", "Brightwater"})  # two-letter parts only in full


def test_known_name_parts_extend_the_gazetteer() -> None:
    detector = PiiDetector(known_names=["Xochitl Brightwater"], gaz=Gazetteer.build(["Ana"], ["Ruiz"]))
    assert _names(detector, "Xochitl wrote and Ana Brightwater replied") == ["Xochitl", "Ana Brightwater"]


def test_parse_marked_builds_gold_spans() -> None:
    example = parse_marked("Ask [[Ana Ruiz]] and [[Tom]].")
    assert example.text == "Ask Ana Ruiz and Tom."
    assert [example.text[g.start : g.end] for g in example.spans] == ["Ana Ruiz", "Tom"]


def test_heldout_hand_written_set_precision_and_recall(detector: PiiDetector) -> None:
    examples = load_heldout()
    assert len(examples) >= 50 and sum(len(e.spans) for e in examples) >= 40
    person = evaluate_detector(detector.detect, examples, ["PERSON"])["per_type"]["PERSON"]
    assert person["precision"] >= 0.9 and person["recall"] >= 0.85


def test_blind_hand_written_set_precision_and_recall(detector: PiiDetector) -> None:
    examples = load_heldout(BLIND)
    assert sum(len(e.spans) for e in examples) >= 15
    person = evaluate_detector(detector.detect, examples, ["PERSON"])["per_type"]["PERSON"]
    assert person["precision"] >= 0.9 and person["recall"] >= 0.8
