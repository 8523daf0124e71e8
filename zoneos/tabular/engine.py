"""The import engine: dry run, then an all-or-nothing commit, for any table a module describes.

A module describes its table with an `ImportSpec` (columns with Chinese and English headers, how a
chunk of rows is checked against the database, how a checked chunk is written) and registers it under
its kind. The engine streams the file in chunks, so a million rows never sit in memory; it reports
every bad row with its row number, column and message; and the commit re-checks everything inside
one transaction, writing nothing if any row is bad. A spec that splits its check into cleaning the
file's cells and checking them against the records (`carry`) lets the commit take the rows the dry run
cleaned, when nothing they were cleaned from has changed, and check those against the records again.

A run that crashes leaves its job `failed` with the error (the traceback goes to the log); a run whose
process dies leaves a lease that expires (`lease`), and the job reads as interrupted. Either may be run
again. The commit stays one transaction, and the job's `committed` is written inside it, fenced by the
run's attempt: the records and the job's outcome are written together or not at all.

Which column feeds which field, and in which unit, is the mapping step's (`mapping`): a money column
whose unit neither its header, the mapping nor the sheet's unit line states stops the check as
`mapping` (never read as yuan), and so does an unused column that looks like a field until the user
confirms. The dry run records every field each updated record would change (`changes`).
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
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

from . import carry, lease, registry
from . import mapping as columns_plan
from .cells import BLANK_TOKENS, excel_error
from .changes import Recorder
from .context import ImportContext
from .context import start as start_spec
from .models import ImportJob, ImportMapping, ImportPhase, ImportStatus
from .readers import FileError, Table, normal, open_table
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
    # column name -> the cell, cleaned; money as (cell, scale to yuan). A blank cell is absent (blank means
    # keep) unless its column is mapped "blank clears": then its value is None.
    values: dict[str, Any]
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

    def start(self, by, *, commit: bool, context: ImportContext | None = None) -> Any:
        """Per-run state (lookups, seen keys). `context` tells the sheet's period, title and area, and
        takes notices for the report; a spec written before it may leave the parameter out."""
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

    # Optional: `compare_to(row) -> {field: previous value}` (say, the previous year's figure for a
    # new year's record), so that the dry run warns of jumps on records it creates too.

    def finish(self, state, by) -> None:
        """After the last chunk is written, in the same transaction."""

    # Optional, with `carries = True` (see `zoneos.tabular.carry`): `clean_chunk(rows, state)` and
    # `verify_chunk(rows, state, by)`, which together are `check_chunk`; `carry_state(state)`, a text that
    # changes whenever what `clean_chunk` finds could; `pack(clean)` and `unpack(packed, state)`. Notices
    # for the report come from `verify_chunk` (the commit may not run `clean_chunk`).


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


def known_headers(spec: ImportSpec) -> frozenset[str]:
    """The normalised headers of the spec's columns: what the reader scores header rows against."""
    return frozenset(h for column in spec.columns for h in column.headers())


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


def _rows(table: Table, spec: ImportSpec, plan: columns_plan.Plan, see=None):
    """The table's rows as the spec reads them: blank cells left out (blank means keep) unless their
    column clears, Excel errors as errors of the row, money as (cell, scale), period columns filled from
    the title."""
    by_name = {c.name: c for c in spec.columns}
    used = [
        (s.index, by_name[s.field], s.field, s.unit if by_name[s.field].money else None, s.clears)
        for s in plan.used()
    ]
    filled = {name: value for name, (value, _from) in plan.filled.items()}
    longest = max(len(t) for t in BLANK_TOKENS)
    sampled = 0
    chunk: list[Row] = []
    for number, cells in table.rows:
        row = Row(number, dict(filled) if filled else {})
        values = row.values
        width = len(cells)
        for index, column, name, scale, clears in used:
            cell = cells[index] if index < width else None
            if cell.__class__ is str:
                stripped = cell.strip()
                if not stripped or (len(stripped) <= longest and stripped.lower() in BLANK_TOKENS):
                    cell = None
                elif stripped[0] == "#" and (error := excel_error(stripped)):
                    row.error(name, _("The cell holds the Excel error %(error)s.") % {"error": error})
                    continue
                else:
                    cell = _cell(row, column, cell)
                    if cell is None:
                        continue
            elif cell.__class__ is Overlong:
                _cell(row, column, cell)
                continue
            if cell is None:
                if clears:
                    values[name] = None
                continue
            values[name] = (cell, scale) if scale is not None else cell
        if see is not None:
            see(cells)
            sampled += 1
            if sampled >= columns_plan.SAMPLE_ROWS:
                see = None
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _header_label(spec: ImportSpec, table: Table, plan: columns_plan.Plan, name: str) -> str:
    """The column as the file names it, so the person fixing the file recognises it."""
    for source in plan.sources:
        if source.field == name:
            return source.header
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
    # The objects the process holds already (Django, the pinyin dictionaries: millions of lists) are left
    # out of the garbage collector's passes while the run's rows make it collect: a full pass over them
    # took a good part of a second, several times per 100,000 rows.
    gc.freeze()
    try:
        with lease.Heartbeat(job.pk, attempt):
            _attempt(job, attempt, status, phase, commit=commit, on_progress=on_progress)
    finally:
        gc.unfreeze()
    cache.delete(progress_key(job.pk))
    return job


