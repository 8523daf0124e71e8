"""Filters of appeals, shared by the queue pages, the API and the export."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zoneos.core.filters import IdFilter, WithinAreaFilter

from .models import Appeal, Category, Channel, Rating, Status, Visit


class AppealFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    within = WithinAreaFilter()
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=Status.choices)
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices)
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    department = IdFilter(label=_("Department"), field_name="department_id")
    enterprise = IdFilter(label=_("Enterprise"), field_name="enterprise_id")
    symposium = IdFilter(label=_("Symposium"), field_name="symposium_id")
    rating = django_filters.ChoiceFilter(label=_("Rating"), choices=Rating.choices)
    overdue = django_filters.BooleanFilter(label=_("Overdue"))
    urged = django_filters.BooleanFilter(label=_("Urged"))
    supervised = django_filters.BooleanFilter(label=_("Supervised"))
    open = django_filters.BooleanFilter(label=_("Open"), method="filter_open")
    received_from = django_filters.DateFilter(
        label=_("Received from"), field_name="received_at", lookup_expr="date__gte"
    )
    received_to = django_filters.DateFilter(
        label=_("Received until"), field_name="received_at", lookup_expr="date__lte"
    )

    class Meta:
        model = Appeal
        fields = [
            "q",
            "within",
            "status",
            "category",
            "channel",
            "department",
            "enterprise",
            "symposium",
            "rating",
            "overdue",
            "urged",
            "supervised",
            "open",
            "received_from",
            "received_to",
        ]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(enterprise__name__icontains=value))

    def filter_open(self, queryset, name, value):
        return queryset.exclude(status=Status.CLOSED) if value else queryset.filter(status=Status.CLOSED)


class VisitFilter(django_filters.FilterSet):
    enterprise = IdFilter(label=_("Enterprise"), field_name="enterprise_id")
    officer = IdFilter(label=_("Officer"), field_name="officer_id")
    visited_from = django_filters.DateFilter(
        label=_("Visited from"), field_name="visited_on", lookup_expr="gte"
    )
    visited_to = django_filters.DateFilter(
        label=_("Visited until"), field_name="visited_on", lookup_expr="lte"
    )

    class Meta:
        model = Visit
        fields = ["enterprise", "officer", "visited_from", "visited_to"]
