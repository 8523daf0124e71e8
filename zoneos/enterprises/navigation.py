"""The enterprise registry in the shell's menu, and an enterprise user's own enterprise on the home
page: its figures to report and its chief service officer."""

import datetime

from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import memberships
from zoneos.core import navigation, search

from . import filters
from .models import Enterprise, Indicator

navigation.section("registry", _("Enterprises"), order=20)
navigation.register(
    "enterprises:list",
    _("Enterprise registry"),
    icon="buildings",
    section="registry",
    order=10,
    model=Enterprise,
)


def my_enterprise_panel(request) -> dict | None:
    """For an enterprise's users: each of their enterprises with its service officer, the figures of
    last year (to report when not yet on file) and the latest year on file."""
    user = request.user
    own = [m.enterprise_id for m in memberships(user) if m.enterprise_id]
    if not own or user.is_superuser:
        return None
    due_year = datetime.date.today().year - 1
    enterprises = list(
        Enterprise.objects.scope(user, "view")
        .filter(pk__in=own)
        .select_related("service_officer", "area")
        .order_by("name", "pk")
    )
    latest = {}
    for figures in Indicator.objects.filter(enterprise__in=enterprises).order_by("enterprise_id", "-year"):
        latest.setdefault(figures.enterprise_id, figures)
    rows = [
        {
            "enterprise": e,
            "officer": e.service_officer,
            "latest": latest.get(e.pk),
            "reported": latest.get(e.pk) is not None and latest[e.pk].year >= due_year,
        }
        for e in enterprises
    ]
    return {"template": "enterprises/_home_enterprise.html", "rows": rows, "due_year": due_year}


navigation.panel(my_enterprise_panel, order=30)


# The header's search finds enterprises as the registry's own search does: name, pinyin or its
# initials, credit code.
search.source(
    "enterprise",
    _("Enterprises"),
    icon="buildings",
    model=Enterprise,
    filter=filters.search,
    title=lambda e: e.label,
    detail=lambda e: " · ".join(part for part in (e.uscc or "", e.area.label) if part),
    order=10,
    list_url="enterprises:list",
    related=("area",),
    ordering=("name", "pk"),
)
