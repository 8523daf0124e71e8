"""History rows for bulk writes (imports), which bypass the per-save signals of django-auditlog.

Each written record gets the same `{field: [before, after]}` entry a single save would have left,
attributed to the importing user, written with `core.bulkinsert` (an import of a hundred thousand
records writes as many history rows, so they are not built as model instances).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from zoneos.core.bulkinsert import insert


def jsonable(value):
    """What the history stores for a value JSON has no type for: a record's primary key, else text
    (decimals, dates, countries)."""
    return value.pk if hasattr(value, "pk") else str(value)


def changes_json(changes: dict) -> str:
    """`{field: (before, after)}` as the JSON text of a history entry (one C-level encode per record)."""
    return json.dumps(changes, ensure_ascii=False, default=jsonable)


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
                "changes": changes_json(changes),
            }
            for pk, text, action, changes in entries
        ),
        ready={"changes"},
        same={
            "content_type_id": ContentType.objects.get_for_model(model).pk,
            "actor_id": getattr(by, "pk", None),
            "actor_email": getattr(by, "email", None) or None,
            "timestamp": timezone.now(),
        },
    )


CREATE = LogEntry.Action.CREATE
UPDATE = LogEntry.Action.UPDATE
