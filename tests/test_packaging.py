"""One import name: the installed distribution claims only ``groundswell``; the layer folders install inside it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import groundswell.core

import groundswell
import groundswell.settings

ROOT = Path(__file__).resolve().parents[1]


def _egg_info(tmp_path: Path) -> Path:
    subprocess.run(
        [sys.executable, "setup.py", "-q", "egg_info", "--egg-base", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (info,) = tmp_path.glob("*.egg-info")
    return info


def test_the_distribution_claims_one_top_level_name_and_carries_its_data(tmp_path: Path) -> None:
    info = _egg_info(tmp_path)
    assert (info / "top_level.txt").read_text().split() == ["groundswell"]
    sources = set((info / "SOURCES.txt").read_text().split())
    assert {"groundswell/__init__.py", "groundswell/settings.py", "groundswell/runtime.py"} <= sources
    assert "core/classify/seed/praise.txt" in sources  # package data travels with its layer
    assert "embeddings/assets/tokenizer.json" in sources
    assert "storage/migrations/versions/0001_initial_schema.py" in sources
    assert "tests/conftest.py" not in sources


def test_the_console_script_names_the_namespaced_entry_point(tmp_path: Path) -> None:
    scripts = (_egg_info(tmp_path) / "entry_points.txt").read_text()
    assert "groundswell = groundswell.cli.main:main" in scripts


def test_layers_resolve_to_this_checkout() -> None:
    assert Path(groundswell.core.__file__).resolve() == ROOT / "core" / "__init__.py"
    assert Path(groundswell.settings.__file__).resolve() == ROOT / "groundswell" / "settings.py"
    assert str(ROOT) in groundswell.__path__
