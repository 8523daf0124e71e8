"""A fund's share or a stake (a fraction, 0.35) as the pages show it: "35 %", up to two decimals."""

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def share(value):
    if value is None or value == "":
        return "—"
    return f"{floatformat(Decimal(value) * 100, '-2')} %"
