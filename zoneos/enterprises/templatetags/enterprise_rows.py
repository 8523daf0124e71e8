"""`{% enterprise_row e %}`: one enterprise's row of the registry's list.

The row is `enterprises/_enterprise_row.html` written in Python: through the template language each of
the 25 rows of every list view cost some twenty variable lookups, filters and a loop of labels. The
template stays the reference: zoneos/enterprises/tests/test_enterprise_row.py renders both for every
kind of row, in both languages, and compares them to the byte. A change of the row is made in both."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from zoneos.core.rows import record_url

from ..models import Enterprise, Label

register = template.Library()


def _shared(context) -> dict:
    """What every row of one rendering shares: the labels of the choices in the active language,
    escaped."""
    cache = context.render_context
    shared = cache.get("enterprise_row")
    if shared is None:
        shared = cache["enterprise_row"] = {
            **{
                field: {value: esc(label) for value, label in model._meta.get_field(field).flatchoices}
                for model, field in ((Enterprise, "status"), (Enterprise, "size_class"), (Label, "kind"))
            },
        }
    return shared


def _label(shared: dict, field: str, value, display) -> str:
    """`get_FOO_display()`, escaped; a value outside the choices is shown as it is, as Django does."""
    found = shared[field].get(value)
    return found if found is not None else esc(display())


@register.simple_tag(takes_context=True)
def enterprise_row(context, e):
    shared = _shared(context)
    out = [
        f'<tr>\n      <td><a href="{record_url(context, "enterprises:detail", e.pk)}" class="fw-semibold">'
    ]
    out.append(esc(e.label))
    out.append("</a>")
    if e.short_name:
        out.append(f' <span class="text-secondary small">{esc(e.short_name)}</span>')
    out.append(f'</td>\n      <td><code class="small">{esc(e.uscc or "—")}</code></td>\n      ')
    out.append(f'<td class="text-nowrap">{esc(e.area.label)}</td>\n      <td>')
    industry = e.industry
    if industry:
        out.append(
            f'<span class="badge text-bg-light border" title="{esc(industry.label)}">'
            f"{esc(e.industry_section)} {esc(e.industry_code)}</span> "
            f'<span class="small text-secondary">{esc(Truncator(industry.label).chars(14))}</span>'
        )
    else:
        out.append("—")
    out.append("</td>\n      <td>")
    labels = e.current_labels
    for label in labels:
        kind = _label(shared, "kind", label.kind, label.get_kind_display)
        out.append(f'<span class="badge rounded-pill text-bg-{esc(label.color)} me-1">{kind}</span>')
    if not labels:
        out.append('<span class="text-secondary">—</span>')
    size = _label(shared, "size_class", e.size_class, e.get_size_class_display)
    status = _label(shared, "status", e.status, e.get_status_display)
    out.append(
        f'</td>\n      <td class="text-nowrap">{size or "—"}</td>\n      '
        f'<td class="text-nowrap"><span class="badge rounded-pill text-bg-{esc(e.status_color)}">'
        f"{status}</span></td>\n    </tr>"
    )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)
