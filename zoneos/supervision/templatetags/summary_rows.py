"""`{% warned_row p %}` and `{% ranking_row c %}`: the rows of the key-project summary's tables.

Each row is its template written in Python (`supervision/_warned_row.html`, `_ranking_row.html`): the
summary lists up to 200 red and 200 yellow projects on every view, and through the template language
each of those rows cost a `reverse()`, four variable lookups, a filter and their escaping: together
three fifths of the page's CPU. The templates stay the reference: tests/test_summary_rows.py renders
both for every kind of row, in both languages, and compares them to the byte. A change of a row is
made in both."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import mark_safe

from zoneos.core.money import percent
from zoneos.core.rows import record_url

register = template.Library()


def _text(value) -> str:
    """`{{ value }}` of a plain value of `services.summary()` (a str, an int or None): what Django's
    `escape` writes, without its wrapper for lazy strings, which cost as much as the rest of a row."""
    return escape(str(value))


@register.simple_tag(takes_context=True)
def warned_row(context, p):
    """A project of the summary's "red" or "yellow" list."""
    url = _text(record_url(context, "supervision:detail", p["id"]))
    return mark_safe(  # noqa: S308 (every value below is escaped)
        f'<tr><td><a href="{url}">{_text(p["name"])}</a>'
        f"</td><td>{_text(p['area_name'])}</td>"
        f'<td class="text-end">{_text(percent(p["completion_rate"]))}</td>'
        f'<td class="text-end">{_text(p["gap_pp"])}</td></tr>'
    )


@register.simple_tag
def ranking_row(c):
    """A sub-area of the summary's "by_child" ranking, its `color` set by the view."""
    rank, gap = c["rank"], c["gap_pp"]
    badge = f'<span class="badge text-bg-{_text(c["color"])}">&nbsp;</span>' if c["status"] else ""
    return mark_safe(  # noqa: S308 (every value below is escaped)
        f"<tr><td>{'—' if rank is None else _text(rank)}</td><td>{_text(c['name'])}</td>"
        f'<td class="text-end">{_text(percent(c["completion_rate"]))}</td>'
        f'<td class="text-end">{"—" if gap is None else _text(gap)}</td><td>{badge}</td></tr>'
    )
