"""Same seed + same end -> byte-identical files; another seed -> another corpus."""

from __future__ import annotations

from pathlib import Path

from groundswell.demo.generate import generate_demo

from tests.demo.conftest import END


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_and_other_seed_differs(tmp_path: Path) -> None:
    a = _snapshot(generate_demo(tmp_path / "a", seed=3, records=300, end=END).out_dir)
    b = _snapshot(generate_demo(tmp_path / "b", seed=3, records=300, end=END).out_dir)
    c = _snapshot(generate_demo(tmp_path / "c", seed=4, records=300, end=END).out_dir)
    assert a == b
    assert len(a) >= 15
    assert a.keys() & c.keys()
    assert a["zendesk/tickets.jsonl"] != c["zendesk/tickets.jsonl"]
    assert a["_truth/units.jsonl"] != c["_truth/units.jsonl"]


def test_regenerating_into_the_same_directory_leaves_no_stale_month_files(tmp_path: Path) -> None:
    generate_demo(tmp_path, seed=3, records=300, end=END)
    summary = generate_demo(tmp_path, seed=3, records=300, days=30, end=END)
    written = sorted(p.name for p in (tmp_path / "googleplay").iterdir())
    assert written == sorted(p.name for p in summary.files["googleplay"])
    assert len(written) <= 2
