"""Helpers shared by every module's services."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def apply_changes(record, changes: dict, allowed: Iterable[str]) -> None:
    """Set the changed fields on `record`, refusing (with the field named) any it may not change."""
    allowed = set(allowed)
    refused = {field: _("This field cannot be changed here.") for field in changes if field not in allowed}
    if refused:
        raise ValidationError(refused)
    for field, value in changes.items():
        setattr(record, field, value)


def clean(record, exclude=()) -> None:
    """Validate `record`'s fields (not its uniqueness or constraints, which the services check with the
    field named), raising the errors keyed by field."""
    try:
        record.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
