"""Production code knows no tenant: the demo's company appears only under demo/ (and in tests)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP = {"demo", "tests", ".venv", ".git", ".groundswell", "node_modules"}


def test_no_production_file_names_the_demo_tenant():
    hits = []
    for path in sorted(ROOT.rglob("*.py")):
        if SKIP & set(path.relative_to(ROOT).parts):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search("brightloop", line, re.IGNORECASE):
                hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not hits, "tenant-specific values belong in settings or demo/:\n" + "\n".join(hits)
