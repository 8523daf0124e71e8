"""Putting a corpus sheet through the import as staff do, by the API: upload (the dry run), confirm
the mapping when the job asks for it, commit; and a snapshot of the records an import may touch, to
show that it changed what the sheet says and nothing else."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from .corpus import Sheet, Stored

# The records imports write, and the fields the services derive when a record changes (a search key,
# a size class, a timestamp, a stage's bookkeeping): those may move with any change.
WATCHED = {
    "enterprises.Enterprise": {
        "updated_at",
        "name_pinyin",
        "name_initials",
        "size_class",
        "industry_section",
    },
    "enterprises.Indicator": {"updated_at", "above_designated_size", "size_class", "source"},
    "enterprises.Label": set(),
    "pipeline.Project": {
        "updated_at",
        "stage_on",
        "entered_mask",
        "flagged",
        "paused_from",
        "industry_section",
    }
    | {f"days_{c}" for c in ("lead", "negotiating", "signed", "registered", "land_secured")}
    | {f"days_{c}" for c in ("under_construction", "completed", "in_production", "on_hold")},
    "supervision.Report": {"updated_at"},
}


def upload(client, sheet: Sheet) -> dict:
    file = SimpleUploadedFile(sheet.file_name, sheet.data)
    response = client.post("/api/v1/imports/", {"kind": sheet.kind, "file": file}, format="multipart")
    assert response.status_code == 201, response.content
    return response.json()


def asks_for_mapping(job: dict) -> bool:
    return job["status"] == "mapping"


def confirm(client, job: dict, columns: list | None = None) -> dict:
    """Confirm the mapping as detected (or with `columns` changed), which checks the file again."""
    body = {} if columns is None else {"columns": columns}
    response = client.put(f"/api/v1/imports/{job['id']}/mapping/", body, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def check(client, sheet: Sheet) -> dict:
    """The dry run, with the mapping confirmed as detected when the job asks (the one click the issue
    allows); the job as it then stands."""
    job = upload(client, sheet)
    if asks_for_mapping(job) and not job.get("errors"):
        job = confirm(client, job)
    return job


def commit(client, job: dict) -> dict:
    response = client.post(f"/api/v1/imports/{job['id']}/commit/")
    assert response.status_code == 200, response.content
    return response.json()


def import_sheet(client, sheet: Sheet) -> tuple[dict, dict]:
    """Check and commit a sheet that must import without hand editing: (the dry run, the commit)."""
    checked = check(client, sheet)
    assert checked["status"] == "ready", (checked["status"], checked["errors"][:5])
    done = commit(client, checked)
    assert done["status"] == "committed", (done["status"], done["errors"][:5], done.get("reason"))
    return checked, done


# What is stored ------------------------------------------------------------------------------------
def lookup(stored: Stored):
    model = apps.get_model(stored.model)
    found = list(model.objects.filter(**dict(stored.lookup))[:2])
    return found[0] if len(found) == 1 else None


def value_of(record, path: str):
    for part in path.split("."):
        record = getattr(record, part)
    return record


def comparable(value):
    """Money compared as Decimal to the cent; dates as dates."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def mismatches(expectations: list[Stored]) -> list[str]:
    """Each expectation the database does not meet, said plainly (empty: all met)."""
    wrong = []
    for stored in expectations:
        record = lookup(stored)
        where = f"{stored.model} {dict(stored.lookup)} {stored.field}"
        if record is None:
            if stored.value is not None:
                wrong.append(f"{where}: no record (the sheet says {stored.sheet!r})")
            continue
        got = comparable(value_of(record, stored.field))
        if got != stored.value:
            wrong.append(
                f"{where}: stored {got!r}, expected {stored.value!r} (the sheet says {stored.sheet!r})"
            )
    return wrong


def snapshot() -> dict:
    """Every watched record's fields, by model and id."""
    taken = {}
    for label, derived in WATCHED.items():
        model = apps.get_model(label)
        names = [f.attname for f in model._meta.concrete_fields if f.name not in derived]
        taken[label] = {row["id"]: row for row in model.objects.values(*names)}
    return taken


def changes_beyond(before: dict, after: dict, expectations: list[Stored]) -> list[str]:
    """Changes to records that existed before, in fields the sheet does not speak for."""
    allowed: dict[tuple[str, object], set[str]] = {}
    for stored in expectations:
        record = lookup(stored)
        if record is not None:
            name = stored.field.split(".")[0]
            field = apps.get_model(stored.model)._meta.get_field(name)
            allowed.setdefault((stored.model, record.pk), set()).add(field.attname)
    found = []
    for label, rows in before.items():
        for pk, old in rows.items():
            new = after[label].get(pk)
            if new is None:
                found.append(f"{label} {pk} was deleted")
                continue
            for name, value in old.items():
                if new[name] != value and name not in allowed.get((label, pk), set()):
                    found.append(f"{label} {pk} {name}: {value!r} -> {new[name]!r}")
    return found


def created(before: dict, after: dict) -> dict[str, int]:
    return {
        label: len(after[label]) - len(before[label])
        for label in before
        if len(after[label]) != len(before[label])
    }
