"""Template helpers shared by every module's pages."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from zoneos.core import money as units

register = template.Library()

WIDGET_CLASSES = {
    "checkbox": "form-check-input",
    "select": "form-select",
    "selectmultiple": "form-select",
    # a plain CheckboxSelectMultiple: its boxes are boxes, never text inputs (`forms.Checks` draws them best)
    "checkboxselectmultiple": "form-check-input",
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


@register.filter
def money(value, unit: str = units.DEFAULT):
    """Yuan in the screen's unit with its name: 万元 unless the screen says "large" (亿元)."""
    return units.format_money(value, unit)


@register.filter
def money_number(value, unit: str = units.DEFAULT):
    """Yuan as a number of the screen's unit, for a cell whose header names the unit."""
    return units.number_in(value, unit)


@register.simple_tag
def money_unit(unit: str = units.DEFAULT):
    """The unit's name for a header: `({% money_unit "large" %})`."""
    return units.unit_name(unit)


@register.simple_tag
def money_words(value, unit: str = units.DEFAULT, places: int = 2):
    """An amount inside a phrase, in the unit: `{% money_words 100000000 "large" 0 %}` reads "1亿元" /
    "1 hundred million yuan"."""
    return units.in_words(value, unit, places=int(places))


@register.filter
def percent(value, places: int = 1):
    """A fraction (Decimal or None) as a percentage."""
    return units.percent(value, places)


@register.filter
def share(value):
    """A share stored as a fraction (a `FractionField`, 0.35) as every page shows one: "35 %", "2.8 %"
    (`money.share`, which the history uses too)."""
    return units.share(value)


@register.filter
def signed_percent(value, places: int = 1):
    return units.signed_percent(value, places)


@register.filter
def get(mapping, key):
    """`{{ names|get:key }}`: a dict's value for a key held in a variable."""
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.filter
def yi(value):
    """Yuan in 亿元 (hundreds of millions) with two decimals, the unit of investment tables."""
    return units.yi(value)


@register.filter
def yi_plain(value):
    """Yuan as a plain number of 亿元, every digit kept (the value of an input a user edits in 亿元)."""
    if value in (None, ""):
        return ""
    return format((Decimal(value) / units.YI).normalize(), "f")
