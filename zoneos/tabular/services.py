"""Starting and committing imports. Small files are handled within the request; longer ones are
queued for the task worker, and their page shows a progress bar until the worker is done."""

from __future__ import annotations

import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import require
from zoneos.core.errors import Conflict
from zoneos.core.roles import CHANGE

from . import engine, tasks
from .models import ImportJob, ImportKind, ImportStatus
from .scoping import ImportJobPolicy

INLINE_ROWS = int(os.environ.get("ZONEOS_IMPORT_INLINE_ROWS", "5000"))
MAX_UPLOAD = 200 * 1024 * 1024


def _estimate_rows(upload) -> int:
    name = upload.name.lower()
    if name.endswith(".csv"):
        count = sum(chunk.count(b"\n") for chunk in upload.chunks())
        upload.seek(0)
        return count
    # xlsx compresses about 10:1; a row of a registry sheet takes some 100 bytes unpacked.
    return upload.size // 10


def may_import(by, kind: str | None = None) -> bool:
    """Whether `by` imports tables at all (kind None), or tables of `kind` (a role that writes the
    kind's records somewhere)."""
    from zoneos.accounts.scoping import may_write, memberships

    if kind is not None:
        return may_write(by, engine.spec_for(kind).model)
    return by.is_superuser or any(
        m.role in ImportJobPolicy.write_roles and m.area_id for m in memberships(by)
    )


def start_import(*, by, kind: str, file) -> ImportJob:
    if not may_import(by):
        raise PermissionDenied(_("Your role does not import tables."))
    if kind not in ImportKind.values:
        raise ValidationError({"kind": [_("Choose what the file holds.")]})
    if not may_import(by, kind):
        raise PermissionDenied(_("Your role does not import tables of this kind."))
    if not file.name.lower().endswith((".csv", ".xlsx", ".xlsm")):
        raise ValidationError({"file": [_("Upload a .csv or .xlsx file.")]})
    if file.size > MAX_UPLOAD:
        raise ValidationError({"file": [_("The file is larger than 200 MB; split it.")]})
    job = ImportJob.objects.create(kind=kind, file=file, original_name=file.name[:255], created_by=by)
    if _estimate_rows(file) <= INLINE_ROWS:
        return engine.run(job, commit=False)
    transaction.on_commit(lambda: tasks.check_import.enqueue(job.pk))
    return job


def commit_import(job: ImportJob, *, by) -> ImportJob:
    require(job, by, CHANGE)
    with transaction.atomic():
        claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.READY).update(
            status=ImportStatus.COMMITTING
        )
    if not claimed:
        raise Conflict(_("Only a checked file without errors can be imported, and only once."))
    job.refresh_from_db()
    if job.total_rows <= INLINE_ROWS:
        return engine.run(job, commit=True)
    tasks.commit_import.enqueue(job.pk)
    return job