def _attempt(job: ImportJob, attempt: int, status, phase, *, commit: bool, on_progress) -> None:
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


def remembered(job: ImportJob, key: str) -> dict | None:
    """The mapping confirmed for this area, kind and header set, if any."""
    found = (
        ImportMapping.objects.filter(area_id=job.area_id, kind=job.kind, headers_key=key)
        .order_by("-at")
        .first()
    )
    return dict(found.mapping) if found else None


def _label(current, row: Row) -> str:
    """The record a row updates, named without a query: a related record the spec looked up for the
    row (`row.clean`) stands in for the one the record points at."""
    for f in current._meta.concrete_fields:
        if not f.is_relation or f.is_cached(current) or getattr(current, f.attname) is None:
            continue
        wanted = getattr(current, f.attname)
        match = next(
            (v for v in row.clean.values() if isinstance(v, f.related_model) and v.pk == wanted), None
        )
        if match is None:
            return f"{current._meta.verbose_name} #{current.pk}"
        f.set_cached_value(current, match)
    return str(current)


class _Counted:
    def __init__(self):
        self.errors: list[dict] = []
        self.count = 0

    def note(self, row_number, column, message) -> None:
        self.count += 1
        if len(self.errors) < KEEP_ERRORS:
            self.errors.append({"row": row_number, "column": column, "message": str(message)})


def _pairs(current, diff: dict) -> dict:
    """{field: (old, new)}, also from a spec whose `changes` gives only the new values."""
    return {
        name: value if isinstance(value, tuple) and len(value) == 2 else (getattr(current, name, None), value)
        for name, value in diff.items()
    }


def _check_rows(spec, rows: list[Row], state, outcome: Outcome, recorder: Recorder) -> None:
    """Dry run: count what the commit would do, and record each updated record's changed fields."""
    compare = getattr(spec, "compare_to", None)
    counts_itself = type(spec).count_chunk is not ImportSpec.count_chunk
    if counts_itself:
        spec.count_chunk(rows, state, outcome)
    for row in rows:
        current = row.clean.get("_existing")
        if current is None:
            if not counts_itself:
                outcome.created += 1
            if compare is not None:
                before = compare(row) or {}
                diff = {k: (v, row.clean.get(k)) for k, v in before.items() if k in row.clean}
                recorder.add(row.number, _("row %(row)d (new)") % {"row": row.number}, diff, created=True)
            continue
        diff = spec.changes(current, row.clean)
        if not counts_itself:
            if diff:
                outcome.updated += 1
            else:
                outcome.unchanged += 1
        if diff:
            recorder.add(row.number, _label(current, row), _pairs(current, diff))


def _check_chunk(spec, rows: list[Row], state, by, *, carried: bool, writer) -> None:
    if carried:  # the dry run's clean rows: only what depends on the records is checked again
        spec.verify_chunk(rows, state, by)
    elif writer is not None:
        spec.clean_chunk(rows, state)
        writer.add(spec, rows)
        spec.verify_chunk(rows, state, by)
    else:
        spec.check_chunk(rows, state, by)


