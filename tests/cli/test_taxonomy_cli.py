"""`groundswell taxonomy …` through typer's CliRunner against a temporary data dir."""

from __future__ import annotations

import json
from pathlib import Path

import groundswell.cli.taxonomy_jobs  # noqa: F401
import pytest
import yaml
from groundswell.cli.main import app
from groundswell.storage.db import session_scope, utcnow
from groundswell.storage.models import AuditEvent, Classification, FeedbackUnit
from groundswell.storage.taxonomy import add_proposal, latest_version
from sqlmodel import select
from typer.testing import CliRunner

from groundswell import cli
from groundswell.runtime import build_runtime
from groundswell.settings import Settings
from tests.core.classify.toy import HashingEmbedder
from tests.jobs.fakes import DictIndex
from tests.storage.test_identity_events import make_unit

TREE = Path(__file__).parents[1] / "core" / "taxonomy" / "fixtures" / "tree.yaml"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GROUNDSWELL_DATA_DIR", str(tmp_path))
    return tmp_path


def _run(*args: str, json_output: bool = True) -> dict:
    result = CliRunner().invoke(app, ["taxonomy", *args, *(["--json"] if json_output else [])])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if json_output else {"out": result.stdout}


def _engine(data_dir: Path):
    return build_runtime(Settings(data_dir=data_dir)).engine


def test_import_edit_diff_export_round_trip(data_dir: Path, tmp_path: Path) -> None:
    assert _run("import", str(TREE), "--actor", "ana") == {"version": 1, "themes": 5, "depth": 2}
    assert _run("rename", "auth.sso", "Single sign-on")["diff"]["renamed"][0]["new"] == "Single sign-on"
    merged = _run("merge", "auth.mfa", "--into", "auth.sso")
    assert merged["migration"]["mapping"] == {"auth.mfa": ["auth.sso"]}
    split = _run("split", "export.csv", "--into", "export.csv_timeout=CSV timeouts,export.csv_format")
    assert split["migration"]["mapping"] == {"export.csv": ["export.csv_timeout", "export.csv_format"]}
    assert _run("move", "export.csv_format", "--parent", "auth")["diff"]["moved"][0]["new_parent"] == "auth"
    assert _run("retire", "export.csv_format")["diff"]["retired"] == ["export.csv_format"]
    assert [v["edit"] for v in _run("versions")["versions"]] == ["import", "rename", "merge", "split", "move", "retire"]
    changes = _run("diff", "1", "6")
    assert changes["merged"] == [{"key": "auth.mfa", "into": "auth.sso"}] and "export.csv" in changes["retired"]
    shown = {t["key"]: t for t in _run("show", "--version", "3")["themes"]}
    assert shown["auth.mfa"]["status"] == "retired"
    exported = CliRunner().invoke(app, ["taxonomy", "export", "--format", "yaml"])
    assert exported.exit_code == 0 and yaml.safe_load(exported.stdout)["version"] == 6
    (tmp_path / "again.yaml").write_text(exported.stdout, encoding="utf-8")
    assert _run("import", str(tmp_path / "again.yaml"))["version"] == 7
    assert _run("diff", "6", "7") == {"from": 6, "to": 7, **{k: [] for k in changes if k not in ("from", "to")}}
    with session_scope(_engine(data_dir)) as session:
        actions = {a.action for a in session.exec(select(AuditEvent))}
    assert {"taxonomy.import", "taxonomy.rename", "taxonomy.merge", "taxonomy.split", "taxonomy.diff"} <= actions


