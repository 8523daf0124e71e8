"""`{% appeal_row a %}`: one appeal's row of the queue, the symposium's and the workbench's tables.

The row is `appeals/_appeal_row.html` written in Python: the queue renders fifty of them on every view,
and through the template language a row cost about a quarter of a millisecond of CPU (some forty
variables, date filters and translations each), half the page's CPU. The template stays the reference:
tests/test_appeal_row.py renders both for every kind of appeal, in both languages, and compares them
to the byte. A change of the row is made in both."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from zoneos.core.rows import record_url

from ..models import Appeal

register = template.Library()


def _day(moment) -> tuple[str, str]:
    """`|date:"Y-m-d"` and `|date:"H:i"` of a stored date-time, in the current time zone."""
    local = timezone.localtime(moment)
    return (
        f"{local.year:04d}-{local.month:02d}-{local.day:02d}",
        f"{local.hour:02d}:{local.minute:02d}",
    )


def _texts() -> dict:
    """The row's fixed words in the active language, escaped as `{% translate %}` writes them."""
    words = {
        "unassigned": "Not yet assigned",
        "provisional_title": (
            "The deadline runs into a year without official calendar data: counted on weekdays, it may move."
        ),
        "provisional": "provisional",
        "overdue_title": "Past its sign-for or reply deadline",
        "overdue": "Overdue",
        "urged": "Urged",
        "supervised": "Supervised",
        "waiting_title": "Waiting on the enterprise",
        "waiting": "Waiting",
    }
    texts = {key: esc(gettext(text)) for key, text in words.items()}
    # The labels of the choices, each translated once per rendering rather than once per row.
    for field in ("category", "status"):
        texts[field] = {value: esc(label) for value, label in Appeal._meta.get_field(field).flatchoices}
    return texts


def _label(texts: dict, appeal: Appeal, field: str, display) -> str:
    """`get_FOO_display()`, escaped; a value outside the choices is shown as it is, as Django does."""
    found = texts[field].get(getattr(appeal, field))
    return found if found is not None else esc(display())


@register.simple_tag(takes_context=True)
def appeal_row(context, a):
    cache = context.render_context
    t = cache.get("appeal_row_texts")
    if t is None:
        t = cache["appeal_row_texts"] = _texts()
    pk = str(a.pk)
    received_day, received_time = _day(a.received_at)
    due_day, due_time = _day(a.reply_due)
    now = context.get("now")
    owing = a.owing
    try:
        late = bool(owing and not a.paused_at and a.reply_due < now)
    except TypeError:  # no `now` in the context: the template's `<` is false then
        late = False
    out = [
        f'\n<tr data-testid="appeal-{pk}">\n  <td class="text-nowrap">{received_day}'
        f'<div class="small text-secondary">{received_time}</div></td>\n  '
    ]
    if not context.get("mine"):
        out.append(f"<td>{esc(a.enterprise.label)}</td>")
    category = _label(t, a, "category", a.get_category_display)
    out.append(
        f'\n  <td><a href="{record_url(context, "appeals:detail", pk)}" class="fw-semibold">'
        f'{esc(a.title)}</a></td>\n  <td class="text-nowrap">{category}</td>\n  <td>'
    )
    if a.department:
        out.append(esc(a.department.label))
        if a.handler:
            out.append(
                '<div class="small text-secondary text-nowrap"><i class="bi bi-person"></i> '
                f"{esc(a.handler)}</div>"
            )
    else:
        out.append(f'<span class="text-secondary">{t["unassigned"]}</span>')
    status = _label(t, a, "status", a.get_status_display)
    out.append(
        f'</td>\n  <td class="text-nowrap"><span class="badge text-bg-{esc(a.status_color)}" '
        f'data-testid="status-{pk}">{status}</span></td>\n  <td class="text-nowrap">'
    )
    if late:
        out.append(
            f'<div class="text-danger fw-semibold" data-testid="late-{pk}"><i class="bi bi-alarm"></i> '
            f'{due_day}</div><div class="small text-danger">{due_time}'
        )
    else:
        grey = "" if owing else ' class="text-secondary"'
        out.append(f'<div{grey}>{due_day}</div><div class="small text-secondary">{due_time}')
    if a.deadline_provisional:
        out.append(
            f' <span class="badge rounded-pill text-bg-light border" title="{t["provisional_title"]}" '
            f'data-testid="provisional-{pk}">{t["provisional"]}</span>'
        )
    out.append('</div></td>\n  <td><div class="d-flex flex-wrap gap-1">')
    if a.overdue and owing:
        out.append(f'<span class="badge text-bg-danger" title="{t["overdue_title"]}">{t["overdue"]}</span>')
    if a.urged:
        count = a.urge_count
        title = ngettext("Urged %(n)s time", "Urged %(n)s times", count) % {"n": esc(count)}
        times = f" ×{count}" if count > 1 else ""
        out.append(
            f'<span class="badge text-bg-warning" title="{title}"><i class="bi bi-bell"></i> '
            f"{t['urged']}{times}</span>"
        )
    if a.supervised:
        out.append(f'<span class="badge text-bg-dark">{t["supervised"]}</span>')
    if a.paused_at and owing:
        out.append(
            f'<span class="badge text-bg-light border" title="{t["waiting_title"]}">'
            f'<i class="bi bi-pause-fill"></i> {t["waiting"]}</span>'
        )
    out.append("</div></td>\n</tr>\n")
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)
