"""Enterprise service's pages in the shell's menu, and its home panels: an enterprise user's own
appeals (those to rate first), and a department's queue with what is due today."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import memberships
from zoneos.core import navigation, search

from .filters import AppealFilter
from .forms import may_submit
from .models import Appeal, Status, Symposium, Visit
from .views.queue import NOT_CLOSED, _appeals, _counts, _due_today_q, _overdue_q, _rows

navigation.section("service", _("Enterprise service"), order=50)
for order, (url, label, icon, model, external) in enumerate(
    [
        # Enterprise users see their own appeals in the queue; the rest of the desk is the zone's.
        ("appeals:queue", _("Appeals"), "chat-left-text", Appeal, True),
        ("appeals:dashboard", _("Service dashboard"), "graph-up", Appeal, False),
        ("appeals:symposia", _("Symposia"), "people-fill", Symposium, False),
        ("appeals:workbench", _("Service officer"), "person-workspace", Visit, False),
    ],
    start=1,
):
    navigation.register(
        url, label, icon=icon, section="service", order=order * 10, model=model, external=external
    )

HOME_ROWS = 8
# What an enterprise still waits on: neither closed nor rated by it.
UNSETTLED = tuple(s for s in NOT_CLOSED if s != Status.EVALUATED)


def my_appeals_panel(request) -> dict | None:
    """An enterprise user's own appeals: replies waiting for their rating first, then the open ones."""
    user = request.user
    own = [m.enterprise_id for m in memberships(user) if m.enterprise_id]
    if not own or user.is_superuser:
        return None
    appeals = _appeals(user).filter(enterprise_id__in=own)
    to_rate = list(_rows(appeals.filter(status=Status.REPLIED)).order_by("reply_due", "pk")[:HOME_ROWS])
    rated = {a.pk for a in to_rate}
    open_ = [
        a
        for a in _rows(appeals.filter(status__in=UNSETTLED)).order_by("-received_at", "-pk")[: HOME_ROWS * 2]
        if a.pk not in rated
    ][:HOME_ROWS]
    return {
        "template": "appeals/_home_mine.html",
        "to_rate": to_rate,
        "open": open_,
        "queue_url": reverse("appeals:queue"),
        "submit_url": reverse("appeals:submit") if may_submit(user) else "",
    }


def due_today_panel(request) -> dict | None:
    """A department's handlers: their queue's figures and the appeals due today or overdue."""
    user = request.user
    departments = [m.department_id for m in memberships(user) if m.department_id]
    if not departments or user.is_superuser:
        return None
    appeals = _appeals(user).filter(department_id__in=departments)
    urgent = _rows(appeals.filter(_due_today_q() | _overdue_q())).order_by("reply_due", "pk")[:HOME_ROWS]
    queue = reverse("appeals:queue")
    return {
        "template": "appeals/_home_due.html",
        "counts": _counts(appeals),
        "urgent": list(urgent),
        "queue_url": queue,
        "today_url": f"{queue}?due=today",
        "overdue_url": f"{queue}?due=overdue",
    }


navigation.panel(my_appeals_panel, order=20)
navigation.panel(due_today_panel, order=5)


def _matching(queryset, text):
    """An appeal by its number (`41`, `#41`, `No. 41`), or as the queue's own search finds it (title,
    enterprise)."""
    found = AppealFilter.filter_q(None, queryset, "q", text)
    n = search.number(text)
    return found if n is None else found | queryset.filter(pk=n)


search.source(
    "appeal",
    _("Appeals"),
    icon="chat-left-text",
    model=Appeal,
    filter=_matching,
    title=lambda a: gettext("No. %(n)s · %(title)s") % {"n": a.pk, "title": a.title},
    detail=lambda a: f"{a.enterprise.label} · {a.get_status_display()}",
    order=40,
    list_url="appeals:queue",
    related=("enterprise",),
    ordering=("-received_at", "-pk"),
)
