"""One lock file for everything: pyproject pins exactly, requirements.lock agrees, CI runs the README's command."""

from __future__ import annotations

import os
import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# name[extras]==version, optionally followed by an environment marker.
PINNED = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[(?P<extras>[^\]]*)\])?\s*==\s*(?P<version>[^\s;,]+)\s*(?:;.*)?$"
)
LOCK_LINE = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)$")


def normalize(name: str) -> str:
    """PEP 503: case-insensitive, runs of -, _ and . are equivalent."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_pins(requirements: list[str]) -> tuple[dict[str, str], list[str]]:
    """{normalized name: version} for exact pins, and the requirements that are not pinned with ==."""
    pins: dict[str, str] = {}
    loose: list[str] = []
    for requirement in requirements:
        match = PINNED.match(requirement.strip())
        if match:
            pins[normalize(match["name"])] = match["version"]
        else:
            loose.append(requirement)
    return pins, loose


def parse_lock(text: str) -> tuple[dict[str, str], list[str]]:
    """{normalized name: version} and the problems (unpinned lines, duplicates) of a requirements.lock text."""
    lock: dict[str, str] = {}
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = LOCK_LINE.match(line)
        if not match:
            problems.append(f"requirements.lock:{number}: not name==version: {raw!r}")
            continue
        name = normalize(match["name"])
        if name in lock:
            problems.append(f"requirements.lock:{number}: {match['name']} is listed twice")
        lock[name] = match["version"]
    return lock, problems


def mismatches(pins: dict[str, str], lock: dict[str, str]) -> list[str]:
    return [
        f"{name}=={version} but requirements.lock has {lock.get(name, 'nothing')}"
        for name, version in sorted(pins.items())
        if lock.get(name) != version
    ]


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _declared() -> list[str]:
    project = _pyproject()["project"]
    extras = [req for group in project.get("optional-dependencies", {}).values() for req in group]
    return [*project["dependencies"], *extras]


def test_every_dependency_is_pinned_exactly() -> None:
    _, loose = parse_pins(_declared())
    assert not loose, f"pin these with == in pyproject.toml: {loose}"


def test_lock_file_is_well_formed() -> None:
    _, problems = parse_lock((ROOT / "requirements.lock").read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems)


def test_lock_file_agrees_with_pyproject() -> None:
    pins, _ = parse_pins(_declared())
    lock, _ = parse_lock((ROOT / "requirements.lock").read_text(encoding="utf-8"))
    problems = mismatches(pins, lock)
    assert not problems, "\n".join(problems)


def test_installed_environment_matches_the_pins() -> None:
    pins, _ = parse_pins(_declared())
    wrong = []
    for name, version in sorted(pins.items()):
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "not installed"
        if installed != version:
            wrong.append(f"{name}: pinned {version}, installed {installed}")
    assert not wrong, "reinstall with `make test` (pip install -c requirements.lock -e .[dev]):\n" + "\n".join(wrong)


def test_pin_parsing_normalizes_names_and_extras() -> None:
    pins, loose = parse_pins(
        [
            "psycopg[binary]==3.3.9",
            "Presidio_Analyzer==2.2.366",
            "ruamel.yaml==0.18",
            "httpx>=0.28",
            "rich",
            "x==1 ; os_name=='nt'",
        ]
    )
    assert pins == {"psycopg": "3.3.9", "presidio-analyzer": "2.2.366", "ruamel-yaml": "0.18", "x": "1"}
    assert loose == ["httpx>=0.28", "rich"]


def test_lock_parsing_and_mismatches_can_fail() -> None:
    lock, problems = parse_lock("# header\nSQLAlchemy==2.1.9\nslack_bolt==1.30.0\nrich>=15\nsqlalchemy==2.1.8\n")
    assert lock == {"sqlalchemy": "2.1.8", "slack-bolt": "1.30.0"}
    assert problems == [
        "requirements.lock:4: not name==version: 'rich>=15'",
        "requirements.lock:5: sqlalchemy is listed twice",
    ]
    assert mismatches({"slack-bolt": "1.30.0", "sqlalchemy": "2.1.9", "redis": "8.1.0"}, lock) == [
        "redis==8.1.0 but requirements.lock has nothing",
        "sqlalchemy==2.1.9 but requirements.lock has 2.1.8",
    ]


def test_ci_runs_make_test() -> None:
    run = ROOT / ".ci" / "run"
    commands = [
        line.strip() for line in run.read_text(encoding="utf-8").splitlines() if not line.strip().startswith("#")
    ]
    assert any(re.search(r"(^|\s)make test$", command) for command in commands), ".ci/run must call `make test`"
    assert os.access(run, os.X_OK), ".ci/run must be executable"


def test_readme_gives_the_two_commands() -> None:
    readme = ROOT / "README.md"
    if not readme.exists():
        pytest.skip("README.md is not written yet")
    text = readme.read_text(encoding="utf-8")
    assert "make demo" in text and "make test" in text
