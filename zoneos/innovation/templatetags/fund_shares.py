"""A fund's share or a stake (a fraction, 0.35) as the pages show it: "35 %", "2.8 %", up to two
decimals and no trailing zeros."""

from decimal import Decimal

from django import template

register = template.Library()
CENT = Decimal("0.01")


@register.filter
def share(value):
    if value is None or value == "":
        return "—"
    number = (Decimal(value) * 100).quantize(CENT).normalize()
    return f"{number:f} %"
