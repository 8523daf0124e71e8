"""Template helpers shared by every module's pages."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()

WIDGET_CLASSES = {
    "checkbox": "form-check-input",
    "select": "form-select",
    "selectmultiple": "form-select",
}


@register.inclusion_tag("core/_field.html")
def formfield(field):
    css = WIDGET_CLASSES.get(field.widget_type, "form-control")
    if field.errors:
        css += " is-invalid"
    existing = field.field.widget.attrs.get("class", "")
    field.field.widget.attrs["class"] = f"{existing} {css}".strip()
    return {"field": field}


@register.filter
def historyvalue(value):
    """A before/after value as people read it."""
    if value is None or value == "":
        return "—"
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value
