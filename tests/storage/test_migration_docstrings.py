"""Each migration's docstring names the parent its down_revision really is."""

from __future__ import annotations

import re
from pathlib import Path

VERSIONS = Path(__file__).resolve().parents[2] / "storage" / "migrations" / "versions"


def test_docstring_parent_matches_down_revision():
    wrong = []
    for path in sorted(VERSIONS.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        said = re.search(r"^Revises: *(\S*)$", text, re.MULTILINE)
        down = re.search(r'^down_revision: [^=]+= *(?:"([^"]*)"|None)', text, re.MULTILINE)
        assert said and down, path.name
        if (said.group(1) or None) != (down.group(1) or None):
            wrong.append(f"{path.name}: docstring {said.group(1)!r}, down_revision {down.group(1)!r}")
    assert not wrong, wrong
