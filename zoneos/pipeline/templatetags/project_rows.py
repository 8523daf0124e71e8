"""`{% project_row p %}`: one project's row of the investment list.

The row is `pipeline/_project_row.html` written in Python: through the template language each of the
rows of every list view cost some twenty variable lookups, filters and translations. The template stays
the reference: zoneos/pipeline/tests/test_project_row.py renders both for every kind of row, in both
languages, and compares them to the byte. A change of the row is made in both."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from zoneos.core.money import format_money
from zoneos.core.rows import record_url

from ..models import Project

register = template.Library()


def _shared(context) -> dict:
    """What every row of one rendering shares: the fixed words and the stages' names in the active
    language, escaped."""
    cache = context.render_context
    shared = cache.get("project_row")
    if shared is None:
        shared = cache["project_row"] = {
            "conflict": esc(gettext("Open conflict")),
            "outside": esc(gettext("Outside the plan")),
            "stage": {value: esc(label) for value, label in Project._meta.get_field("stage").flatchoices},
        }
    return shared


@register.simple_tag(takes_context=True)
def project_row(context, p):
    shared = _shared(context)
    out = [
        f'<tr>\n      <td><a href="{record_url(context, "pipeline:detail", p.pk)}" class="fw-semibold">'
        f"{esc(p.name)}</a>"
    ]
    if p.flagged:
        warning = shared["conflict"]
        out.append(f' <i class="bi bi-exclamation-triangle-fill text-warning" title="{warning}"></i>')
    stage = shared["stage"].get(p.stage)
    if stage is None:
        stage = esc(p.get_stage_display())
    out.append(
        f'<div class="small text-secondary">{esc(p.investor_name)}</div></td>\n      '
        f'<td class="text-nowrap">{esc(p.area.label)}</td>\n      '
        f'<td class="text-end text-nowrap">{esc(format_money(p.total_investment, "large"))}</td>\n      '
        f'<td class="text-nowrap"><span class="badge rounded-pill text-bg-{esc(p.stage_color)} border">'
        f"{stage}</span></td>\n      <td>"
    )
    if p.plan_group:
        out.append(f'<span class="badge text-bg-light border">{esc(p.plan_group.label)}</span>')
    else:
        out.append(f'<span class="text-secondary small">{shared["outside"]}</span>')
    out.append(
        f'</td>\n      <td class="text-nowrap">{esc(p.owner or "—")}</td>\n      '
        f'<td class="text-nowrap">{esc(p.lead_on_text)}</td>\n    </tr>'
    )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)
