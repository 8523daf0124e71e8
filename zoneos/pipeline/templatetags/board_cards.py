"""`{% board_card p %}`: one project's card on the board.

The card is `pipeline/_board_card.html` written in Python: a board holds a few hundred cards, and
through the template language each cost some forty variable lookups, filters, translations and a loop
over its moves, most of the page's time. The template stays the reference:
zoneos/pipeline/tests/test_board_card.py renders both for every kind of card, in both languages, and
compares them to the byte. A change of the card is made in both.

Besides the card (`p`, with the `url`, `move_url`, `moves` and `days_text` the board view sets), it reads
from the page's context what the template reads: `may_move`, `stage_labels`, `request` and `csrf_token`."""

from __future__ import annotations

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from zoneos.core.money import format_money

register = template.Library()


def _shared(context) -> dict:
    """What every card of one rendering shares: the fixed words in the active language, the move form's
    hidden fields and the stages' names, escaped."""
    cache = context.render_context
    shared = cache.get("board_card")
    if shared is None:
        request = context.get("request")
        move_to = esc(gettext("Move to"))
        shared = cache["board_card"] = {
            "may_move": bool(context.get("may_move")),
            "draggable": 'draggable="true"' if context.get("may_move") else "",
            "days": esc(gettext("Days in this stage")),
            "conflict": esc(gettext("Open conflict")),
            "move_to": move_to,
            # The menu's head: the same for every card but for the form's address.
            "form_tail": (
                f'">\n              <h6 class="dropdown-header">{move_to}</h6>'
                f"{CsrfTokenNode().render(context)}"
                f'<input type="hidden" name="next" value="{esc(request.get_full_path() if request else "")}">'
                "\n              "
            ),
            "stage": {k: esc(v) for k, v in (context.get("stage_labels") or {}).items()},
        }
    return shared


@register.simple_tag(takes_context=True)
def board_card(context, p):
    shared = _shared(context)
    pk, move_url = str(p.pk), esc(p.move_url)
    name, url = esc(p.name), esc(p.url)
    out = [
        f'<article class="zo-board-card{" zo-flagged" if p.flagged else ""}" '
        f'{shared["draggable"]} data-project="{pk}" '
        f'data-move-url="{move_url}" data-moves="{esc(",".join(p.moves))}" data-testid="card-{pk}">\n'
        f'        <a class="fw-semibold d-block text-truncate" href="{url}" title="{name}">{name}</a>\n'
        f'        <div class="small text-secondary text-truncate">{esc(p.investor_name)}</div>\n'
        '        <div class="d-flex justify-content-between align-items-center mt-1 small">\n'
        f'          <span class="fw-semibold">{esc(format_money(p.total_investment, "large"))}</span>\n'
        f'          <span class="text-secondary" title="{shared["days"]}"><i class="bi bi-clock"></i> '
        f"{esc(p.days_text)}</span>\n        </div>\n"
        '        <div class="d-flex justify-content-between align-items-center small mt-1">\n'
        f'          <span class="text-secondary text-truncate">{esc(p.area.label)}'
    ]
    if p.owner:
        out.append(f" · {esc(p.owner)}")
    out.append("</span>\n          ")
    if p.flagged:
        out.append(
            f'<i class="bi bi-exclamation-triangle-fill text-warning" title="{shared["conflict"]}"></i>'
        )
    out.append("\n          ")
    if shared["may_move"] and p.moves:
        out.append(
            '\n          <div class="dropdown">\n'
            '            <button class="btn btn-sm btn-link p-0 text-secondary" type="button" '
            f'data-bs-toggle="dropdown" aria-label="{shared["move_to"]}" data-testid="menu-{pk}">'
            '<i class="bi bi-three-dots"></i></button>\n'
            f'            <form class="dropdown-menu dropdown-menu-end" method="post" action="{move_url}'
            f"{shared['form_tail']}"
        )
        stage = shared["stage"]
        for m in p.moves:
            value = esc(m)
            out.append(
                f'<button class="dropdown-item" name="to" value="{value}" data-testid="move-{pk}-{value}">'
                f"{stage.get(m, '')}</button>"
            )
        out.append("\n            </form>\n          </div>\n          ")
    out.append("\n        </div>\n      </article>")
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)
