"""Pages of innovation platforms: the list with its filters (kind, level, host, ending soon), the
counts by level of what it lists and the recognitions ending within 90 days warned above it; a
platform's page with its yearly figures as a table and small bars. Thin: counts come from `figures`."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import scope
from zoneos.core.models import is_fraction
from zoneos.core.roles import VIEW
from zoneos.core.views import ReadsRequiredMixin, ScopedDetailView, ScopedListView, ServiceFormView

from . import figures
from . import platform_services as services
from .filters import PlatformFilter
from .forms import PlatformForm, PlatformYearForm
from .platform_models import EXPIRING_DAYS, YEAR_FIGURES, Platform, PlatformKind, PlatformLevel, PlatformYear


def _days_left(platforms, today) -> None:
    for platform in platforms:
        left = platform.days_left(today)
        platform.left = left
        platform.ending = left is not None and 0 <= left <= EXPIRING_DAYS
        platform.ended = left is not None and left < 0


class PlatformListView(ReadsRequiredMixin, ScopedListView):
    model = reads_model = Platform
    filterset_class = PlatformFilter
    template_name = "innovation/platform_list.html"
    paginate_by = 50

    def base_queryset(self):
        return Platform.objects.select_related("area", "host_enterprise").order_by("area__path", "name", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        listed = self.object_list
        _days_left(context["object_list"], today)
        ending = list(figures.expiring(listed, on=today))
        _days_left(ending, today)
        context.update(
            kinds=PlatformKind.choices,
            levels=PlatformLevel.choices,
            by_level=figures.count_by_level(listed),
            ending=ending,
            days=EXPIRING_DAYS,
        )
        return context


class PlatformDetailView(ScopedDetailView):
    """A platform with its yearly figures, oldest first, each figure drawn as a bar against its own
    highest year."""

    model = Platform
    template_name = "innovation/platform_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("area", "host_enterprise")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        platform = self.object
        today = timezone.localdate()
        _days_left([platform], today)
        years = list(
            scope(PlatformYear.objects.filter(platform=platform), self.request.user, VIEW).order_by("year")
        )
        rows = []
        for field in YEAR_FIGURES:
            values = [getattr(y, field) for y in years]
            top = max((v for v in values if v is not None), default=0)
            cells = [
                {"value": v, "width": (float(v) / float(top) * 100) if v is not None and top else 0}
                for v in values
            ]
            model_field = PlatformYear._meta.get_field(field)
            rows.append(
                {
                    "field": field,
                    "label": model_field.verbose_name,
                    "cells": cells,
                    "share": is_fraction(model_field),
                }
            )
        context.update(years=years, rows=rows, days=EXPIRING_DAYS)
        return context


class PlatformCreateView(ServiceFormView):
    model = Platform
    form_class = PlatformForm
    title = _("New innovation platform")
    list_url = "innovation:platforms"

    def perform(self, data):
        return services.create_platform(by=self.request.user, **data)


class PlatformUpdateView(ServiceFormView):
    model = Platform
    form_class = PlatformForm
    editing = True
    title = _("Edit innovation platform")
    list_url = "innovation:platforms"

    def perform(self, data):
        return services.update_platform(self.object, by=self.request.user, **data)


class PlatformYearView(ServiceFormView):
    """Record a platform's figures of a year: a new year, or the blanks of one recorded filled in."""

    model = Platform
    form_class = PlatformYearForm
    editing = True
    title = _("Record a year's figures")
    list_url = "innovation:platforms"

    def get_initial(self):
        return {"year": timezone.localdate().year - 1}

    def perform(self, data):
        data = dict(data)
        year = data.pop("year")
        row, _created = services.record_platform_year(self.object, year, by=self.request.user, **data)
        return row
