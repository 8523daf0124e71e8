"""History rows for bulk writes (imports), which bypass the per-save signals of django-auditlog.

Each written record gets the same `{field: [before, after]}` entry a single save would have left,
attributed to the importing user, written with `core.bulkinsert` (an import of a hundred thousand
records writes as many history rows, so they are not built as model instances).
"""

from __future__ import annotations

from collections.abc import Iterable

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from zoneos.core.bulkinsert import insert


def jsonable(value):
    """A value as the history stores it: plain JSON scalars, a record's primary key, else text."""
    if value is None or type(value) in (bool, int, str):
        return value
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)  # an integer choice
    if hasattr(value, "pk"):
        return value.pk
    return str(value)  # text choices, decimals, dates, countries


def log(model, entries: Iterable[tuple[int, str, int, dict]], by) -> None:
    """`entries`: (primary key, text shown for the record, LogEntry.Action, changes) per written record;
    changes are `{field: (before, after)}`."""
    insert(
        LogEntry,
        (
            {
                "object_pk": str(pk),
                "object_id": pk,
                "object_repr": text[:200],
                "action": action,
                "changes": {k: [jsonable(a), jsonable(b)] for k, (a, b) in changes.items()},
            }
            for pk, text, action, changes in entries
        ),
        same={
            "content_type_id": ContentType.objects.get_for_model(model).pk,
            "actor_id": getattr(by, "pk", None),
            "actor_email": getattr(by, "email", None) or None,
            "timestamp": timezone.now(),
        },
    )


CREATE = LogEntry.Action.CREATE
UPDATE = LogEntry.Action.UPDATE
