"""Filters of research projects, shared by the list page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from zoneos.core.filters import IdFilter, WithinAreaFilter, search_q

from .models import Programme, ResearchProject, Status


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    programme = IdFilter(label=_("Programme"), field_name="programme_id")
    area = IdFilter(label=_("Area"), field_name="area_id")
    within = WithinAreaFilter()
    enterprise = IdFilter(label=_("Undertaking enterprise"), field_name="enterprise_id")
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=Status.choices)

    class Meta:
        model = ResearchProject
        fields = ["q", "programme", "area", "within", "enterprise", "status"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        fields = ["code", "title", "pi_name", "institution", "enterprise__name"]
        return queryset.filter(search_q(value, fields)) if value else queryset


class ProgrammeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    year = django_filters.NumberFilter(label=_("Year"), min_value=1900, max_value=2100, decimal_places=0)
    within = WithinAreaFilter()

    class Meta:
        model = Programme
        fields = ["q", "year", "within"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(search_q(value, ["code", "name"])) if value else queryset
