"""Keeps the architecture's arrows true with a small AST check (no extra dependency).

Every ``.py`` file of the project's packages is parsed; every import (absolute, relative, ``from x import y``,
inside functions, ``importlib.import_module("...")``) is checked against the layer rules and the
"only this module may talk to that library" rules below. Reading the environment is reserved for
``settings.py`` and the entry points. A second check keeps files under 400 lines unless explicitly allowed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# --- Rules -----------------------------------------------------------------------------------------------------------

PROJECT = frozenset(
    {"core", "settings", "storage", "connectors", "embeddings", "llm", "demo", "messaging", "graph"}
    | {"runtime", "jobs", "bot", "surfaces", "api", "cli"}
)


@dataclass(frozen=True)
class Layer:
    may_import: frozenset[str]
    rule: str


def _only(*names: str) -> Layer:
    allowed = frozenset(names)
    return Layer(allowed, f"may import only {', '.join(sorted(allowed))}" if allowed else "imports no project package")


def _all_but(*names: str) -> Layer:
    return Layer(PROJECT - frozenset(names), f"may import anything but {', '.join(sorted(names))}")


LAYERS: dict[str, Layer] = {
    "core": _only(),
    "settings": _only("core"),
    "storage": _only("core"),
    "connectors": _only("core"),
    "embeddings": _only("core"),
    "llm": _only("core"),
    "demo": _only("core"),
    "messaging": _only("core"),
    "graph": _only("core", "storage", "messaging", "embeddings"),
    "runtime": _all_but("bot", "api", "cli", "jobs"),
    "jobs": _all_but("api", "cli"),
    "bot": _all_but("api", "cli"),
    "surfaces": _all_but("bot", "api", "cli"),
    "api": _all_but(),
    "cli": _all_but(),
}
assert set(LAYERS) == PROJECT


_LIBRARY_OWNERS = (  # (top-level import names, the only places importing them: "dir/" or exact file, rule)
    ("chromadb", "storage/vectors.py storage/vectors/", "only storage/vectors.py imports chromadb"),
    ("redis", "storage/cache.py storage/cache/", "only storage/cache.py imports redis"),
    ("presidio_analyzer presidio_anonymizer", "core/privacy.py core/privacy/", "only core/privacy imports presidio"),
    ("slack_bolt slack_sdk", "bot/ connectors/", "slack_bolt/slack_sdk only in bot/ and connectors/"),
    ("sqlmodel sqlalchemy", "storage/", "sqlmodel/sqlalchemy only in storage/: other layers call storage functions"),
)
LIBRARY_RULES = tuple((frozenset(libs.split()), tuple(at.split()), why) for libs, at, why in _LIBRARY_OWNERS)

ENV_ALLOWED = ("settings.py", "cli/", "tests/", "scripts/")
ENV_NAMES = frozenset({"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"})
ENV_RULE = "reads the environment: only settings.py, cli/, tests/ and scripts/ may; pass Settings down instead"

# Directories never walked (besides hidden ones); NOT_PACKAGES are walked only by the file-length check.
EXCLUDED_DIRS = frozenset({"build", "dist", "node_modules", "__pycache__"})
NOT_PACKAGES = EXCLUDED_DIRS | {"tests", "scripts", "docs"}

MAX_LINES = 400
# "path": "reason" for files allowed over MAX_LINES. Keep it empty unless a split would truly hurt.
LONG_FILE_ALLOWLIST: dict[str, str] = {
    "storage/migrations/versions/0001_initial_schema.py": "Alembic autogenerate output for the initial schema",
}


# --- Checker ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Violation:
    path: str
    line: int
    what: str
    rule: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} {self.what} ({self.rule})"


@dataclass(frozen=True)
class ImportRef:
    module: str | None  # absolute dotted name; None when a relative import climbs above the top-level package
    line: int
    written: str  # as written in the source, for the report


def _excluded(part: str) -> bool:
    return part.startswith(".") or part in EXCLUDED_DIRS or part.endswith(".egg-info")


def _skipped(part: str) -> bool:
    return _excluded(part) or part in NOT_PACKAGES


def project_files(root: Path) -> tuple[list[Path], list[Violation]]:
    """Every .py file of the project's packages and top-level modules, plus any unknown top-level package."""
    files: list[Path] = []
    unknown: list[Violation] = []
    for entry in sorted(root.iterdir()):
        if _skipped(entry.name):
            continue
        if entry.is_dir():
            if entry.name in PROJECT:
                files.extend(
                    p for p in sorted(entry.rglob("*.py")) if not any(map(_skipped, p.relative_to(root).parts))
                )
            elif (entry / "__init__.py").exists():
                unknown.append(
                    Violation(entry.name + "/", 0, "is a package", "unknown top-level package: add to LAYERS")
                )
        elif entry.suffix == ".py":
            if entry.stem in PROJECT:
                files.append(entry)
            else:
                unknown.append(Violation(entry.name, 0, "is a module", "unknown top-level module: add to LAYERS"))
    return files, unknown


