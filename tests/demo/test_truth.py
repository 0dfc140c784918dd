"""Ground truth agrees with the exports, and every expected answer recomputes from units.jsonl."""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from groundswell.demo.pii import iban_valid, luhn_valid

from tests.demo.exports import jsonl, messages

STOP = {"the", "a", "to", "and", "of", "in", "it", "is", "i", "we", "for", "on", "our", "my", "this", "that"}


@pytest.fixture(scope="module")
def units(corpus_dir: Path) -> list[dict[str, Any]]:
    return jsonl(corpus_dir / "_truth" / "units.jsonl")


@pytest.fixture(scope="module")
def truth(corpus_dir: Path) -> dict[str, Any]:
    return json.loads((corpus_dir / "_truth" / "truth.json").read_text(encoding="utf-8"))


def test_every_unit_is_the_exact_slice_of_a_customer_message(corpus_dir: Path, units: list[dict]) -> None:
    msgs = messages(corpus_dir)
    for u in units:
        text, who = msgs[u["source"], u["external_id"], u["message_id"]]
        assert who == "customer", u
        assert text[u["char_start"] : u["char_end"]] == u["text"], u
        assert u["text"].strip() == u["text"] and u["text"]
    assert len(units) > 1200


def test_staff_and_bot_text_never_becomes_a_unit(corpus_dir: Path, units: list[dict]) -> None:
    msgs = messages(corpus_dir)
    located = {(u["source"], u["external_id"], u["message_id"]) for u in units}
    staff = [k for k, (_, who) in msgs.items() if who != "customer"]
    assert staff and not located & set(staff)
    unit_texts = {u["text"] for u in units}
    assert not any(msgs[k][0] in unit_texts for k in staff)


def test_unit_fields_and_labels(units: list[dict], truth: dict) -> None:
    keys = {
        "signal_id",
        "source",
        "external_id",
        "message_id",
        "char_start",
        "char_end",
        "text",
        "theme",
        "subtheme",
        "sentiment",
        "intent",
        "severity",
        "account_id",
        "person_id",
        "created_at",
        "duplicate_of",
    }
    assert all(keys <= set(u) for u in units)
    assert len({u["signal_id"] for u in units}) == len(units)
    assert {u["sentiment"] for u in units} == {"negative", "neutral", "positive"}
    assert {u["intent"] for u in units} == {
        "bug_report",
        "feature_request",
        "complaint",
        "praise",
        "question",
        "churn_risk",
        "other",
    }
    assert {u["severity"] for u in units} == {"low", "medium", "high", "critical"}
    window = truth["window"]
    assert all(window["start"] <= u["created_at"] < window["end"] for u in units)
    assert all(u["account_id"] is None and u["person_id"] is None for u in units if u["source"] == "googleplay")
    assert {u["language"] for u in units} > {"en"}


def test_duplicates_point_to_earlier_originals(units: list[dict], truth: dict) -> None:
    by_id = {u["signal_id"]: u for u in units}
    dups = truth["duplicates"]
    assert dups and len(dups) == sum(1 for u in units if u["duplicate_of"])
    sources = set()
    for d in dups:
        dup, orig = by_id[d["signal_id"]], by_id[d["duplicate_of"]]
        assert orig["duplicate_of"] is None and orig["created_at"] < dup["created_at"]
        assert dup["subtheme"] == orig["subtheme"] and dup["person_id"] == orig["person_id"]
        sources.add((orig["source"], dup["source"]))
    assert ("zendesk", "intercom") in sources and ("googleplay", "googleplay") in sources


def test_pii_locations_are_exact_and_values_valid(corpus_dir: Path, truth: dict) -> None:
    msgs = messages(corpus_dir)
    kinds = Counter()
    for p in truth["pii"]:
        text, _ = msgs[p["source"], p["external_id"], p["message_id"]]
        assert text[p["char_start"] : p["char_end"]] == p["value"], p
        kinds[p["type"]] += 1
        if p["type"] == "credit_card":
            assert luhn_valid(p["value"])
        if p["type"] == "iban":
            assert iban_valid(p["value"])
        if p["type"] == "api_key":
            assert p["value"].startswith(("sk_live_", "ghp_"))
    assert set(kinds) == {"email", "phone", "credit_card", "iban", "api_key", "ssn", "ip_address", "person_name"}


def test_planted_structure(truth: dict, units: list[dict]) -> None:
    planted = truth["planted"]
    rising = [w["count"] for w in planted["rising"]["weekly"]]
    falling = [w["count"] for w in planted["falling"]["weekly"]]
    third = len(rising) // 3
    assert sum(rising[-third:]) > 2 * sum(rising[:third])
    assert sum(falling[:third]) > 2 * sum(falling[-third:])
    assert planted["spike"]["peak_ratio"] >= 4
    released = datetime.fromisoformat(truth["release"]["released_at"])
    assert 19 <= (datetime.fromisoformat(truth["as_of"]) - released).days <= 23
    ent = planted["enterprise_only"]["theme"]
    assert {u["segment"] for u in units if f"{u['theme']} > {u['subtheme']}" == ent} == {"Enterprise"}
    heavy = planted["arr_heavy"]
    top_arr = sorted(truth["accounts"], key=lambda a: -float(a["ARR__c"]))[:8]
    assert heavy["mentions"] >= 4 and set(heavy["accounts"]) <= {a["id"] for a in top_arr}
    assert heavy["volume_rank"] == len({(u["theme"], u["subtheme"]) for u in units})


