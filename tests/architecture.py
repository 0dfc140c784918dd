"""The architecture check behind tests/test_architecture.py: a small AST walk (no extra dependency).

Every ``.py`` file of the project's packages is parsed; every import (absolute, relative, ``from x import y``,
inside functions, ``importlib.import_module("...")``) is checked against the layer rules and the
"only this module may talk to that library" rules below. Layers are imported under the one package name,
``groundswell.<layer>``: the layer folders sit at the repository's top level, ``settings.py`` and ``runtime.py``
in ``groundswell/``, and a bare ``import core`` is a violation. Reading the environment is reserved for
``groundswell/settings.py`` and the entry points. A second check keeps files under 400 lines unless allowed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# --- Rules -----------------------------------------------------------------------------------------------------------

PROJECT = frozenset(
    {"core", "settings", "storage", "connectors", "embeddings", "llm", "demo", "messaging", "graph"}
    | {"runtime", "jobs", "bot", "surfaces", "api", "cli"}
)
PACKAGE = "groundswell"  # the one import name; its own __init__ imports no layer
MODULES_IN_PACKAGE = frozenset({"settings", "runtime"})  # layers that are modules of groundswell/, not folders


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
    PACKAGE: _only(),
}
assert set(LAYERS) == PROJECT | {PACKAGE}
BARE_RULE = "bare layer import: import it as groundswell.<layer>"


_LIBRARY_OWNERS = (  # (top-level import names, the only places importing them: "dir/" or exact file, rule)
    ("chromadb", "storage/vectors.py storage/vectors/", "only storage/vectors.py imports chromadb"),
    ("redis", "storage/cache.py storage/cache/", "only storage/cache.py imports redis"),
    ("presidio_analyzer presidio_anonymizer", "core/privacy.py core/privacy/", "only core/privacy imports presidio"),
    ("slack_bolt slack_sdk", "bot/ connectors/", "slack_bolt/slack_sdk only in bot/ and connectors/"),
    ("sqlmodel sqlalchemy", "storage/", "sqlmodel/sqlalchemy only in storage/: other layers call storage functions"),
)
LIBRARY_RULES = tuple((frozenset(libs.split()), tuple(at.split()), why) for libs, at, why in _LIBRARY_OWNERS)

ENV_ALLOWED = ("groundswell/settings.py", "cli/", "tests/", "scripts/")
ENV_NAMES = frozenset({"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"})
ENV_RULE = "reads the environment: only settings.py, cli/, tests/ and scripts/ may; pass Settings down instead"

# Directories never walked (besides hidden ones); NOT_PACKAGES are walked only by the file-length check.
EXCLUDED_DIRS = frozenset({"build", "dist", "node_modules", "__pycache__"})
NOT_PACKAGES = EXCLUDED_DIRS | {"tests", "scripts", "docs", "setup.py"}

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
    module: str | None  # absolute dotted name; None when a relative import climbs above the layer's package
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
            if entry.name == PACKAGE:
                files.extend(sorted(entry.glob("*.py")))
            elif entry.name in PROJECT:
                files.extend(
                    p for p in sorted(entry.rglob("*.py")) if not any(map(_skipped, p.relative_to(root).parts))
                )
            elif (entry / "__init__.py").exists():
                unknown.append(
                    Violation(entry.name + "/", 0, "is a package", "unknown top-level package: add to LAYERS")
                )
        elif entry.suffix == ".py":
            unknown.append(Violation(entry.name, 0, "is a module", "unknown top-level module: add to LAYERS"))
    return files, unknown


def _package_parts(rel: Path) -> tuple[str, ...]:
    """The package a module's relative imports start from (``a/b.py`` and ``a/__init__.py`` are both in ``a``)."""
    return rel.with_suffix("").parts[:-1]


def _resolve_from(node: ast.ImportFrom, rel: Path) -> list[tuple[str | None, str]]:
    """Absolute targets of a ``from ... import ...`` statement, with how each was written."""
    dots = "." * node.level
    written = f"{dots}{node.module or ''}"
    if node.level == 0 and node.module == PACKAGE:  # from groundswell import core, settings
        return [(f"{PACKAGE}.{alias.name}", f"{PACKAGE}.{alias.name}") for alias in node.names]
    if node.level == 0:
        return [(node.module, written)]
    package = _package_parts(rel)
    climb = node.level - 1
    if climb >= len(package):
        return [(None, written)]
    base = ".".join(package[: len(package) - climb])
    base = base if base.split(".")[0] == PACKAGE else f"{PACKAGE}.{base}"
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


def layer_of(module: str) -> str:
    """The layer a dotted name belongs to: ``groundswell.core.x`` is core, ``groundswell`` itself is the package."""
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return parts[0]
    return parts[1] if len(parts) > 1 and parts[1] in PROJECT else PACKAGE


def _source_layer(rel: Path) -> str:
    if rel.parts[0] == PACKAGE:
        return rel.stem if rel.stem in MODULES_IN_PACKAGE else PACKAGE
    return rel.parts[0]


def _under(rel: str, places: tuple[str, ...]) -> bool:
    return any(rel.startswith(p) if p.endswith("/") else rel == p for p in places)


def check_file(path: Path, root: Path) -> list[Violation]:
    rel = path.relative_to(root)
    rel_s = rel.as_posix()
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel_s)
    except SyntaxError as exc:
        return [Violation(rel_s, exc.lineno or 0, "does not parse", str(exc.msg))]
    source = _source_layer(rel)
    layer = LAYERS[source]
    found: list[Violation] = []
    for ref in imports_of(tree, rel):
        rules: list[str] = []
        top = layer_of(ref.module) if ref.module else None
        if top is None:
            rules.append("relative import above the top level")
        elif top in PROJECT and not ref.module.startswith(PACKAGE):
            rules.append(BARE_RULE)
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
