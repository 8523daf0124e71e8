"""Starting, committing and re-running imports. Small files are handled within the request; longer ones
are queued for the task worker, and their page shows a progress bar until the worker is done.

Each commit and each re-run claims the job with a conditional update that also starts a new attempt,
so two clicks never start two runs, and a run that was given up for dead writes nothing (`engine.run`).
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import may_write, memberships, require, visible_areas
from zoneos.audit.context import acting
from zoneos.core.errors import Conflict
from zoneos.core.roles import CHANGE
from zoneos.core.text import clean_file_name

from . import engine, registry, tasks
from . import mapping as columns_plan
from .models import REMAPPABLE, RERUNNABLE, ImportJob, ImportMapping, ImportPhase, ImportStatus

INLINE_ROWS = int(os.environ.get("ZONEOS_IMPORT_INLINE_ROWS", "5000"))


def _estimate_rows(file) -> int:
    name = file.name.lower()
    if name.endswith(".csv"):
        count = sum(chunk.count(b"\n") for chunk in file.chunks())
        file.seek(0)
        return count
    # xlsx compresses about 10:1; a row of a registry sheet takes some 100 bytes unpacked.
    return file.size // 10


def may_import(by, kind: str | None = None) -> bool:
    """Whether `by` imports tables of `kind` (a role that writes the kind's records somewhere), or of
    any kind (kind None): derived from the kinds' models, so a role that writes a kind's records
    imports it without a second list of importing roles."""
    if kind is not None:
        return may_write(by, engine.spec_for(kind).model)
    return any(may_write(by, registry.get(name).spec.model) for name, _label in registry.choices())


def default_area(by):
    """The area the uploader keeps, when they keep exactly one (a park's staff): their sheets come from it."""
    areas = {m.area_id: m.area for m in memberships(by) if m.area_id and not m.enterprise_id}
    return next(iter(areas.values())) if len(areas) == 1 else None


def start_import(*, by, kind: str, file, area=None) -> ImportJob:
    if not may_import(by):
        raise PermissionDenied(_("Your role does not import tables."))
    if not registry.is_kind(kind):
        raise ValidationError({"kind": [_("Choose what the file holds.")]})
    if not may_import(by, kind):
        raise PermissionDenied(_("Your role does not import tables of this kind."))
    if not file.name.lower().endswith((".csv", ".xlsx", ".xlsm")):
        raise ValidationError({"file": [_("Upload a .csv or .xlsx file.")]})
    if file.size > settings.ZONEOS_IMPORT_MAX_UPLOAD_BYTES:
        limit = settings.ZONEOS_IMPORT_MAX_UPLOAD_BYTES / (1024 * 1024)
        raise ValidationError(
            {"file": [_("The file is larger than %(limit)g MB; split it.") % {"limit": limit}]}
        )
    if area is None:
        area = default_area(by)
    elif not visible_areas(by).filter(pk=area.pk).exists():
        raise ValidationError({"area": [_("Choose one of your areas.")]})
    job = ImportJob.objects.create(
        kind=kind, file=file, original_name=clean_file_name(file.name)[:255], created_by=by, area=area
    )
    if _estimate_rows(file) <= INLINE_ROWS:
        return engine.run(job, commit=False)
    transaction.on_commit(lambda: tasks.check_import.enqueue(job.pk, job.attempt))
    return job


def _claim(job: ImportJob, *, status: str, phase: str) -> bool:
    """Queue the next attempt of a job still in `status` at the attempt we read."""
    claimed = ImportJob.objects.filter(pk=job.pk, status=status, attempt=job.attempt).update(
        status=ImportStatus.QUEUED, phase=phase, attempt=F("attempt") + 1, message="", finished_at=None
    )
    if claimed:
        job.refresh_from_db()
    return bool(claimed)


def _run_or_queue(job: ImportJob, rows: int) -> ImportJob:
    commit = job.phase == ImportPhase.COMMIT
    if rows <= INLINE_ROWS:
        return engine.run(job, commit=commit)
    (tasks.commit_import if commit else tasks.check_import).enqueue(job.pk, job.attempt)
    return job


def commit_import(job: ImportJob, *, by) -> ImportJob:
    require(job, by, CHANGE)
    if not _claim(job, status=ImportStatus.READY, phase=ImportPhase.COMMIT):
        raise Conflict(_("Only a checked file without errors can be imported, and only once."))
    return _run_or_queue(job, job.total_rows)


def rerun_import(job: ImportJob, *, by) -> ImportJob:
    """Run a failed or interrupted job again from where it stopped: its dry run, or its commit (which
    checks every row again before writing any)."""
    require(job, by, CHANGE)
    if job.current_status not in RERUNNABLE or not _claim(job, status=job.status, phase=job.phase):
        raise Conflict(_("Only an import that failed or was interrupted can be run again."))
    rows = job.total_rows
    if not rows:  # it stopped before counting its rows
        rows = _estimate_rows(job.file)
        job.file.close()
    return _run_or_queue(job, rows)


def _mapping_columns(job: ImportJob, columns: list[dict]) -> dict:
    """The user's column choices checked against the spec and the report's columns."""
    spec = engine.spec_for(job.kind)
    fields = {c.name: c for c in spec.columns}
    known = {c["index"] for c in (job.report or {}).get("columns", [])}
    chosen = dict((job.mapping or {}).get("columns") or {})
    problems = []
    for entry in columns:
        index = entry.get("index")
        if index not in known:
            problems.append(_("The sheet has no column %(index)s.") % {"index": index})
            continue
        name = entry.get("field") or ""
        if name and name not in fields:
            problems.append(_("“%(field)s” is not a field of this import.") % {"field": name})
            continue
        unit = entry.get("unit") or ""
        try:
            scale = columns_plan.parse_unit(unit)
        except ValueError:
            problems.append(_("“%(unit)s” is not a unit (元, 千元, 万元 or 亿元).") % {"unit": unit})
            continue
        chosen[str(index)] = {
            "field": name,
            "unit": columns_plan.unit_key(scale) if scale is not None else "",
            "clears": bool(entry.get("clears")),
        }
    if problems:
        raise ValidationError({"columns": problems})
    return chosen


def set_mapping(
    job: ImportJob, *, by, columns: list[dict] | None = None, sheet: str | None = None
) -> ImportJob:
    """Map, unmap, set units, mark columns "blank clears" (confirming the mapping, which is remembered
    for the job's area, kind and header set), or pick another sheet; then check again."""
    require(job, by, CHANGE)
    if job.current_status not in REMAPPABLE:
        raise Conflict(_("The mapping can be changed only after the check and before the import."))
    report = job.report or {}
    mapping = {"columns": dict((job.mapping or {}).get("columns") or {}), "key": report.get("headers_key")}
    if sheet is not None and sheet != (job.sheet or report.get("sheet", "")):
        if sheet not in report.get("sheets", []):
            raise ValidationError({"sheet": [_("The file has no sheet “%(sheet)s”.") % {"sheet": sheet}]})
        # Other headers: the choices made for this sheet's columns do not apply, and a mapping kept
        # for the other sheet's headers may.
        mapping = {}
    else:
        if columns is not None:
            mapping["columns"] = _mapping_columns(job, columns)
        mapping["confirmed"] = True
    with transaction.atomic(), acting(by):
        claimed = ImportJob.objects.filter(pk=job.pk, status=job.status, attempt=job.attempt).update(
            status=ImportStatus.QUEUED,
            phase=ImportPhase.CHECK,
            attempt=F("attempt") + 1,
            message="",
            finished_at=None,
            mapping=mapping,
            sheet=sheet if sheet is not None else job.sheet,
        )
        if not claimed:
            raise Conflict(_("The import changed meanwhile; reload it."))
        if mapping.get("key"):
            remember(job, by, mapping, [c["header"] for c in report.get("columns", [])])
    job.refresh_from_db()
    return _run_or_queue(job, job.total_rows)


def remember(job: ImportJob, by, mapping: dict, headers: list[str]) -> ImportMapping:
    """Keep the mapping for the next sheet with these headers from this area (with its history)."""
    kept = ImportMapping.objects.filter(
        area_id=job.area_id, kind=job.kind, headers_key=mapping["key"]
    ).first()
    if kept is None:
        kept = ImportMapping(area_id=job.area_id, kind=job.kind, headers_key=mapping["key"])
    kept.headers = headers
    kept.mapping = {"columns": mapping.get("columns", {})}
    kept.by = by
    kept.save()
    return kept
