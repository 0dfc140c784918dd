"""Keeps the architecture's arrows true: the project itself, and the checker (tests/architecture.py) on fake trees."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.architecture import (
    BARE_RULE,
    LONG_FILE_ALLOWLIST,
    MAX_LINES,
    ROOT,
    Violation,
    _report,
    check_tree,
    imports_of,
    long_files,
    project_files,
)

# --- The project itself ----------------------------------------------------------------------------------------------


def test_project_respects_layers_and_library_ownership() -> None:
    violations = check_tree(ROOT)
    if violations:
        pytest.fail(_report(f"{len(violations)} architecture violation(s)", violations), pytrace=False)


def test_the_check_sees_the_project() -> None:
    files, _ = project_files(ROOT)
    names = {p.relative_to(ROOT).as_posix() for p in files}
    assert {"core/models.py", "groundswell/settings.py", "groundswell/__init__.py"} <= names
    assert not any(n.startswith((".venv/", "tests/")) for n in names)


def test_no_file_over_400_lines_unless_allow_listed() -> None:
    for path, reason in LONG_FILE_ALLOWLIST.items():
        assert reason.strip(), f"{path}: give a reason in LONG_FILE_ALLOWLIST"
    problems = long_files(ROOT, LONG_FILE_ALLOWLIST)
    if problems:
        pytest.fail(_report("file length", problems), pytrace=False)


# --- The checker, on synthetic trees (proof that it can fail) --------------------------------------------------------


def _tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


CLEAN = {
    "groundswell/__init__.py": "from pathlib import Path\n",
    "core/__init__.py": "",
    "core/models.py": "from __future__ import annotations\nimport json\n",
    "storage/__init__.py": "from groundswell.storage.db import engine\n",
    "storage/db.py": "import sqlalchemy\nfrom groundswell.core.models import X\nfrom . import vectors\n",
    "storage/vectors.py": "import chromadb\n",
    "storage/cache.py": "from redis import Redis\n",
    "core/privacy/__init__.py": "from presidio_analyzer import AnalyzerEngine\n",
    "connectors/__init__.py": "",
    "connectors/sub/__init__.py": "",
    "connectors/sub/zen.py": "from groundswell.core import models\nfrom ..sub import x\nimport slack_sdk\n",
    "connectors/sub/zed.py": "from . import y\n",
    "graph/graph.py": "from groundswell.storage import db\nfrom groundswell import messaging, embeddings\n",
    "groundswell/runtime.py": "from groundswell import settings, graph\nimport groundswell.storage.db as db\n",
    "jobs/__init__.py": "import groundswell.runtime\nfrom groundswell import bot\n",
    "cli/main.py": "import os\nimport groundswell.api\nimport groundswell.jobs\nX = os.environ.get('A')\n",
    "groundswell/settings.py": "import os\nfrom groundswell.core import errors\nY = os.getenv('B')\n",
    "tests/test_x.py": "import os, redis, chromadb, api\nos.environ['A'] = '1'\n",
    "docs/conf.py": "import storage\n",
    "setup.py": "import setuptools\n",
}


def test_checker_passes_a_clean_tree(tmp_path: Path) -> None:
    assert check_tree(_tree(tmp_path, CLEAN)) == []


def test_checker_reports_every_kind_of_violation(tmp_path: Path) -> None:
    bad = {
        "core/bad.py": "import groundswell.storage\n",
        "connectors/sub/rel.py": "def f():\n    from ...storage import db\n    return db\n",
        "connectors/cfg.py": "from groundswell.settings import Settings\n",
        "demo/gen.py": "from groundswell import runtime\n",
        "messaging/blocks.py": "from slack_sdk.models import blocks\n",
        "graph/bad.py": "import groundswell.settings\nimport importlib\n"
        "m = importlib.import_module('groundswell.runtime')\n",
        "groundswell/runtime.py": "from groundswell.bot import create_app\nfrom sqlalchemy import select\n",
        "groundswell/__init__.py": "from groundswell import core\n",
        "jobs/sync.py": "from groundswell.cli import main\nimport sqlmodel\nimport chromadb.config\n",
        "bot/app.py": "from groundswell.api.main import app\n",
        "bot/bare.py": "from core.models import X\nimport storage.db\n",
        "storage/models.py": "from redis.lock import Lock\n",
        "embeddings/e.py": "import os\nSIZE = os.environ['SIZE']\n",
        "api/deps.py": "from os import getenv\n",
        "jobs/alias.py": "import os as _os\n\n\ndef f():\n    return _os.getenv('X')\n",
        "core/privacy_helper.py": "import presidio_anonymizer\n",
        "core/up.py": "from .. import something\n",
        "stray/__init__.py": "",
        "app.py": "",
    }
    got = {(v.path, v.line, v.what, v.rule.split(":")[0]) for v in check_tree(_tree(tmp_path, CLEAN | bad))}
    expected = {
        ("core/bad.py", 1, "imports groundswell.storage", "layer rule"),
        ("connectors/sub/rel.py", 2, "imports ...storage", "relative import above the top level"),
        ("connectors/cfg.py", 1, "imports groundswell.settings", "layer rule"),
        ("demo/gen.py", 1, "imports groundswell.runtime", "layer rule"),
        ("messaging/blocks.py", 1, "imports slack_sdk.models", "slack_bolt/slack_sdk only in bot/ and connectors/"),
        ("graph/bad.py", 1, "imports groundswell.settings", "layer rule"),
        ("graph/bad.py", 3, "imports groundswell.runtime", "layer rule"),
        ("groundswell/runtime.py", 1, "imports groundswell.bot", "layer rule"),
        ("groundswell/runtime.py", 2, "imports sqlalchemy", "sqlmodel/sqlalchemy only in storage/"),
        ("groundswell/__init__.py", 1, "imports groundswell.core", "layer rule"),
        ("jobs/sync.py", 1, "imports groundswell.cli", "layer rule"),
        ("jobs/sync.py", 2, "imports sqlmodel", "sqlmodel/sqlalchemy only in storage/"),
        ("jobs/sync.py", 3, "imports chromadb.config", "only storage/vectors.py imports chromadb"),
        ("bot/app.py", 1, "imports groundswell.api.main", "layer rule"),
        ("bot/bare.py", 1, "imports core.models", BARE_RULE.split(":")[0]),
        ("bot/bare.py", 2, "imports storage.db", BARE_RULE.split(":")[0]),
        ("storage/models.py", 1, "imports redis.lock", "only storage/cache.py imports redis"),
        ("embeddings/e.py", 2, "uses os.environ", "reads the environment"),
        ("api/deps.py", 1, "uses os.getenv", "reads the environment"),
        ("jobs/alias.py", 5, "uses os.getenv", "reads the environment"),
        ("core/privacy_helper.py", 1, "imports presidio_anonymizer", "only core/privacy imports presidio"),
        ("core/up.py", 1, "imports ..", "relative import above the top level"),
        ("stray/", 0, "is a package", "unknown top-level package"),
        ("app.py", 0, "is a module", "unknown top-level module"),
    }
    assert got == expected


def test_violation_reads_as_file_line_imports_rule() -> None:
    v = Violation("connectors/zendesk.py", 12, "imports storage.db", "layer rule: connectors may import only core")
    assert str(v) == "connectors/zendesk.py:12 imports storage.db (layer rule: connectors may import only core)"


def test_relative_imports_resolve_against_the_package() -> None:
    def targets(src: str, rel: str) -> list[str | None]:
        return [r.module for r in imports_of(ast.parse(src), Path(rel))]

    assert targets("from . import a, b", "storage/__init__.py") == ["groundswell.storage.a", "groundswell.storage.b"]
    assert targets("from .models import X", "storage/db.py") == ["groundswell.storage.models"]
    assert targets("from ..core import m", "connectors/zendesk/client.py") == ["groundswell.connectors.core"]
    assert targets("from groundswell import core, settings", "cli/x.py") == ["groundswell.core", "groundswell.settings"]
    assert targets("from . import settings", "groundswell/runtime.py") == ["groundswell.settings"]
    assert targets("from ..core import m", "connectors/zendesk.py") == [None]
    assert targets("from ...core import m", "connectors/zendesk/client.py") == [None]


def test_long_files_need_a_reason_and_stale_entries_fail(tmp_path: Path) -> None:
    _tree(tmp_path, {"core/big.py": "x = 1\n" * (MAX_LINES + 1), "core/ok.py": "x = 1\n" * MAX_LINES})
    assert long_files(tmp_path, {}) == [
        f"core/big.py has {MAX_LINES + 1} lines (> {MAX_LINES}): split it by responsibility"
    ]
    assert long_files(tmp_path, {"core/big.py": "generated"}) == []
    assert long_files(tmp_path, {"core/big.py": "generated", "core/ok.py": "was big"}) == [
        f"core/ok.py is in LONG_FILE_ALLOWLIST but is not over {MAX_LINES} lines (or is gone): remove the entry"
    ]
