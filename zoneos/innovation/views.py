"""The innovation points page: the ranking of an area's enterprises for a year, each row's total with
its points per indicator (expandable), filters by area and year, and the file for a partner bank.
Thin: the points come from `points`, the same function the API serves."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView

from zoneos.accounts.scoping import areas_for_roles, scope
from zoneos.areas.models import AreaKind
from zoneos.core.filters import as_id
from zoneos.core.roles import VIEW
from zoneos.core.views import ReadsRequiredMixin, current_area
from zoneos.enterprises.models import Enterprise

from . import points
from .models import Consent, PointsSystem
from .scoping import EXPORTERS, STAFF_ROLES


def _area(request, areas):
    """`?area=` among `areas` (404 out of reach), else the switcher's when within them, else the
    highest zone among them (None: none)."""
    raw = request.GET.get("area", "")
    if raw:
        area = areas.filter(pk=as_id(raw) or 0).first()
        if area is None:
            raise Http404
        return area
    chosen = current_area(request)
    if chosen is not None and areas.filter(pk=chosen.pk).exists():
        return chosen
    return (
        areas.filter(kind=AreaKind.ZONE).order_by("depth", "path").first() or areas.order_by("depth").first()
    )


def _year(request) -> int:
    raw = request.GET.get("year", "")
    last = timezone.localdate().year - 1
    return int(raw) if raw.isdigit() and 1990 <= int(raw) <= 2100 else last


class PointsPageView(LoginRequiredMixin, ReadsRequiredMixin, TemplateView):
    reads_model = PointsSystem
    template_name = "innovation/points.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        areas = areas_for_roles(user, STAFF_ROLES)
        area = _area(self.request, areas)
        year = _year(self.request)
        system, scores = (None, [])
        if area is not None:
            system, scores = points.ranking(area, year, scope(Enterprise.objects.all(), user, VIEW))
        page = Paginator(scores, 50).get_page(self.request.GET.get("page"))
        this_year = timezone.localdate().year
        context.update(
            area=area,
            areas=areas.exclude(kind=AreaKind.REGION).order_by("path"),
            year=year,
            years=range(this_year, this_year - 6, -1),
            system=system,
            page=page,
            may_export=area is not None and areas_for_roles(user, EXPORTERS).filter(pk=area.pk).exists(),
            banks=sorted(set(scope(Consent.objects.all(), user, VIEW).values_list("bank", flat=True))),
        )
        return context
