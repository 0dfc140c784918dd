"""A stray byte in a UTF-16 or UTF-8 CSV export is contained to the line it is on."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from groundswell.connectors.files.reading import LineError, Row, detect_encoding, iter_csv

HEADER = "id,text\r\n"
ROWS = [f"{i},Stürzt ständig ab – Zeile {i}\r\n" for i in range(1, 6)]


def _rows(path: Path) -> list[Row]:
    return [r for r in iter_csv(path) if isinstance(r, Row)]


@pytest.mark.parametrize("codec, bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_a_stray_byte_in_utf16_spoils_only_its_line(tmp_path: Path, codec: str, bom: bytes) -> None:
    lines = [(HEADER + "").encode(codec)] + [row.encode(codec) for row in ROWS]
    lines[3] = lines[3][:6] + b"\xff" + lines[3][6:]  # one stray byte: odd length, would misalign the rest
    path = tmp_path / "export.csv"
    path.write_bytes(bom + b"".join(lines))
    rows = _rows(path)
    good = {r.data["id"]: r.data["text"] for r in rows}
    for i in (1, 2, 4, 5):
        assert good[str(i)] == f"Stürzt ständig ab – Zeile {i}"
    assert len([r for r in iter_csv(path) if isinstance(r, LineError)]) <= 1


def test_a_stray_byte_in_utf8_keeps_the_file_utf8(tmp_path: Path) -> None:
    data = (HEADER + "".join(ROWS)).encode("utf-8")
    cut = data.index(b"Zeile 3")
    path = tmp_path / "export.csv"
    path.write_bytes(data[:cut] + b"\xff" + data[cut:])
    assert detect_encoding(path) == "utf-8"
    rows = {r.data["id"]: r.data["text"] for r in _rows(path)}
    assert rows["1"] == "Stürzt ständig ab – Zeile 1" and rows["5"] == "Stürzt ständig ab – Zeile 5"
    assert rows["3"] == "Stürzt ständig ab – \ufffdZeile 3"


def test_windows_1252_files_are_still_detected(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes((HEADER + "1,Stürzt ständig ab\r\n").encode("cp1252"))
    assert detect_encoding(path) == "cp1252"
    assert _rows(path)[0].data["text"] == "Stürzt ständig ab"
