"""Streaming readers for JSONL and CSV exports, with encoding detection and per-line failures."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["LineError", "Row", "detect_encoding", "file_sha256", "iter_csv", "iter_jsonl", "open_text"]

_SAMPLE_BYTES = 64 * 1024
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # long review texts and ticket bodies are legitimate


@dataclass(frozen=True)
class Row:
    """One parsed record of a file: its 1-based line number, the parsed object and the text it came from."""

    line: int
    data: dict[str, Any]
    raw: str


@dataclass(frozen=True)
class LineError:
    """A line that could not be parsed at all."""

    line: int
    message: str
    raw: str


def detect_encoding(path: Path) -> str:
    """Guess a text file's encoding: BOMs first, then UTF-16 without BOM, UTF-8, else Windows-1252."""
    with path.open("rb") as handle:
        sample = handle.read(_SAMPLE_BYTES)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # the codec reads the BOM and picks the byte order
    if sample and sample.count(b"\x00") * 4 >= len(sample):  # mostly-ASCII text stored as two-byte units
        odd_nulls = sample[1::2].count(b"\x00")
        even_nulls = sample[0::2].count(b"\x00")
        return "utf-16-le" if odd_nulls >= even_nulls else "utf-16-be"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def open_text(path: Path) -> io.TextIOWrapper:
    """Open a file as text in its detected encoding; undecodable bytes become U+FFFD instead of aborting."""
    return open(path, encoding=detect_encoding(path), errors="replace", newline="")


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def iter_jsonl(path: Path) -> Iterator[Row | LineError]:
    """Yield each non-blank line of a JSON Lines file as a Row, or a LineError when it is not a JSON object."""
    with open_text(path) as handle:
        for number, line in enumerate(handle, start=1):
            text = line.strip().lstrip("\ufeff")
            if not text:
                continue
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                yield LineError(number, f"malformed JSON: {exc.msg} (column {exc.colno})", text)
                continue
            if not isinstance(data, dict):
                yield LineError(number, f"expected a JSON object, got {type(data).__name__}", text)
                continue
            yield Row(number, data, text)


def iter_csv(path: Path) -> Iterator[Row | LineError]:
    """Yield each data row of a CSV file as a Row keyed by header, or a LineError when its shape is wrong.

    Header names are stripped of whitespace and stray BOMs. Blank rows are skipped. ``line`` is the
    line on which the row starts, so a quoted multi-line field still points at its first line.
    """
    with open_text(path) as handle:
        reader = csv.reader(handle)
        header: list[str] | None = None
        start = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield LineError(start, f"unreadable CSV row ({exc})", "")
                start = reader.line_num + 1
                continue
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [cell.strip().lstrip("\ufeff").strip() for cell in cells]
                continue
            raw = _csv_line(cells)
            if len(cells) != len(header):
                yield LineError(line, f"row has {len(cells)} fields, header has {len(header)}", raw)
                continue
            yield Row(line, dict(zip(header, cells, strict=True)), raw)


def _csv_line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)  # quotes fields holding line breaks
    return buffer.getvalue()[:-2]
