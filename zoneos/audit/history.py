"""Reading history: one record's changes as `{at, user, action, changes}` rows."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import scope
from zoneos.core.models import is_fraction
from zoneos.core.money import share

ACTIONS = {
    LogEntry.Action.CREATE: "create",
    LogEntry.Action.UPDATE: "update",
    LogEntry.Action.DELETE: "delete",
    LogEntry.Action.ACCESS: "access",
}
# History rows about something that is not a column of the record (a user's second factor): their name
# and values as shown, registered by the app that writes them.
EXTRA_FIELDS: dict[str, tuple[str, dict]] = {}
ACTION_LABELS = {"create": _("Created"), "update": _("Updated"), "delete": _("Deleted"), "access": _("Read")}


def entries_for(instance: Model) -> QuerySet:
    return LogEntry.objects.get_for_object(instance).select_related("actor").order_by("-timestamp", "-pk")


def pair(values) -> list:
    """A field's change as `[before, after]`, the one shape of the API's and the pages' history. A
    many-to-many change, which auditlog writes as `{"type": "m2m", "operation": "add" or "delete",
    "objects": [names]}` (what changed, not the whole set), becomes `[null, [names added]]` or
    `[[names removed], null]`."""
    if isinstance(values, dict) and values.get("type") == "m2m":
        names = [str(o) for o in values.get("objects", [])]
        return [None, names] if values.get("operation") == "add" else [names, None]
    return values


def as_row(entry: LogEntry) -> dict:
    return {
        "at": timezone.localtime(entry.timestamp),
        "user": entry.actor.username if entry.actor else None,
        "action": ACTIONS.get(entry.action, str(entry.action)),
        "changes": {name: pair(values) for name, values in (entry.changes or {}).items()},
    }


def _label(model, name: str):
    try:
        return model._meta.get_field(name).verbose_name  # a many-to-many field is no concrete column
    except FieldDoesNotExist:  # a field since removed: its name
        return name


def display_rows(instance: Model, user) -> list[dict]:
    """History for a page: field names and choice values translated, foreign keys shown by name
    (when the viewer may see the record they point at; otherwise by id), shares (`FractionField`s) in
    per cent as their pages show them. A column since renamed is shown under the label its app
    registered in `EXTRA_FIELDS`, with its value as it was written."""

    model = type(instance)
    fields = {f.name: f for f in model._meta.concrete_fields}
    entries = list(entries_for(instance))
    wanted: dict = {}
    for entry in entries:
        for name, values in (entry.changes or {}).items():
            field = fields.get(name)
            if field is not None and field.is_relation:
                wanted.setdefault(field.related_model, set()).update(v for v in values if v is not None)
    names = {
        related: {
            obj.pk: getattr(obj, "label", str(obj)) for obj in scope(related.objects.filter(pk__in=ids), user)
        }
        for related, ids in wanted.items()
    }

    def shown(field, value):
        if value is None or field is None:
            return value
        if is_fraction(field):  # a share: 0.3000 reads "30 %", as on the record's page
            return share(value)
        if field.is_relation:
            return names.get(field.related_model, {}).get(value, f"#{value}")
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return value

    rows = []
    for entry in entries:
        row = as_row(entry)
        row["action_label"] = ACTION_LABELS.get(row["action"], row["action"])
        row["actor"] = entry.actor
        row["fields"] = []
        for name, (before, after) in row["changes"].items():
            field = fields.get(name)
            if field is None and name in EXTRA_FIELDS:
                label, values = EXTRA_FIELDS[name]
                row["fields"].append(
                    {"name": label, "before": values.get(before, before), "after": values.get(after, after)}
                )
                continue
            label = field.verbose_name if field is not None else _label(model, name)
            row["fields"].append(
                {"name": label, "before": shown(field, before), "after": shown(field, after)}
            )
        rows.append(row)
    return rows
