"""Load the demo corpus's ground truth straight into the database (no pipeline): labels = truth labels.

Units keep their truth ids (``sig_000123``); classifications are the planted theme/sentiment/intent/severity
in taxonomy version 1; account snapshots say what the truth says at each unit's time (a new snapshot whenever
the segment or ARR seen by a unit changes), plus the accounts' current facts at ``as_of`` (renewal dates).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from groundswell.storage.db import session_scope
from groundswell.storage.models import (
    Account,
    AccountSnapshot,
    Classification,
    FeedbackUnit,
    Person,
    RawRecordRow,
    Source,
    SyncState,
    TaxonomyVersion,
    Theme,
)
from sqlalchemy import Engine, insert


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@dataclass
class Truth:
    units: list[dict[str, Any]]
    questions: list[dict[str, Any]]
    truth: dict[str, Any]

    @property
    def as_of(self) -> datetime:
        return parse_time(self.truth["as_of"])


def read_truth(truth_dir: Path) -> Truth:
    def lines(name: str) -> list[dict[str, Any]]:
        return [json.loads(line) for line in (truth_dir / name).read_text(encoding="utf-8").splitlines() if line]

    truth = json.loads((truth_dir / "truth.json").read_text(encoding="utf-8"))
    return Truth(lines("units.jsonl"), lines("questions.jsonl"), truth)


def _snapshots(truth: Truth, account_ids: dict[str, int]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    current = {a["id"]: a for a in truth.truth["accounts"]}
    last: dict[str, tuple[Any, Any]] = {}
    for u in sorted(truth.units, key=lambda u: u["created_at"]):
        acct = u["account_id"]
        if acct is None or last.get(acct) == (u["segment"], u["arr"]):
            continue
        last[acct] = (u["segment"], u["arr"])
        rows.append({
            "account_id": account_ids[acct], "valid_from": parse_time(u["created_at"]), "segment": u["segment"],
            "arr": u["arr"], "plan": current[acct]["Plan__c"],
        })  # fmt: skip
    for ext, a in current.items():
        rows.append({
            "account_id": account_ids[ext], "valid_from": truth.as_of, "segment": a["Segment__c"],
            "arr": float(a["ARR__c"]), "plan": a["Plan__c"], "renewal_date": date.fromisoformat(a["Renewal_Date__c"]),
        })  # fmt: skip
    return rows


def load_truth(engine: Engine, truth: Truth, *, taxonomy_version: int = 1) -> None:
    """Write sources, raw records, accounts (+ dated snapshots), people, units, taxonomy and classifications."""
    as_of = truth.as_of
    themes = truth.truth["themes"]
    parent_of = {t["id"]: t["parent"] for t in themes}
    with session_scope(engine) as session:
        sources = sorted({u["source"] for u in truth.units})
        session.add_all(Source(name=s, created_at=as_of) for s in sources)
        session.flush()
        session.add_all(SyncState(source=s, last_success_at=as_of) for s in sources)
        session.add(TaxonomyVersion(version=taxonomy_version, created_at=as_of))
        session.add_all(
            Theme(
                version=taxonomy_version, key=t["id"], parent_key=t["parent"], name=t["name"],
                aliases=t["aliases"], owner_team=t["owner"],
            )
            for t in themes
        )  # fmt: skip
        accounts = [Account(external_id=a["id"], name=a["name"], created_at=as_of) for a in truth.truth["accounts"]]
        person_ids = sorted({u["person_id"] for u in truth.units} - {None})
        people = {p: Person(display_name=p, created_at=as_of) for p in person_ids}
        records = {
            (u["source"], u["external_id"]): RawRecordRow(
                source=u["source"], external_id=u["external_id"], kind="record", content_hash="x", fetched_at=as_of
            )
            for u in truth.units
        }
        session.add_all([*accounts, *people.values(), *records.values()])
        session.flush()
        account_ids = {a.external_id: a.id for a in accounts}
        session.execute(insert(AccountSnapshot), _snapshots(truth, account_ids))
        session.execute(insert(FeedbackUnit), [_unit(u, records, people, account_ids) for u in truth.units])
        labels = [_labels(u, parent_of, taxonomy_version, as_of) for u in truth.units]
        session.execute(insert(Classification), labels)


def _labels(u: dict[str, Any], parent_of: dict[str, str], version: int, at: datetime) -> dict[str, Any]:
    return {
        "unit_id": u["signal_id"], "taxonomy_version": version, "theme_key": parent_of[u["theme_id"]],
        "subtheme_key": u["theme_id"], "sentiment": u["sentiment"], "intent": u["intent"],
        "severity": u["severity"], "confidence": {}, "created_at": at,
    }  # fmt: skip


def _unit(u: dict[str, Any], records: dict, people: dict, account_ids: dict) -> dict[str, Any]:
    return {
        "id": u["signal_id"], "raw_record_id": records[(u["source"], u["external_id"])].id, "source": u["source"],
        "external_id": u["external_id"], "message_id": u["message_id"], "ordinal": 0, "text": u["text"],
        "text_hash": u["signal_id"], "speaker_role": "customer", "channel": "other", "thread_ref": u["external_id"],
        "context": {}, "created_at": parse_time(u["created_at"]), "url": f"https://example.test/{u['signal_id']}",
        "person_id": people[u["person_id"]].id if u["person_id"] else None,
        "account_id": account_ids[u["account_id"]] if u["account_id"] else None, "duplicate_of": u["duplicate_of"],
    }  # fmt: skip
