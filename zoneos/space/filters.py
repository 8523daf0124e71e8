"""Filters of space, shared by the list pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from zoneos.core.filters import IdFilter, WithinAreaFilter, search_q

from .measures import m2_from_mu
from .models import (
    Building,
    BuildingKind,
    LandUse,
    Lease,
    Parcel,
    ParcelStatus,
    Renovation,
    RenovationPurpose,
    Unit,
)


class ParcelFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    area = IdFilter(label=_("Park"), field_name="area_id")
    within = WithinAreaFilter()
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=ParcelStatus.choices)
    land_use = django_filters.MultipleChoiceFilter(label=_("Land use"), choices=LandUse.choices)
    min_mu = django_filters.NumberFilter(
        label=_("At least (mu)"), method="filter_min_mu", min_value=0, max_value=1_000_000
    )
    project = IdFilter(label=_("Supplied to project"), field_name="project_id")

    class Meta:
        model = Parcel
        fields = ["q", "area", "within", "status", "land_use", "min_mu", "project"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(search_q(value, ["code", "name"])) if value else queryset

    def filter_min_mu(self, queryset, name, value):
        # The same conversion as the stored areas: "50 亩" finds a parcel recorded as 50 亩.
        return queryset.filter(area_m2__gte=m2_from_mu(value))


class BuildingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    area = IdFilter(label=_("Park"), field_name="area_id")
    within = WithinAreaFilter()
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=BuildingKind.choices)
    parcel = IdFilter(label=_("Parcel"), field_name="parcel_id")

    class Meta:
        model = Building
        fields = ["q", "area", "within", "kind", "parcel"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(search_q(value, ["code", "name"])) if value else queryset


class UnitFilter(django_filters.FilterSet):
    building = IdFilter(label=_("Building"), field_name="building_id")
    within = WithinAreaFilter()

    class Meta:
        model = Unit
        fields = ["building", "within"]


class LeaseFilter(django_filters.FilterSet):
    unit = IdFilter(label=_("Unit"), field_name="unit_id")
    building = IdFilter(label=_("Building"), field_name="unit__building_id")
    tenant = IdFilter(label=_("Tenant"), field_name="tenant_id")
    within = WithinAreaFilter()

    class Meta:
        model = Lease
        fields = ["unit", "building", "tenant", "within"]


class RenovationFilter(django_filters.FilterSet):
    building = IdFilter(label=_("Building"), field_name="building_id")
    key_project = IdFilter(label=_("Key project"), field_name="key_project_id")
    year = django_filters.NumberFilter(label=_("Year"), field_name="key_project__year")
    purpose = django_filters.MultipleChoiceFilter(label=_("Purpose"), choices=RenovationPurpose.choices)
    within = WithinAreaFilter()

    class Meta:
        model = Renovation
        fields = ["building", "key_project", "year", "purpose", "within"]
