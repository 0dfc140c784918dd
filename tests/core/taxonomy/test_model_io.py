"""Taxonomy validation and YAML/JSON import/export (errors name the file and the line)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from groundswell.core.taxonomy import Taxonomy, TaxonomyError, ThemeDef, dump_taxonomy, load_taxonomy, parse_taxonomy

FIXTURE = Path(__file__).parent / "fixtures" / "tree.yaml"


def test_loads_a_two_level_tree() -> None:
    tax = load_taxonomy(FIXTURE)
    assert len(tax) == 5 and tax.max_depth == 1
    assert [t.key for t in tax.children(None)] == ["auth", "export"]
    assert tax.get("auth.sso").aliases == ("saml", "okta") and tax.root_of("auth.sso") == "auth"
    assert tax.depth("auth") == 0 and tax.descendants("auth") == ["auth.sso", "auth.mfa"]


@pytest.mark.parametrize(
    ("themes", "message"),
    [
        ([], "at least one theme"),
        ([ThemeDef("a", "A"), ThemeDef("a", "B")], "duplicate key 'a'"),
        ([ThemeDef("a", "A", parent_key="zz")], "parent 'zz' does not exist"),
        ([ThemeDef("a", "A", parent_key="b"), ThemeDef("b", "B", parent_key="a")], "its own ancestor"),
        ([ThemeDef("a", "A", status="weird")], "status 'weird'"),
        ([ThemeDef("a", "A", status="retired"), ThemeDef("b", "B", parent_key="a")], "under retired parent"),
        ([ThemeDef("a", " ")], "empty name"),
    ],
)
def test_validation_rejects_bad_trees(themes: list[ThemeDef], message: str) -> None:
    with pytest.raises(TaxonomyError, match=message):
        Taxonomy(1, tuple(themes))


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_round_trips(fmt: str, tmp_path: Path) -> None:
    tax = load_taxonomy(FIXTURE)
    path = tmp_path / f"t.{fmt}"
    path.write_text(dump_taxonomy(tax, fmt), encoding="utf-8")
    assert load_taxonomy(path) == tax


def test_yaml_error_names_file_and_line_of_the_bad_entry(tmp_path: Path) -> None:
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    lines[16] = "    parent_key: nowhere"  # export.csv (entry 5, starting on line 15) loses its parent
    path = tmp_path / "bad.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"bad\.yaml: line 15 \(theme entry 5\): .*parent 'nowhere'"):
        load_taxonomy(path)


def test_missing_name_and_syntax_errors_name_the_line(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    missing.write_text("themes:\n  - key: a\n    name: A\n  - key: b\n    description: no name\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"missing\.yaml: line 4 \(theme entry 2\): missing 'name'"):
        load_taxonomy(missing)
    broken = tmp_path / "broken.yaml"
    broken.write_text("themes:\n  - key: a\n    name: [unclosed\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"broken\.yaml: line \d+: not valid YAML"):
        load_taxonomy(broken)
    with pytest.raises(TaxonomyError, match="expected a 'themes' list"):
        parse_taxonomy("just a string")


def test_json_duplicate_key_names_its_line() -> None:
    text = json.dumps({"themes": [{"key": "a", "name": "A"}, {"key": "a", "name": "B"}]}, indent=2)
    with pytest.raises(TaxonomyError, match=r"seed\.json: line 7 \(theme entry 2\): duplicate key 'a'"):
        parse_taxonomy(text, source="seed.json")


def test_reads_the_demo_seed_taxonomy_spelling() -> None:
    seed = {
        "themes": [
            {"id": "auth", "parent": None, "name": "Authentication", "description": "Signing in", "aliases": [],
             "owner": "Identity team"},
            {"id": "auth.sso_login", "parent": "auth", "name": "SSO login failures", "description": "SAML",
             "aliases": ["okta"], "owner": "Identity team"},
        ]
    }  # fmt: skip
    tax = parse_taxonomy(json.dumps(seed))
    assert tax.get("auth.sso_login").parent_key == "auth" and tax.get("auth").owner_team == "Identity team"


JSON_OK = '{\n  "themes": [\n    {"key": "a", "name": "A"},\n'  # lines 1-3; the entry under test starts on line 4


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("t.json", JSON_OK + '    {"key": "b", "name": "B"},\n  ]\n}\n', r"line 5 column 3: not valid JSON"),
        ("t.json", JSON_OK + '    {"key": "b" "name": "B"}\n  ]\n}\n', r"line 4 column 17: not valid JSON"),
        (
            "t.json",
            JSON_OK + '    {"key": "b", "description": "x"}\n  ]\n}\n',
            r"line 4 \(theme entry 2\): missing 'name'",
        ),
        ("t.json", JSON_OK + '    {"key": "a", "name": "B"}\n  ]\n}\n', r"line 4 \(theme entry 2\): duplicate key 'a'"),
        ("t.json", JSON_OK + '    {"key": "b", "name": "B", "parent": "zz"}\n  ]\n}\n', r"line 4 .*parent 'zz'"),
        (
            "t.json",
            JSON_OK + '    {"key": "b",\n     "key": "c", "name": "B"}\n  ]\n}\n',
            r"line 5: field 'key' is given",
        ),
        ("t.yaml", "themes:\n  - key: a\n    name: A\n  - key: b\n\tname: B\n", r"line 5: not valid YAML"),
        ("t.yaml", "themes:\n  - key: a\n    name: A\n  - name: B\n", r"line 4 \(theme entry 2\): missing 'key'"),
        ("t.yaml", "themes:\n  - key: a\n    name: A\n  - key: b\n    name: B\n    name: C\n", r"line 6: field 'name'"),
        ("t.yaml", "themes:\n  - key: a\n    name: A\n  - key: b\n    name: B\n    colour: red\n", r"line 4 .*colour"),
    ],
)
def test_corrupt_files_name_the_line(name: str, text: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TaxonomyError, match=re.escape(name) + ": " + message):
        load_taxonomy(path)
