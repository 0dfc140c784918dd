"""Tests run from any clone: no test names a path outside the repository (fixtures ship in tests/fixtures)."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
OUTSIDE = re.compile(r"""["'](?:/work/|/home/|\.\./shared|~/)""")


def test_no_test_reads_a_path_outside_the_clone():
    found = [
        f"{path.relative_to(TESTS)}:{number}: {line.strip()}"
        for path in sorted(TESTS.rglob("*.py"))
        if path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert not found, "ship the file under tests/fixtures (with its licence) instead:\n" + "\n".join(found)


def test_shipped_specs_carry_their_licences():
    for folder in (
        "specs/slack",
        "specs/slack/payload_shapes",
        "specs/intercom",
        "specs/linear",
        "specs/jira",
        "prompt_injection",
    ):
        files = [p.name for p in (TESTS / "fixtures" / folder).iterdir()]
        assert any(name.startswith(("LICENSE", "SOURCE")) for name in files), folder
