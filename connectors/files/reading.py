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
        # A few stray bytes in otherwise valid UTF-8 (more well-formed multi-byte characters than errors) stay
        # UTF-8, so one bad byte does not turn every accented character of the file into mojibake.
        text = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(sample, final=False)
        errors = text.count("\ufffd")
        wide = sum(1 for c in text if ord(c) > 127 and c != "\ufffd")
        return "utf-8" if wide > errors else "cp1252"
    return "utf-8"


_NEWLINES = {"utf-16-le": b"\n\x00", "utf-16-be": b"\x00\n"}


def _utf16_order(path: Path, encoding: str) -> tuple[str, int]:
    """A UTF-16 file's byte order and BOM length (``utf-16`` means: read the BOM)."""
    if encoding != "utf-16":
        return encoding, 0
    with path.open("rb") as handle:
        bom = handle.read(2)
    return ("utf-16-be" if bom == codecs.BOM_UTF16_BE else "utf-16-le"), 2


def _byte_lines(path: Path, newline: bytes, skip: int) -> Iterator[bytes]:
    """The file's lines as bytes, each ending with ``newline`` (the last one perhaps not)."""
    with path.open("rb") as handle:
        handle.read(skip)
        buffer = b""
        while chunk := handle.read(1 << 16):
            buffer += chunk
            start = 0
            while (index := buffer.find(newline, start)) >= 0:
                yield buffer[start : index + len(newline)]
                start = index + len(newline)
            buffer = buffer[start:]
        if buffer:
            yield buffer


def open_text(path: Path) -> Iterator[str]:
    """The file's lines as text in its detected encoding, each decoded on its own.

    Undecodable bytes become U+FFFD on the line they are on: a stray byte never shifts the rest of a UTF-16
    file out of alignment, and never makes a whole UTF-8 file read as Windows-1252.
    """
    encoding = detect_encoding(path)
    if encoding.startswith("utf-16"):
        encoding, skip = _utf16_order(path, encoding)
        newline = _NEWLINES[encoding]
    else:
        skip = 3 if encoding == "utf-8-sig" else 0
        encoding = "utf-8" if encoding == "utf-8-sig" else encoding
        newline = b"\n"
    for raw in _byte_lines(path, newline, skip):
        yield raw.decode(encoding, errors="replace")


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def iter_jsonl(path: Path) -> Iterator[Row | LineError]:
    """Yield each non-blank line of a JSON Lines file as a Row, or a LineError when it is not a JSON object."""
    for number, line in enumerate(open_text(path), start=1):
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
    reader = csv.reader(open_text(path))
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