def test_a_corrupt_file_names_its_line_and_stores_nothing(data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("themes:\n  - key: a\n    name: A\n  - key: b\n    parent_key: missing\n    name: B\n")
    result = CliRunner().invoke(app, ["taxonomy", "import", str(bad)])
    assert result.exit_code != 0 and "line 4" in str(result.exception) and "missing" in str(result.exception)
    with session_scope(_engine(data_dir)) as session:
        assert latest_version(session=session) is None


def test_review_queue_accept_and_reject(data_dir: Path) -> None:
    _run("import", str(TREE))
    with session_scope(_engine(data_dir)) as session:
        first = add_proposal(session=session, name="refund / money", terms=["refund"], size=20, suggested_parent="auth")
        second = add_proposal(session=session, name="noise", size=9)
        ids = (first.id, second.id)
    queue = _run("proposals")["proposals"]
    assert [p["id"] for p in queue] == list(ids)
    accepted = _run("accept", str(ids[0]), "--parent", "export", "--name", "Refunds")
    assert accepted["version"] == 2 and accepted["diff"]["added"] == ["export.refunds"]
    assert _run("reject", str(ids[1])) == {"rejected": ids[1]}
    assert _run("proposals")["proposals"] == []
    assert {p["status"] for p in _run("proposals", "--all")["proposals"]} == {"accepted", "rejected"}
    again = CliRunner().invoke(app, ["taxonomy", "accept", str(ids[0])])
    assert again.exit_code != 0 and "already accepted" in str(again.exception)


def test_reprocess_moves_classifications_by_the_migration_map(data_dir: Path) -> None:
    _run("import", str(TREE))
    with session_scope(_engine(data_dir)) as session:
        for uid, theme, sub in [("u1", "auth", "auth.mfa"), ("u2", "export", "export.csv")]:
            make_unit(session, uid, None)
            session.add(
                Classification(unit_id=uid, taxonomy_version=1, theme_key=theme, subtheme_key=sub, created_at=utcnow())
            )
    _run("merge", "auth.mfa", "--into", "auth.sso")
    assert _run("reprocess", "--to", "2", "--batch", "1") == {
        "from": 1, "to": 2, "migrated": 2, "needs_review": 0, "reclassified": 0, "done": True,
    }  # fmt: skip
    with session_scope(_engine(data_dir)) as session:
        moved = session.get(Classification, ("u1", 2))
        assert moved is not None and moved.subtheme_key == "auth.sso"
    assert "classification job" in _run("reprocess", "--to", "1", json_output=False)["out"]


def test_reprocess_classifies_split_units_relabels_and_diff_counts_moves(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = build_runtime(Settings(data_dir=data_dir))
    runtime.__dict__["embedder"] = HashingEmbedder()
    runtime.__dict__["vectors"] = DictIndex()
    monkeypatch.setattr(cli.taxonomy_jobs, "build_runtime", lambda settings: runtime)
    _run("import", str(TREE))
    texts = {"u1": "saml error on okta login", "u2": "okta saml login loops", "u3": "the 2fa code never arrives"}
    with session_scope(runtime.engine) as session:
        for uid, text in [*texts.items(), ("u4", "the csv export times out again")]:
            make_unit(session, uid, None)
            session.get(FeedbackUnit, uid).text = text
            theme, sub = ("export", "export.csv") if uid == "u4" else ("auth", "auth.sso")
            session.add(
                Classification(unit_id=uid, taxonomy_version=1, theme_key=theme, subtheme_key=sub, created_at=utcnow())
            )
    split = _run("split", "auth.sso", "--into", "auth.saml=SAML okta login|okta saml error,auth.codes=2fa codes")
    assert split["migration"]["hints"] == {"auth.saml": ["okta saml error"], "auth.codes": []}
    summary = _run("reprocess", "--batch", "2", "--relabel")
    assert (summary["from"], summary["to"], summary["migrated"], summary["reclassified"]) == (1, 2, 4, 3)
    assert summary["relabelled"] == 1  # u4 was moved by the map alone: v1's classifier wrote it, v2's now does
    with session_scope(runtime.engine) as session:
        leaves = {uid: session.get(Classification, (uid, 2)).subtheme_key for uid in texts}
    assert leaves == {"u1": "auth.saml", "u2": "auth.saml", "u3": "auth.codes"}
    moved = _run("diff", "1", "2")["units_moved"]
    assert moved == [
        {"from": "auth.sso", "to": "auth.saml", "units": 2},
        {"from": "auth.sso", "to": "auth.codes", "units": 1},
    ]
    again = _run("reprocess", "--relabel")
    assert again["migrated"] == 4 and again["relabelled"] == 0  # resumable and incremental: nothing left to do
    assert "2 units" in _run("diff", "1", "2", json_output=False)["out"]


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("bad.json", '{\n  "themes": [\n    {"key": "a", "name": "A"},\n  ]\n}\n', "line 4"),
        ("bad.yaml", "themes:\n  - key: a\n    name: A\n  - key: a\n    name: B\n", "line 4"),
    ],
)
def test_a_corrupt_file_changes_nothing_already_stored(
    data_dir: Path, tmp_path: Path, name: str, text: str, line: str
) -> None:
    _run("import", str(TREE))
    with session_scope(_engine(data_dir)) as session:
        make_unit(session, "u1", None)
        session.add(Classification(unit_id="u1", taxonomy_version=1, theme_key="auth", created_at=utcnow()))

    def snapshot() -> tuple[object, ...]:
        with session_scope(_engine(data_dir)) as session:
            rows = [c.model_dump() for c in session.exec(select(Classification))]
            return latest_version(session=session), rows, _run("show")["themes"]

    before = snapshot()
    bad = tmp_path / name
    bad.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["taxonomy", "import", str(bad)])
    assert result.exit_code != 0 and f"{name}: {line}" in str(result.exception)
    assert snapshot() == before
