"""Filters of the pipeline, shared by the list page, the board, the API and exports."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zoneos.core import industries
from zoneos.core.filters import IdFilter, WithinAreaFilter
from zoneos.enterprises.models import CapitalOrigin

from .models import ConflictStatus, FollowUp, InvestorConflict, Project, ProjectSource
from .services import today
from .stages import StageCategory


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    area = IdFilter(label=_("Area"), field_name="area_id")
    within = WithinAreaFilter()
    stage = django_filters.MultipleChoiceFilter(label=_("Stage"), choices=StageCategory.choices)
    owner = IdFilter(label=_("Investment officer"), field_name="owner_id")
    source = django_filters.ChoiceFilter(label=_("Project source"), choices=ProjectSource.choices)
    capital_origin = django_filters.ChoiceFilter(label=_("Capital origin"), choices=CapitalOrigin.choices)
    industry_section = django_filters.ChoiceFilter(
        label=_("Industry section"), choices=industries.SectionChoices()
    )
    min_investment = django_filters.NumberFilter(
        label=_("Total investment at least (yuan)"),
        field_name="total_investment",
        lookup_expr="gte",
        min_value=0,
    )
    lead_from = django_filters.DateFilter(label=_("Lead since"), field_name="lead_on", lookup_expr="gte")
    lead_to = django_filters.DateFilter(label=_("Lead until"), field_name="lead_on", lookup_expr="lte")
    conforms = django_filters.BooleanFilter(
        label=_("Fits the industrial plan"), field_name="plan_group", lookup_expr="isnull", exclude=True
    )
    flagged = django_filters.BooleanFilter(label=_("Open conflict"))

    class Meta:
        model = Project
        fields = [
            "q",
            "area",
            "within",
            "stage",
            "owner",
            "source",
            "capital_origin",
            "industry_section",
            "min_investment",
            "lead_from",
            "lead_to",
            "conforms",
            "flagged",
        ]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(investor_name__icontains=value)
            | Q(investor_uscc__startswith=value.upper())
            | Q(code__startswith=value)
        )


class FollowUpFilter(django_filters.FilterSet):
    project = IdFilter(label=_("Project"), field_name="project_id")
    overdue = django_filters.BooleanFilter(label=_("Next action overdue"), method="filter_overdue")

    class Meta:
        model = FollowUp
        fields = ["project", "kind", "overdue"]

    def filter_overdue(self, queryset, name, value):
        overdue = Q(next_action_done=False, next_action_on__lt=today())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class ConflictFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ConflictStatus.choices)

    class Meta:
        model = InvestorConflict
        fields = ["status"]
