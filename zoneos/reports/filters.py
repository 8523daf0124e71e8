"""Filters of stored briefings, shared by the briefings page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from zoneos.core.filters import IdFilter, WithinAreaFilter

from .models import Briefing, BriefingFormat, BriefingSchedule, BriefingStatus


class BriefingFilter(django_filters.FilterSet):
    area = IdFilter(label=_("Area"), field_name="area_id")
    within = WithinAreaFilter()
    year = django_filters.NumberFilter(label=_("Year"), min_value=1949, max_value=2100)
    format = django_filters.ChoiceFilter(label=_("Format"), choices=BriefingFormat.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=BriefingStatus.choices)
    scheduled = django_filters.BooleanFilter(
        label=_("Scheduled"), field_name="schedule", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Briefing
        fields = ["area", "within", "year", "format", "status", "scheduled"]


class BriefingScheduleFilter(django_filters.FilterSet):
    area = IdFilter(label=_("Area"), field_name="area_id")
    within = WithinAreaFilter()
    active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = BriefingSchedule
        fields = ["area", "within", "active"]
