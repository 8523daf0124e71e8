"""A fund's share, a stake or a platform's occupancy (a fraction, 0.35) as the pages show it: "35 %",
"2.8 %", up to two decimals and no trailing zeros (`money.share`, which the history uses too)."""

from django import template

from zoneos.core.money import share as _share

register = template.Library()


@register.filter
def share(value):
    return _share(value)