def test_seed_taxonomy_omits_planted_themes(corpus_dir: Path, truth: dict) -> None:
    seed = json.loads((corpus_dir / "_truth" / "seed_taxonomy.json").read_text(encoding="utf-8"))["themes"]
    full = truth["themes"]
    leaves = [t for t in full if t["parent"]]
    assert len(leaves) >= 25
    seed_ids = {t["id"] for t in seed}
    omitted = [t for t in leaves if t["id"] not in seed_ids]
    assert 3 <= len(omitted) <= 4
    names = {f"{p['name']} > {t['name']}" for t in omitted for p in full if p["id"] == t["parent"]}
    assert names == set(truth["planted"]["omitted_themes"])
    assert all(t["owner"] and "description" in t and "aliases" in t for t in seed)


def test_people_csv_links_identities(corpus_dir: Path) -> None:
    with (corpus_dir / "_truth" / "people.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and set(rows[0]) >= {"rec_id", "person_id"}
    assert len({r["rec_id"] for r in rows}) == len(rows)
    by_person: dict[str, set[str]] = {}
    for r in rows:
        if r["person_id"]:
            by_person.setdefault(r["person_id"], set()).add(r["source"])
    assert sum(1 for s in by_person.values() if len(s) >= 3) > 20  # same person, many sources
    emails = [r["email"] for r in rows if r["email"]]
    assert any("+" in e.split("@")[0] for e in emails)
    assert any(e != e.lower() for e in emails)
    assert any(r["person_id"] == "" for r in rows)  # shared inboxes


def _recompute(units: list[dict], spec: dict) -> Any:
    """An independent, deliberately naive implementation of the documented semantics."""
    f = spec["filters"]

    def ok(u: dict, window: dict | None = None) -> bool:
        w = window or f.get("window")
        path = f"{u['theme']} > {u['subtheme']}"
        return (
            u["duplicate_of"] is None
            and (not f.get("theme") or f["theme"] in (path, u["theme"]))
            and all(not f.get(k) or u[k] == f[k] for k in ("segment", "source", "sentiment", "intent", "severity"))
            and (w is None or w["start"] <= u["created_at"] < w["end"])
            and ("account_ids" not in f or u["account_id"] in f["account_ids"])
        )

    def arr(selected: list[dict]) -> dict[str, float]:
        latest: dict[str, dict] = {}
        for u in sorted(selected, key=lambda u: u["created_at"]):
            if u["account_id"]:
                latest[u["account_id"]] = u
        return {a: u["arr"] for a, u in latest.items()}

    cur = [u for u in units if ok(u)]
    key = (
        (lambda u: f"{u['theme']} > {u['subtheme']}")
        if spec.get("group_by", "theme") == "theme"
        else (lambda u: u[spec["group_by"]])
    )
    if spec["kind"] == "count":
        return len(cur)
    if spec["kind"] == "set":
        return sorted({u[spec.get("of", "signal_id")] for u in cur if u[spec.get("of", "signal_id")]})
    if spec["kind"] == "number":
        return round(sum(arr(cur).values()), 2)
    if spec["kind"] == "comparison":
        prev = [u for u in units if ok(u, spec["previous_window"])]
        return {"current": len(cur), "previous": len(prev), "delta": len(cur) - len(prev)}
    metric = spec.get("metric", "count")
    groups: dict[str, list[dict]] = {}
    for u in cur:
        if key(u):
            groups.setdefault(key(u), []).append(u)
    if metric == "growth":
        prev = Counter(key(u) for u in units if ok(u, spec["previous_window"]))
        rows = [(g, len(us) - prev[g]) for g, us in groups.items() if len(us) > prev[g]]
        rows.sort(key=lambda r: (-r[1], r[0]))
        return [{"key": g, "current": len(groups[g]), "previous": prev[g], "delta": d} for g, d in rows[: spec["k"]]]
    if metric == "count":
        values = {g: len(us) for g, us in groups.items()}
    elif metric == "arr":
        values = {g: round(sum(arr(us).values()), 2) for g, us in groups.items()}
    else:
        values = {g: round(sum(arr(us).values()) / len(arr(us)), 2) for g, us in groups.items() if len(arr(us)) >= 3}
    rows = sorted(values.items(), key=lambda r: (-r[1], r[0]))[: spec["k"]]
    return [{"key": g, "value": v} for g, v in rows]


def test_every_question_recomputes_from_units(corpus_dir: Path, units: list[dict], truth: dict) -> None:
    questions = jsonl(corpus_dir / "_truth" / "questions.jsonl")
    assert len(questions) >= 30 and truth["questions"] == len(questions)
    assert {q["expected"]["kind"] for q in questions} == {"count", "ranking", "comparison", "set", "number"}
    for q in questions:
        assert q["id"] and q["question"]
        expected = q["expected"]
        assert _recompute(units, expected) == expected["value"], q["id"]
    nonzero = [q for q in questions if q["expected"]["value"] not in (0, [], 0.0)]
    assert len(nonzero) >= 0.8 * len(questions)


def test_semantics_are_documented(truth: dict) -> None:
    assert {"counted_object", "time", "segment", "arr"} <= set(truth["semantics"])
    assert set(truth["conventions"]) == {"zendesk", "intercom", "googleplay", "delighted", "gong", "discourse"}
    assert truth["as_of"] == datetime(2026, 6, 1, tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
