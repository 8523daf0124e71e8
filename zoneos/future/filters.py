"""Filters of future industries, shared by the list pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from zoneos.core.filters import IdFilter, WithinAreaFilter, search_q

from .models import Board, FutureIndustry, Proof, Scenario, ScenarioStatus
from .ten_ones import ITEM_CHOICES


class IndustryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    area = IdFilter(label=_("Area"), field_name="area_id")

    class Meta:
        model = FutureIndustry
        fields = ["q", "area"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(search_q(value, ["code", "name", "name_en"])) if value else queryset


class BoardFilter(django_filters.FilterSet):
    area = IdFilter(label=_("Zone"), field_name="area_id")
    within = WithinAreaFilter()
    industry = IdFilter(label=_("Future industry"), field_name="industry_id")

    class Meta:
        model = Board
        fields = ["area", "within", "industry"]


class ProofFilter(django_filters.FilterSet):
    board = IdFilter(label=_("Board"), field_name="board_id")
    item = django_filters.ChoiceFilter(label=_("Item"), choices=ITEM_CHOICES)

    class Meta:
        model = Proof
        fields = ["board", "item", "kind"]


class ScenarioFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    area = IdFilter(label=_("Area"), field_name="area_id")
    within = WithinAreaFilter()
    industry = IdFilter(label=_("Future industry"), field_name="industry_id")
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=ScenarioStatus.choices)
    owner_enterprise = IdFilter(label=_("Owner (enterprise)"), field_name="owner_enterprise_id")

    class Meta:
        model = Scenario
        fields = ["q", "area", "within", "industry", "status", "owner_enterprise"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(search_q(value, ["title", "technology_sought"])) if value else queryset
