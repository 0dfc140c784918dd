"""Export a demo's planted units with their truth labels as a CSV that `groundswell eval signals` reads.

    PYTHONPATH=. python scripts/export_demo_truth.py <data dir>/exports/_truth units.csv

Columns ``text,sentiment,intent,severity``; duplicates and empty texts are left out (as `eval learning-curve`).
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path


def export_truth(truth_dir: Path, out: Path) -> int:
    """Write ``out`` from ``truth_dir/units.jsonl``; returns the number of rows written."""
    rows = 0
    source_path = truth_dir / "units.jsonl"
    with source_path.open(encoding="utf-8") as source, out.open("w", newline="", encoding="utf-8") as sink:
        writer = csv.writer(sink)
        writer.writerow(["text", "sentiment", "intent", "severity"])
        for line in source:
            unit = json.loads(line)
            text = str(unit.get("text") or "").strip()
            if unit.get("duplicate_of") or not text:
                continue
            writer.writerow([text, unit["sentiment"], unit["intent"], unit["severity"]])
            rows += 1
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("truth_dir", type=Path, help="a demo's exports/_truth folder")
    parser.add_argument("out", type=Path, help="CSV to write")
    args = parser.parse_args()
    print(f"{export_truth(args.truth_dir, args.out)} rows -> {args.out}")


if __name__ == "__main__":
    main()
