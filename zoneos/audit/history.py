"""Reading history: one record's changes as `{at, user, action, changes}` rows."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    LogEntry.Action.CREATE: "create",
    LogEntry.Action.UPDATE: "update",
    LogEntry.Action.DELETE: "delete",
    LogEntry.Action.ACCESS: "access",
}
ACTION_LABELS = {"create": _("Created"), "update": _("Updated"), "delete": _("Deleted"), "access": _("Read")}


def entries_for(instance: Model) -> QuerySet:
    return LogEntry.objects.get_for_object(instance).select_related("actor").order_by("-timestamp", "-pk")


def as_row(entry: LogEntry) -> dict:
    return {
        "at": entry.timestamp,
        "user": entry.actor.username if entry.actor else None,
        "action": ACTIONS.get(entry.action, str(entry.action)),
        "changes": entry.changes or {},
    }


def display_rows(instance: Model) -> list[dict]:
    """History for a page: field names translated to the model's verbose names."""
    model = type(instance)
    names = {f.name: f.verbose_name for f in model._meta.get_fields() if hasattr(f, "verbose_name")}
    names.update({f.attname: f.verbose_name for f in model._meta.concrete_fields})
    rows = []
    for entry in entries_for(instance):
        row = as_row(entry)
        row["action_label"] = ACTION_LABELS.get(row["action"], row["action"])
        row["actor"] = entry.actor
        row["fields"] = [
            {"name": names.get(field, field), "before": values[0], "after": values[1]}
            for field, values in row["changes"].items()
        ]
        rows.append(row)
    return rows
