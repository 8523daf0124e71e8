"""History rows for bulk writes (imports), which bypass the per-save signals of django-auditlog.

Each written record gets the same `{field: [before, after]}` entry a single save would have left,
attributed to the importing user, in one `bulk_create` per chunk.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone


def jsonable(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if hasattr(value, "pk"):
        return value.pk
    return str(value)


def log(model, entries: Iterable[tuple[object, int, dict]], by) -> None:
    """`entries`: (instance, LogEntry.Action, changes) for each written record."""
    content_type = ContentType.objects.get_for_model(model)
    now = timezone.now()
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                content_type=content_type,
                object_pk=str(instance.pk),
                object_id=instance.pk,
                object_repr=str(instance)[:200],
                action=action,
                changes={k: [jsonable(a), jsonable(b)] for k, (a, b) in changes.items()},
                actor=by,
                actor_email=getattr(by, "email", None) or None,
                timestamp=now,
            )
            for instance, action, changes in entries
        ],
        batch_size=1000,
    )


CREATE = LogEntry.Action.CREATE
UPDATE = LogEntry.Action.UPDATE
