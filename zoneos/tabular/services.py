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

from zoneos.accounts.scoping import may_write, require
from zoneos.core.errors import Conflict
from zoneos.core.roles import CHANGE
from zoneos.core.text import clean_file_name

from . import engine, registry, tasks
from .models import RERUNNABLE, ImportJob, ImportPhase, ImportStatus

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


def start_import(*, by, kind: str, file) -> ImportJob:
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
    job = ImportJob.objects.create(
        kind=kind, file=file, original_name=clean_file_name(file.name)[:255], created_by=by
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
