"""Filters of the calendar's exception days (the API's `?year=` and `?kind=`)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import FIRST_YEAR, LAST_YEAR, CalendarDay, DayKind


class CalendarDayFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(
        label=_("Year"),
        field_name="date",
        lookup_expr="year",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        decimal_places=0,
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DayKind.choices)

    class Meta:
        model = CalendarDay
        fields = ["year", "kind"]
