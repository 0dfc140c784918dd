"""Shared machinery of the file-export connectors.

A connector reads one folder of vendor export files. ``poll`` walks the folder's record files,
yields a :class:`RawRecord` per vendor record and a :class:`RecordFailure` per line it cannot use,
and returns a :class:`Checkpoint` whose ``done_ids`` are ``"<relative file>:<sha256>"`` of every
file fully read. An unchanged file is skipped on the next poll; a changed one is re-read in full
(storage dedupes unchanged records by content hash). ``progress`` holds the same checkpoint as it
grows, file by file, so a job that dies mid-poll can resume without re-reading finished files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from groundswell.connectors.fields import walk
from groundswell.connectors.files.reading import LineError, Row, file_sha256, iter_csv, iter_jsonl
from groundswell.connectors.files.text import html_to_text, parse_date, parse_timestamp
from groundswell.core.errors import MalformedRecord, SourceError
from groundswell.core.models import Author, NormalizedDoc, RawRecord, RecordFailure, SpeakerRole
from groundswell.core.protocols import Checkpoint, PollResult

__all__ = [
    "FileExportSource",
    "FileTask",
    "Yielded",
    "html_to_text",
    "is_company_email",
    "iter_csv",
    "iter_jsonl",
    "parse_date",
    "parse_timestamp",
    "staff_guard",
]

Yielded = RawRecord | RecordFailure


@dataclass(frozen=True)
class FileTask:
    """One record file to read, the side files its records are joined with, and how to read it."""

    path: Path
    read: Callable[[Path], Iterator[Yielded]]
    depends_on: tuple[Path, ...] = ()


def is_company_email(email: str | None, company_domains: Sequence[str]) -> bool:
    """True when the address is on one of the company's domains (or a sub-domain of one)."""
    if not email or "@" not in email:
        return False
    domain = email.rsplit("@", 1)[1].strip().lower().rstrip(".")
    return any(domain == d or domain.endswith("." + d) for d in (d.lower().lstrip("@") for d in company_domains))


