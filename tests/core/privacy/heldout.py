"""The hand-written held-out PERSON set (fixtures/person_heldout.txt): names marked [[like this]]."""

from __future__ import annotations

import re
from pathlib import Path

from groundswell.core.privacy.evaluate import GoldSpan, PiiExample

HELDOUT = Path(__file__).parent / "fixtures" / "person_heldout.txt"
BLIND = Path(__file__).parent / "fixtures" / "person_heldout_blind.txt"  # written after the rules, scored once
_MARK = re.compile(r"\[\[(.+?)\]\]")


def parse_marked(line: str) -> PiiExample:
    """``"Ask [[Ana Ruiz]] now"`` -> text without markers and a PERSON gold span over "Ana Ruiz"."""
    text, spans, cursor = [], [], 0
    length = 0
    for match in _MARK.finditer(line):
        before = line[cursor : match.start()]
        text.append(before)
        length += len(before)
        spans.append(GoldSpan(length, length + len(match.group(1)), "PERSON"))
        text.append(match.group(1))
        length += len(match.group(1))
        cursor = match.end()
    text.append(line[cursor:])
    return PiiExample("".join(text), tuple(spans))


def load_heldout(path: Path = HELDOUT) -> list[PiiExample]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [parse_marked(line) for line in lines if line.strip() and not line.startswith("#")]
