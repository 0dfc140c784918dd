"""Person matching: deterministic rules, fuzzy names, blocking outcomes, free-mail and shared inboxes."""

from __future__ import annotations

from groundswell.core.matching import MatchResult, PersonRecord, match_people, records_from_rows, resolve
from groundswell.core.matching.records import prepare, soundex
from groundswell.core.matching.synthetic import synthetic_people
from groundswell.core.matching_eval import cluster_pairs, score_pairs


def _clustered(result: MatchResult, a: str, b: str) -> bool:
    return any(a in group and b in group for group in result.clusters)


def _population() -> list[PersonRecord]:
    """Enough distinct people that EM has non-matches to learn u from."""
    records, _ = synthetic_people(150, seed=3, dup_rate=0.3)
    return records


def test_soundex_codes() -> None:
    assert soundex("Robert") == "r163"
    assert soundex("Rupert") == "r163"
    assert soundex("Ashcraft") == "a261"
    assert soundex("") == ""


def test_records_from_rows_ignores_unknown_columns_and_blanks() -> None:
    rows = [{"rec_id": "r1", "first_name": " Ana ", "email": "", "shoe_size": "9"}, {"rec_id": "", "last_name": "x"}]
    assert records_from_rows(rows) == [PersonRecord(rec_id="r1", first_name="Ana")]


def test_full_name_is_split_when_parts_are_missing() -> None:
    prepared = prepare([PersonRecord(rec_id="a", full_name="Ana Maria Silva")])
    assert (prepared.first[0], prepared.last[0]) == ("ana", "silva")


def test_same_normalised_email_is_a_deterministic_match() -> None:
    records = [
        *_population(),
        PersonRecord(rec_id="x1", first_name="Priya", last_name="Raman", email="Priya.Raman+crm@Acme.io"),
        PersonRecord(rec_id="x2", first_name="Priya", last_name="Raman", email="priya.raman@acme.io", city="oslo"),
    ]
    pair = next(p for p in match_people(records).pairs if (p.a, p.b) == ("x1", "x2"))
    assert pair.confidence == 1.0
    assert pair.evidence["rule"] == "email"


def test_same_phone_and_same_external_id_are_deterministic() -> None:
    records = [
        *_population(),
        PersonRecord(rec_id="p1", first_name="Omar", last_name="Haddad", phone="+61 412 345 678"),
        PersonRecord(rec_id="p2", first_name="Omar", last_name="Hadad", phone="+61 (412) 345-678"),
        PersonRecord(rec_id="e1", first_name="Lena", last_name="Vogt", external_id="CRM-77"),
        PersonRecord(rec_id="e2", first_name="Lena", last_name="Vogt", external_id="crm-77"),
    ]
    rules = {(p.a, p.b): p.evidence["rule"] for p in match_people(records).pairs}
    assert rules[("p1", "p2")] == "phone"
    assert rules[("e1", "e2")] == "external_id"


def test_typo_names_with_same_details_match_probabilistically() -> None:
    base = {"street": "12 tullaroop street", "city": "willaroo", "postcode": "4011", "state": "wa", "dob": "19810209"}
    records = [
        *_population(),
        PersonRecord(rec_id="t1", first_name="katherine", last_name="mcdonald", **base),
        PersonRecord(rec_id="t2", first_name="kathrine", last_name="mcdonlad", **{**base, "postcode": "4001"}),
    ]
    result = match_people(records)
    assert _clustered(result, "t1", "t2")
    pair = next(p for p in result.pairs if (p.a, p.b) == ("t1", "t2"))
    assert pair.evidence["rule"] == "probabilistic"
    assert pair.confidence >= 0.5
    assert pair.evidence["log2_odds"] > 0


def test_swapped_first_and_last_names_still_match() -> None:
    base = {"street": "4 forbes street", "city": "kellerberrin", "postcode": "4510", "dob": "19300213"}
    records = [
        *_population(),
        PersonRecord(rec_id="s1", first_name="sarah", last_name="bruhn", **base),
        PersonRecord(rec_id="s2", first_name="bruhn", last_name="sarah", **base),
    ]
    result = match_people(records)
    assert _clustered(result, "s1", "s2")
    assert next(p for p in result.pairs if (p.a, p.b) == ("s1", "s2")).evidence["names_swapped"] is True


def test_same_name_different_dob_and_postcode_are_different_people() -> None:
    records = [
        *_population(),
        PersonRecord(rec_id="j1", first_name="john", last_name="smith", postcode="2000", dob="19700101", city="sydney"),
        PersonRecord(rec_id="j2", first_name="john", last_name="smith", postcode="6000", dob="19881123", city="perth"),
    ]
    assert not _clustered(match_people(records), "j1", "j2")


def test_free_mail_domain_never_implies_same_company() -> None:
    prepared = prepare(
        [
            PersonRecord(rec_id="a", email="ana@gmail.com", company="Gmail"),
            PersonRecord(rec_id="b", email="ben@acme.io"),
            PersonRecord(rec_id="c", domain="gmail.com"),
        ]
    )
    assert prepared.company.tolist() == ["gmail", "acme.io", ""]
    records = [
        *_population(),
        PersonRecord(rec_id="g1", first_name="ana", last_name="lopes", email="ana.lopes@gmail.com", postcode="3000"),
        PersonRecord(rec_id="g2", first_name="bram", last_name="visser", email="bram.v@gmail.com", postcode="3000"),
    ]
    assert not _clustered(match_people(records), "g1", "g2")


def test_shared_inbox_does_not_merge_clearly_different_people() -> None:
    records = [
        *_population(),
        PersonRecord(rec_id="i1", first_name="maria", last_name="okafor", email="support@acme.io", dob="19800101"),
        PersonRecord(rec_id="i2", first_name="tomas", last_name="berg", email="support@acme.io", dob="19920715"),
        PersonRecord(rec_id="i3", first_name="maria", last_name="okafor", email="support@acme.io", dob="19800101"),
    ]
    result = match_people(records)
    assert not _clustered(result, "i1", "i2")
    assert _clustered(result, "i1", "i3")
    assert all({p.a, p.b} != {"i1", "i2"} for p in result.pairs)


def test_em_learns_agreement_is_likelier_among_matches() -> None:
    model = resolve(_population()).model
    for name in ("first", "last", "postcode", "dob", "external_id"):
        k = model.fields.index(name)
        assert model.m[k][-1] > model.u[k][-1], name
        assert model.m[k][0] < model.u[k][0], name
    assert 0.0 < model.prior < 1.0


def test_synthetic_population_is_resolved_accurately() -> None:
    records, truth = synthetic_people(400, seed=5)
    groups: dict[str, list[str]] = {}
    for rec_id, person in truth.items():
        groups.setdefault(person, []).append(rec_id)
    result = match_people(records)
    scores = score_pairs(cluster_pairs(result.clusters), cluster_pairs(groups.values()))
    assert scores.precision > 0.97
    assert scores.recall > 0.95
