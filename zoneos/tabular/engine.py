"""The import engine: dry run, then an all-or-nothing commit, for any table a module describes.

A module describes its table with an `ImportSpec` (columns with Chinese and English headers, how a
chunk of rows is checked against the database, how a checked chunk is written) and registers it under
its kind. The engine streams the file in chunks, so a million rows never sit in memory; it reports
every bad row with its row number, column and message; and the commit re-checks everything inside
one transaction, writing nothing if any row is bad.

A run that crashes leaves its job `failed` with the error (the traceback goes to the log); a run whose
process dies leaves a lease that expires (`lease`), and the job reads as interrupted. Either may be run
again. The commit stays one transaction, and the job's `committed` is written inside it, fenced by the
run's attempt: the records and the job's outcome are written together or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zoneos.core.text import ControlCharacter
from zoneos.core.text import clean as clean_text

from . import lease, registry
from .models import ImportJob, ImportPhase, ImportStatus
from .readers import FileError, Table, normal, open_table, split_header
from .sandbox import Overlong

CHUNK = 2000
KEEP_ERRORS = 1000  # the report lists the first errors; the count covers all of them
logger = logging.getLogger(__name__)


@dataclass
class Column:
    name: str
    label_zh: str
    label_en: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    money: bool = False
    help_en: str = ""
    period: str = ""  # "year" or "month": taken from the sheet's title when the sheet has no such column

    def headers(self) -> set[str]:
        return {normal(h) for h in (self.name, self.label_zh, self.label_en, *self.aliases)}


@dataclass
class Row:
    number: int
    values: dict[str, Any]  # column name -> raw cell (money already scaled to yuan when possible)
    clean: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column name, message)

    def error(self, column: str, message) -> None:
        self.errors.append((column, str(message)))


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class ImportSpec:
    """What a module provides for one kind of table."""

    kind: str
    model: type  # the records the table writes (who may import it: who may write them)
    match_note: str  # how rows find the records they update, for the template's notes
    columns: list[Column]

    def start(self, by, *, commit: bool) -> Any:
        """Per-run state (lookups, seen keys)."""
        return {}

    def check_chunk(self, rows: list[Row], state, by) -> None:
        """Fill `row.clean` or `row.errors` for each row (batch lookups here)."""
        raise NotImplementedError

    def count_chunk(self, rows: list[Row], state, outcome: Outcome) -> None:
        """Dry run: count what the commit would create, update or leave unchanged (`check_chunk` puts
        the record a row would update in `row.clean["_existing"]`)."""
        for row in rows:
            current = row.clean["_existing"]
            if current is None:
                outcome.created += 1
            elif self.changes(current, row.clean):
                outcome.updated += 1
            else:
                outcome.unchanged += 1

    def changes(self, current, clean: dict) -> dict:
        """What a checked row would change on the record it updates (empty: nothing)."""
        raise NotImplementedError

    def write_chunk(self, rows: list[Row], state, by, outcome: Outcome) -> None:
        raise NotImplementedError

    def finish(self, state, by) -> None:
        """After the last chunk is written, in the same transaction."""


# What the apps' `imports.py` call: `register(Spec(), label=..., file_names=(zh, en))`.
register = registry.register


def spec_for(kind: str) -> ImportSpec:
    return registry.get(kind).spec


# Progress lives in the cache so that a page can follow a worker's transaction from outside it.
def progress_key(job_id: int) -> str:
    return f"zoneos:import:{job_id}:progress"


def progress(job: ImportJob) -> int:
    return cache.get(progress_key(job.pk), job.processed_rows)


class _Abort(Exception):
    pass


class Superseded(Exception):
    """A newer attempt owns the job (it was run again while this run looked dead): write nothing."""


class RowError(Exception):
    """Raised by a spec's `write_chunk` when a row turns out bad only as it is written (a service's
    check that needs the rows written before it); the engine reports it and writes nothing."""

    def __init__(self, row_number: int, column: str, message: str):
        super().__init__(message)
        self.row_number, self.column, self.message = row_number, column, message


def _map_headers(table: Table, spec: ImportSpec) -> tuple[dict[int, Column], list[tuple[str, str]]]:
    """Which file column feeds which field; the problems returned make the file unusable."""
    known = {}
    for column in spec.columns:
        for header in column.headers():
            known[header] = column
    mapping: dict[int, Column] = {}
    problems: list[tuple[str, str]] = []
    for index, raw in enumerate(table.headers):
        label, unit = split_header(raw)
        if not label:
            continue
        column = known.get(normal(label))
        if column is None:
            continue  # extra columns (notes, sequence numbers) are common and harmless
        if column in mapping.values():
            problems.append((str(raw), _("The column “%(header)s” appears twice.") % {"header": raw}))
            continue
        mapping[index] = column
        if unit is not None and column.money:
            table.units[index] = unit
    missing = [c for c in spec.columns if c.required and c not in mapping.values()]
    for column in missing:
        message = _("The required column “%(zh)s” (%(en)s) is missing.")
        problems.append((column.label_zh, message % {"zh": column.label_zh, "en": column.label_en}))
    return mapping, problems


def _cell(row: Row, column: Column, cell):
    """A cell's text cleaned as every input is (zoneos.core.text); a control character or a cell over
    the length limit is an error of the row, and the cell reads as empty."""
    if isinstance(cell, Overlong):
        message = _("The cell holds %(length)d characters; at most %(limit)d are accepted.")
        row.error(
            column.name, message % {"length": cell.length, "limit": settings.ZONEOS_IMPORT_MAX_CELL_CHARS}
        )
        return None
    if isinstance(cell, str):
        try:
            return clean_text(cell)
        except ControlCharacter as exc:
            row.error(column.name, exc)
            return None
    return cell


def _rows(table: Table, mapping: dict[int, Column]):
    chunk: list[Row] = []
    for number, cells in table.rows:
        row = Row(number, {})
        for index, column in mapping.items():
            cell = _cell(row, column, cells[index] if index < len(cells) else None)
            if index in table.units:
                row.values[column.name] = (cell, table.units[index])
            else:
                row.values[column.name] = cell
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _header_label(spec: ImportSpec, table: Table, mapping: dict[int, Column], name: str) -> str:
    """The column as the file names it, so the person fixing the file recognises it."""
    for index, column in mapping.items():
        if column.name == name:
            return str(table.headers[index]).strip()
    english = (get_language() or "").startswith("en")
    for column in spec.columns:
        if column.name == name:
            return column.label_en if english else column.label_zh
    return name


def _record(job: ImportJob, attempt: int, **fields) -> None:
    """Write what run `attempt` found, unless a newer attempt owns the job."""
    if not ImportJob.objects.filter(pk=job.pk, attempt=attempt).update(**fields):
        raise Superseded
    for name, value in fields.items():
        setattr(job, name, value)


def describe(exc: BaseException) -> str:
    """The error in one short line, for the job's page: its kind and the first line of its message."""
    lines = str(exc).strip().splitlines()
    text = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    return text[:300]