def _package_parts(rel: Path) -> tuple[str, ...]:
    """The package a module's relative imports start from (``a/b.py`` and ``a/__init__.py`` are both in ``a``)."""
    return rel.with_suffix("").parts[:-1]


def _resolve_from(node: ast.ImportFrom, rel: Path) -> list[tuple[str | None, str]]:
    """Absolute targets of a ``from ... import ...`` statement, with how each was written."""
    dots = "." * node.level
    written = f"{dots}{node.module or ''}"
    if node.level == 0:
        return [(node.module, written)]
    package = _package_parts(rel)
    climb = node.level - 1
    if climb >= len(package):
        return [(None, written)]
    base = ".".join(package[: len(package) - climb])
    if node.module:
        return [(f"{base}.{node.module}", written)]
    return [(f"{base}.{alias.name}", f"{dots}{alias.name}") for alias in node.names]


def _dynamic_import(node: ast.Call) -> str | None:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    if name not in {"import_module", "__import__"} or not node.args:
        return None
    first = node.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str) and not first.value.startswith("."):
        return first.value
    return None


def imports_of(tree: ast.AST, rel: Path) -> Iterator[ImportRef]:
    """Every import in the module, wherever it sits (module level, functions, TYPE_CHECKING blocks)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield ImportRef(alias.name, node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            for module, written in _resolve_from(node, rel):
                yield ImportRef(module, node.lineno, written)
        elif isinstance(node, ast.Call) and (target := _dynamic_import(node)):
            yield ImportRef(target, node.lineno, target)


def env_reads_of(tree: ast.AST) -> Iterator[tuple[int, str]]:
    nodes = list(ast.walk(tree))
    os_names = {"os"} | {
        a.asname for n in nodes if isinstance(n, ast.Import) for a in n.names if a.name == "os" and a.asname
    }
    for node in nodes:
        if isinstance(node, ast.Attribute) and node.attr in ENV_NAMES:
            if isinstance(node.value, ast.Name) and node.value.id in os_names:
                yield node.lineno, f"os.{node.attr}"
        elif isinstance(node, ast.ImportFrom) and node.module == "os" and node.level == 0:
            yield from ((node.lineno, f"os.{a.name}") for a in node.names if a.name in ENV_NAMES)


def _under(rel: str, places: tuple[str, ...]) -> bool:
    return any(rel.startswith(p) if p.endswith("/") else rel == p for p in places)


def check_file(path: Path, root: Path) -> list[Violation]:
    rel = path.relative_to(root)
    rel_s = rel.as_posix()
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel_s)
    except SyntaxError as exc:
        return [Violation(rel_s, exc.lineno or 0, "does not parse", str(exc.msg))]
    source = rel.parts[0].removesuffix(".py")
    layer = LAYERS[source]
    found: list[Violation] = []
    for ref in imports_of(tree, rel):
        rules: list[str] = []
        top = ref.module.split(".")[0] if ref.module else None
        if top is None:
            rules.append("relative import above the top level")
        elif top in PROJECT and top != source and top not in layer.may_import:
            rules.append(f"layer rule: {source} {layer.rule}")
        rules.extend(why for libs, places, why in LIBRARY_RULES if top in libs and not _under(rel_s, places))
        found.extend(Violation(rel_s, ref.line, f"imports {ref.written}", rule) for rule in rules)
    if not _under(rel_s, ENV_ALLOWED):
        found.extend(Violation(rel_s, line, f"uses {what}", ENV_RULE) for line, what in env_reads_of(tree))
    return found


def check_tree(root: Path) -> list[Violation]:
    files, found = project_files(root)
    for path in files:
        found.extend(check_file(path, root))
    return sorted(set(found))


def long_files(root: Path, allow: dict[str, str]) -> list[str]:
    """Problems with file length: files over MAX_LINES not allow-listed, and stale allow-list entries."""
    problems: list[str] = []
    seen: set[str] = set()
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if any(map(_excluded, rel.parts[:-1])):
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            seen.add(rel.as_posix())
            if rel.as_posix() not in allow:
                problems.append(f"{rel.as_posix()} has {lines} lines (> {MAX_LINES}): split it by responsibility")
    problems.extend(
        f"{stale} is in LONG_FILE_ALLOWLIST but is not over {MAX_LINES} lines (or is gone): remove the entry"
        for stale in sorted(set(allow) - seen)
    )
    return problems


def _report(title: str, items: list[str] | list[Violation]) -> str:
    return f"{title}:\n" + "\n".join(f"  {item}" for item in items)


# --- The project itself ----------------------------------------------------------------------------------------------


def test_project_respects_layers_and_library_ownership() -> None:
    violations = check_tree(ROOT)
    if violations:
        pytest.fail(_report(f"{len(violations)} architecture violation(s)", violations), pytrace=False)


def test_the_check_sees_the_project() -> None:
    files, _ = project_files(ROOT)
    names = {p.relative_to(ROOT).as_posix() for p in files}
    assert {"core/models.py", "settings.py"} <= names
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
    "core/__init__.py": "",
    "core/models.py": "from __future__ import annotations\nimport json\n",
    "storage/__init__.py": "from storage.db import engine\n",
    "storage/db.py": "import sqlalchemy\nfrom core.models import X\nfrom . import vectors\n",
    "storage/vectors.py": "import chromadb\n",
    "storage/cache.py": "from redis import Redis\n",
    "core/privacy/__init__.py": "from presidio_analyzer import AnalyzerEngine\n",
    "connectors/__init__.py": "",
    "connectors/sub/__init__.py": "",
    "connectors/sub/zen.py": "from core import models\nfrom ..sub import x\nfrom . import y\nimport slack_sdk\n",
    "graph/graph.py": "from storage import db\nfrom messaging import blocks\nfrom embeddings import local\n",
    "runtime.py": "import settings\nimport graph\nimport storage\n",
    "jobs/__init__.py": "import runtime\nimport bot\n",
    "cli/main.py": "import os\nimport api\nimport jobs\nX = os.environ.get('A')\n",
    "settings.py": "import os\nfrom core import errors\nY = os.getenv('B')\n",
    "tests/test_x.py": "import os, redis, chromadb, api\nos.environ['A'] = '1'\n",
    "docs/conf.py": "import storage\n",
}


def test_checker_passes_a_clean_tree(tmp_path: Path) -> None:
    assert check_tree(_tree(tmp_path, CLEAN)) == []


def test_checker_reports_every_kind_of_violation(tmp_path: Path) -> None:
    bad = {
        "core/bad.py": "import storage\n",
        "connectors/sub/rel.py": "def f():\n    from ...storage import db\n    return db\n",
        "connectors/cfg.py": "from settings import Settings\n",
        "demo/gen.py": "from runtime import build\n",
        "messaging/blocks.py": "from slack_sdk.models import blocks\n",
        "graph/bad.py": "import settings\nimport importlib\nm = importlib.import_module('runtime')\n",
        "runtime.py": "from bot import create_app\nfrom sqlalchemy import select\n",
        "jobs/sync.py": "from cli import main\nimport sqlmodel\nimport chromadb.config\n",
        "bot/app.py": "from api.main import app\n",
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
        ("core/bad.py", 1, "imports storage", "layer rule"),
        ("connectors/sub/rel.py", 2, "imports ...storage", "relative import above the top level"),
        ("connectors/cfg.py", 1, "imports settings", "layer rule"),
        ("demo/gen.py", 1, "imports runtime", "layer rule"),
        ("messaging/blocks.py", 1, "imports slack_sdk.models", "slack_bolt/slack_sdk only in bot/ and connectors/"),
        ("graph/bad.py", 1, "imports settings", "layer rule"),
        ("graph/bad.py", 3, "imports runtime", "layer rule"),
        ("runtime.py", 1, "imports bot", "layer rule"),
        ("runtime.py", 2, "imports sqlalchemy", "sqlmodel/sqlalchemy only in storage/"),
        ("jobs/sync.py", 1, "imports cli", "layer rule"),
        ("jobs/sync.py", 2, "imports sqlmodel", "sqlmodel/sqlalchemy only in storage/"),
        ("jobs/sync.py", 3, "imports chromadb.config", "only storage/vectors.py imports chromadb"),
        ("bot/app.py", 1, "imports api.main", "layer rule"),
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

    assert targets("from . import a, b", "storage/__init__.py") == ["storage.a", "storage.b"]
    assert targets("from .models import X", "storage/db.py") == ["storage.models"]
    assert targets("from ..core import m", "connectors/zendesk/client.py") == ["connectors.core"]
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
