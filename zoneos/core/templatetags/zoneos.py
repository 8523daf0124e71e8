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


@register.filter
def money(value, unit: str = "auto"):
    """Yuan shown as people read amounts: 亿元 / 万元 in Chinese, billion / million yuan in English."""
    from decimal import ROUND_HALF_UP, Decimal

    from django.utils.formats import number_format
    from django.utils.translation import get_language

    if value in (None, ""):
        return "—"
    amount = Decimal(value)
    english = (get_language() or "").startswith("en")
    if english:
        steps = [(Decimal(10**9), "billion yuan"), (Decimal(10**6), "million yuan")]
        base = "yuan"
    else:
        steps = [(Decimal(10**8), "亿元"), (Decimal(10**4), "万元")]
        base = "元"

    def fixed(value):
        # number_format truncates; bulletins round half up.
        return number_format(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), 2, force_grouping=True)

    for size, label in steps:
        if unit == label or (unit == "auto" and abs(amount) >= size):
            return f"{fixed(amount / size)} {label}"
    return f"{fixed(amount)} {base}"


@register.filter
def percent(value, places: int = 1):
    """A fraction (Decimal or None) as a percentage."""
    if value is None:
        return "—"
    from decimal import Decimal

    return f"{Decimal(value) * 100:.{int(places)}f}%"


@register.filter
def signed_percent(value, places: int = 1):
    if value is None:
        return "—"
    from decimal import Decimal

    number = Decimal(value) * 100
    return f"{'+' if number >= 0 else ''}{number:.{int(places)}f}%"


@register.filter
def get(mapping, key):
    """`{{ names|get:key }}`: a dict's value for a key held in a variable."""
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.filter
def yi(value):
    """Yuan in 亿元 (hundreds of millions) with two decimals, the unit of investment tables."""
    from decimal import ROUND_HALF_UP, Decimal

    if value in (None, ""):
        return "—"
    return f"{(Decimal(value) / Decimal(10**8)).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"