def run(job: ImportJob, *, commit: bool, on_progress: Callable[[int], None] | None = None) -> ImportJob:
    """Check the file (commit=False) or import it (commit=True) as the job's current attempt; the job
    records the outcome whatever happens, unless a newer attempt has taken it over meanwhile."""
    attempt = job.attempt
    status = ImportStatus.COMMITTING if commit else ImportStatus.CHECKING
    phase = ImportPhase.COMMIT if commit else ImportPhase.CHECK
    with lease.Heartbeat(job.pk, attempt):
        try:
            _record(job, attempt, status=status, phase=phase, message="", finished_at=None)
            _run(job, attempt, commit=commit, on_progress=on_progress)
        except Superseded:
            job.refresh_from_db()
        except Exception as exc:
            # The page shows what went wrong in a line; the log keeps the traceback for whoever fixes it.
            logger.exception("Import %s (%s, attempt %s) failed", job.pk, job.kind, attempt)
            failed = {"status": ImportStatus.FAILED, "message": describe(exc), "finished_at": timezone.now()}
            try:
                _record(job, attempt, **failed)
            except Superseded:
                job.refresh_from_db()
    cache.delete(progress_key(job.pk))
    return job


def _run(job: ImportJob, attempt: int, *, commit: bool, on_progress) -> None:
    spec = spec_for(job.kind)
    by = job.created_by
    errors: list[dict] = []
    error_count = 0
    processed = 0
    outcome = Outcome()

    def note(row_number, column, message):
        nonlocal error_count
        error_count += 1
        if len(errors) < KEEP_ERRORS:
            errors.append({"row": row_number, "column": column, "message": str(message)})

    def outcome_fields() -> dict:
        return {
            "processed_rows": processed,
            "error_count": 0,
            "errors": [],
            "created": outcome.created,
            "updated": outcome.updated,
            "unchanged": outcome.unchanged,
            "finished_at": timezone.now(),
        }

    try:
        with job.file.open("rb") as raw:
            table = open_table(raw, job.original_name)
            _record(job, attempt, total_rows=table.total)
            mapping, problems = _map_headers(table, spec)
            for header, message in problems:
                note(1, header, message)
            if error_count:
                raise _Abort
            state = spec.start(by, commit=commit)
            with transaction.atomic():
                for chunk in _rows(table, mapping):
                    # A row whose cells could not be read is reported as it is, not checked further.
                    readable = [row for row in chunk if not row.errors]
                    spec.check_chunk(readable, state, by)
                    for row in chunk:
                        for column, message in row.errors:
                            note(row.number, _header_label(spec, table, mapping, column), message)
                    if commit:
                        if error_count:
                            raise _Abort
                        try:
                            spec.write_chunk(chunk, state, by, outcome)
                        except RowError as exc:
                            note(exc.row_number, _header_label(spec, table, mapping, exc.column), exc.message)
                            raise _Abort from exc
                    else:
                        spec.count_chunk([row for row in readable if not row.errors], state, outcome)
                    processed += len(chunk)
                    cache.set(progress_key(job.pk), processed, 3600)
                    if on_progress:
                        on_progress(processed)
                if processed == 0 and not error_count:
                    note(1, "", _("The file has a header but no rows."))
                    raise _Abort
                if commit:
                    spec.finish(state, by)
                    # In the same transaction as the records: both are written, or neither.
                    _record(job, attempt, status=ImportStatus.COMMITTED, **outcome_fields())
                    return
                # A dry run writes nothing, whatever a spec's lookups may have touched.
                transaction.set_rollback(True)
    except FileError as exc:
        note(1, "", str(exc))
    except _Abort:
        pass
    if error_count:
        _record(
            job,
            attempt,
            status=ImportStatus.INVALID,
            processed_rows=processed,
            error_count=error_count,
            errors=errors,
            created=0,
            updated=0,
            unchanged=0,
            finished_at=timezone.now(),
        )
    else:
        _record(job, attempt, status=ImportStatus.READY, **outcome_fields())


def template_headers(spec: ImportSpec, language: str) -> list[str]:
    def label(c: Column) -> str:
        base = c.label_en if language.startswith("en") else c.label_zh
        if c.money:
            base += " (yuan)" if language.startswith("en") else "（元）"
        return base

    return [label(c) for c in spec.columns]


def as_text(value) -> str:
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return "" if value is None else str(value)