def _run(job: ImportJob, attempt: int, *, commit: bool, on_progress) -> None:
    spec = spec_for(job.kind)
    by = job.created_by
    found = _Counted()
    note = found.note
    processed = 0
    outcome = Outcome()
    recorder = None if commit else Recorder()
    plan = table = writer = None
    status = ImportStatus.READY
    job_mapping = dict(job.mapping or {})
    context = ImportContext(area=job.area)

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
            table = open_table(
                raw, job.original_name, known_headers=known_headers(spec), sheet=job.sheet or None
            )
            context.period, context.title = table.period, table.title
            _record(job, attempt, total_rows=table.total)
            key = columns_plan.headers_key(table.headers)
            if job_mapping.get("key") not in (None, key):
                job_mapping = {}  # another sheet, other headers: what was set for the old ones is void
            if not job_mapping.get("columns") and not job_mapping.get("confirmed"):
                kept = remembered(job, key)
                if kept is not None:
                    job_mapping = {**kept, "confirmed": True, "remembered": True}
            job_mapping["key"] = key
            plan = columns_plan.build(table, spec, job_mapping)
            for header, message in plan.problems:
                note(table.header_row, header, message)
            if found.count:
                raise _Abort
            if plan.needs_unit:
                for source in plan.needs_unit:
                    message = _(
                        "In which unit is “%(header)s”? Neither the header, the sheet nor the mapping "
                        "says; set its unit in the mapping (元, 千元, 万元 or 亿元)."
                    )
                    note(table.header_row, source.header, message % {"header": source.header})
                status = ImportStatus.MAPPING
                see = columns_plan.watch(plan)
                for _number, cells in islice(table.rows, columns_plan.SAMPLE_ROWS if see else 0):
                    see(cells)  # what the unused columns hold, for the report
                raise _Abort
            see = None if commit else columns_plan.watch(plan)
            state = start_spec(spec, by, commit=commit, context=context)
            run_key = carry.key(job, spec, table, plan, state) if carry.supported(spec) else None
            carried = carry.load(job, run_key, spec, state, Row) if commit else None
            if carried is not None:
                table.close()  # the rows the dry run cleaned from this very file stand for it
            elif run_key is not None and not commit:
                writer = carry.Writer(run_key)
            with transaction.atomic():
                for chunk in carried if carried is not None else _rows(table, spec, plan, see):
                    # A row whose cells could not be read is reported as it is, not checked further.
                    readable = [row for row in chunk if not row.errors]
                    _check_chunk(spec, readable, state, by, carried=carried is not None, writer=writer)
                    for row in chunk:
                        for column, message in row.errors:
                            note(row.number, _header_label(spec, table, plan, column), message)
                    if commit:
                        if found.count:
                            raise _Abort
                        try:
                            spec.write_chunk(chunk, state, by, outcome)
                        except RowError as exc:
                            note(exc.row_number, _header_label(spec, table, plan, exc.column), exc.message)
                            raise _Abort from exc
                    else:
                        _check_rows(spec, [r for r in readable if not r.errors], state, outcome, recorder)
                    processed += len(chunk)
                    cache.set(progress_key(job.pk), processed, 3600)
                    if on_progress:
                        on_progress(processed)
                if processed == 0 and not found.count:
                    note(1, "", _("The file has a header but no rows."))
                    raise _Abort
                if commit:
                    spec.finish(state, by)
                    report = {**job.report, "notices": context.notices}
                    done = job.checked_file.name
                    if done:  # the dry run's rows have served
                        storage = job.checked_file.storage
                        transaction.on_commit(lambda: storage.delete(done))
                    # In the same transaction as the records: both are written, or neither.
                    _record(
                        job,
                        attempt,
                        status=ImportStatus.COMMITTED,
                        report=report,
                        checked_file="",
                        checked_key="",
                        **outcome_fields(),
                    )
                    return
                # A dry run writes nothing, whatever a spec's lookups may have touched.
                transaction.set_rollback(True)
            if columns_plan.judge(plan) and not job_mapping.get("confirmed"):
                status = ImportStatus.MAPPING  # a column looks like a field but is not used: ask
    except FileError as exc:
        note(1, "", str(exc))
    except _Abort:
        pass
    except BaseException:
        if recorder is not None:
            recorder.discard()
        if writer is not None:
            writer.discard()
        raise
    if recorder is not None and (found.count or table is None):
        recorder.discard()
    fields = {"mapping": job_mapping}
    if table is not None and plan is not None and not commit:
        columns_plan.judge(plan)
        fields["report"] = {
            **columns_plan.describe(table, plan, spec),
            "notices": context.notices,
            "changes": recorder.first if not found.count else [],
            "change_records": recorder.records if not found.count else 0,
            "warnings": recorder.warnings if not found.count else {},
        }
    if not commit:
        fields["changes_file"] = ""
        fields["change_count"] = fields["warning_count"] = 0
        if job.changes_file:
            job.changes_file.delete(save=False)
        if not found.count and table is not None:
            fields["changes_file"] = recorder.save(job)
            fields["change_count"] = recorder.count
            fields["warning_count"] = sum(recorder.warnings.values())
        fields.update(carry.forget(job))
        if writer is not None and not found.count and status == ImportStatus.READY and processed:
            fields["checked_file"], fields["checked_key"] = writer.save(job)
        elif writer is not None:
            writer.discard()
    if found.count:
        _record(
            job,
            attempt,
            status=ImportStatus.INVALID if status != ImportStatus.MAPPING else status,
            processed_rows=processed,
            error_count=found.count,
            errors=found.errors,
            created=0,
            updated=0,
            unchanged=0,
            finished_at=timezone.now(),
            **fields,
        )
    else:
        _record(job, attempt, status=status, **fields, **outcome_fields())


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
