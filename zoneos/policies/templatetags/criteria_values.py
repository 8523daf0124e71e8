"""A criterion's actual and required values as a page shows them: money in the screen's unit (the
trace keeps plain yuan, "61000000.00", as the API documents), anything else as the trace has it."""

from django import template

from zoneos.core import money

from ..variables import VARIABLES

register = template.Library()


@register.filter
def figure(row: dict, key: str) -> str:
    """`{{ leaf|figure:"actual" }}`: the row's value under `key`, "—" when it has none."""
    value = row.get(key)
    if value in (None, ""):
        return "—"
    var = VARIABLES.get(row.get("var") or "")
    if var is not None and var.kind == "money":
        try:
            return money.format_money(value)
        except ArithmeticError:  # a list or a word: shown as it is
            return str(value)
    return str(value)