def staff_guard(
    role: SpeakerRole, email: str | None, company_domains: Sequence[str], staff_role: SpeakerRole = SpeakerRole.AGENT
) -> SpeakerRole:
    """An author on a company email domain is never a customer (nor unknown): they are staff."""
    if role in (SpeakerRole.CUSTOMER, SpeakerRole.UNKNOWN) and is_company_email(email, company_domains):
        return staff_role
    return role


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class FileExportSource:
    """Base of the file-export connectors; subclasses declare files, fields and the record mapping."""

    name: str
    kind: ClassVar[str]
    RECORD_FILES: ClassVar[tuple[str, ...]] = ()  # glob patterns of the files holding records, for messages
    # Fields are dotted paths; ``name[]`` means "in every element of the list ``name``".
    REQUIRED_FIELDS: ClassVar[tuple[str, ...]] = ()  # relied on: absent means schema drift
    NON_EMPTY_FIELDS: ClassVar[tuple[str, ...]] = ()  # relied on and must hold a value (ids, dates)
    TIMESTAMP_FIELDS: ClassVar[tuple[str, ...]] = ()  # must parse when they hold a value

    def __init__(
        self, path: Path, *, company_domains: Sequence[str] = (), name: str, link_base: str | None = None
    ) -> None:
        self.path = Path(path)
        self.company_domains = tuple(d.lower() for d in company_domains)
        self.name = name
        self.link_base = (link_base or "").rstrip("/") or None  # the tenant's own URL (settings), for citations
        self.progress = Checkpoint()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(path={str(self.path)!r}, name={self.name!r})"

    def link(self, path: str, **fields: Any) -> str | None:
        """A citation link: ``path`` (formatted with ``fields``) under the configured ``link_base``; no base, no
        link (a tenant's URL is never guessed)."""
        return f"{self.link_base}{path.format(**fields)}" if self.link_base else None

    # -- to implement --------------------------------------------------------------------------

    def tasks(self) -> list[FileTask]:
        """The record files to read, in order: by default each file of ``RECORD_FILES[0]`` through ``_read``."""
        return [FileTask(path, self._read) for path in self.files(self.RECORD_FILES[0])]

    def _read(self, path: Path) -> Iterator[Yielded]:
        """The records (and failures) of one file; sources with one kind of record file implement this."""
        raise NotImplementedError

    def normalize(self, record: RawRecord) -> NormalizedDoc:
        raise NotImplementedError

    # -- polling -------------------------------------------------------------------------------

    def poll(self, checkpoint: Checkpoint | None) -> PollResult:
        """Yield records of every new or changed file; return the checkpoint of fully-read files."""
        if not self.path.is_dir():
            raise SourceError(self.name, f"export folder not found: {self.path}")
        tasks = self.tasks()
        if not tasks:
            expected = ", ".join(self.RECORD_FILES) or "record files"
            raise SourceError(self.name, f"no export files in {self.path} (expected {expected})")
        done = set(checkpoint.done_ids) if checkpoint else set()
        hashes: dict[Path, str] = {}
        finished: list[str] = []
        pending: list[tuple[FileTask, list[str]]] = []
        for task in tasks:
            with self._reading(task.path):
                keys = [self._file_key(p, hashes) for p in (task.path, *task.depends_on) if p.is_file()]
            if all(key in done for key in keys):
                finished.extend(k for k in keys if k not in finished)
            else:
                pending.append((task, keys))
        self.progress = Checkpoint(done_ids=list(finished))
        for task, keys in pending:
            with self._reading(task.path):  # unreadable or vanished mid-poll: finished files stay in ``progress``
                yield from task.read(task.path)
            finished.extend(k for k in keys if k not in finished)
            self.progress = Checkpoint(done_ids=list(finished))
        return self.progress

    @contextmanager
    def _reading(self, path: Path) -> Iterator[None]:
        try:
            yield
        except OSError as exc:
            raise SourceError(self.name, f"cannot read {self.relative(path)}: {exc}") from exc

    def _file_key(self, path: Path, cache: dict[Path, str]) -> str:
        if path not in cache:
            cache[path] = file_sha256(path)
        return f"{self.relative(path)}:{cache[path]}"

    def relative(self, path: Path) -> str:
        """A file's name relative to the export folder, as it appears in checkpoints and failure reasons."""
        try:
            return path.relative_to(self.path).as_posix()
        except ValueError:
            return path.name

    def files(self, pattern: str) -> list[Path]:
        """Files of the export folder matching a glob pattern, sorted by name."""
        return sorted(p for p in self.path.glob(pattern) if p.is_file())

    # -- reading and validating ----------------------------------------------------------------

    def record_rows(self, path: Path, id_field: str | None = None) -> Iterator[Row | RecordFailure]:
        """``rows`` checked against the class's REQUIRED_FIELDS, NON_EMPTY_FIELDS and TIMESTAMP_FIELDS."""
        return self.rows(path, self.REQUIRED_FIELDS, self.NON_EMPTY_FIELDS, self.TIMESTAMP_FIELDS, id_field)

    def rows(
        self,
        path: Path,
        required: Sequence[str] = (),
        non_empty: Sequence[str] = (),
        timestamps: Sequence[str] = (),
        id_field: str | None = None,
        extra_check: Callable[[dict[str, Any]], str | None] | None = None,
    ) -> Iterator[Row | RecordFailure]:
        """Parse a JSONL or CSV file and check each record; yield valid Rows and a failure for the rest.

        ``extra_check`` (default: ``check_row``) runs on records whose declared fields are fine.
        """
        reader = iter_csv if path.suffix.lower() == ".csv" else iter_jsonl
        extra_check = extra_check or self.check_row
        for item in reader(path):
            if isinstance(item, LineError):
                yield self.failure(f"{self.relative(path)} line {item.line}: {item.message}", item.raw)
                continue
            problem = self.check(item.data, required, non_empty, timestamps) or extra_check(item.data)
            if problem:
                external_id = item.data.get(id_field) if id_field else None
                prefix = "schema drift: " if problem.startswith("field ") else ""  # a field gone or retyped
                reason = f"{prefix}{self.relative(path)} line {item.line}: {problem}"
                yield self.failure(reason, item.raw, None if _empty(external_id) else str(external_id))
                continue
            yield item

    @staticmethod
    def check(
        data: dict[str, Any], required: Sequence[str], non_empty: Sequence[str], timestamps: Sequence[str]
    ) -> str | None:
        """Say what is wrong with a record's declared fields, or None.

        Drift problems (a field absent or of the wrong shape) start with ``field``.
        """
        for path in (*required, *non_empty):
            for problem, _ in walk(data, path.split(".")):
                if problem:
                    return f"field '{path}' {problem}"
        for path in non_empty:
            for _, value in walk(data, path.split(".")):
                if _empty(value):
                    return f"required field '{path}' is empty"
        for path in timestamps:
            for problem, value in walk(data, path.split(".")):
                if problem or _empty(value):
                    continue  # absence is the business of REQUIRED_FIELDS
                try:
                    parse_timestamp(value)
                except (ValueError, OverflowError, OSError):
                    return f"bad timestamp in field '{path}': {value!r}"
        return None

    def check_row(self, data: dict[str, Any]) -> str | None:
        """Source-specific checks beyond presence and timestamps (numbers, ids); None when fine."""
        return None

    def failure(self, reason: str, raw: str, external_id: str | None = None) -> RecordFailure:
        return RecordFailure(source=self.name, external_id=external_id, reason=reason, raw=raw)

    def record(
        self,
        external_id: Any,
        payload: dict[str, Any],
        *,
        url: str | None,
        created_at: Any = None,
        updated_at: Any = None,
        deleted: bool = False,
        kind: str | None = None,
    ) -> RawRecord:
        """Build a RawRecord of this source; timestamps are parsed (they were validated by ``rows``)."""
        created = parse_timestamp(created_at) if not _empty(created_at) else None
        updated = parse_timestamp(updated_at) if not _empty(updated_at) else created
        return RawRecord(
            source=self.name,
            external_id=str(external_id),
            kind=kind or self.kind,
            payload=payload,
            url=url,
            created_at=created,
            updated_at=updated,
            deleted=deleted,
        )

    # -- helpers for normalize -----------------------------------------------------------------

    def need(self, data: Any, *keys: str | int) -> Any:
        """``data[k1][k2]...``, or MalformedRecord naming the missing field."""
        value = data
        for index, key in enumerate(keys):
            try:
                value = value[key]
            except (KeyError, IndexError, TypeError):
                value = None
            if value is None:
                path = ".".join(str(k) for k in keys[: index + 1])
                raise MalformedRecord(self.name, f"record is missing field '{path}'")
        return value

    def need_time(self, value: Any, field: str) -> datetime:
        """Parse a timestamp for normalize, or MalformedRecord naming the field."""
        try:
            return parse_timestamp(value)
        except (ValueError, OverflowError, OSError) as exc:
            raise MalformedRecord(self.name, f"bad timestamp in field '{field}': {value!r}") from exc

    def author(self, role: SpeakerRole, staff_role: SpeakerRole = SpeakerRole.AGENT, **fields: Any) -> Author:
        """An Author with empty fields dropped and the company-domain rule applied to its role."""
        clean = {
            k: (str(v).strip() if not isinstance(v, str) else v.strip()) for k, v in fields.items() if not _empty(v)
        }
        return Author(role=staff_guard(role, clean.get("email"), self.company_domains, staff_role), **clean)
