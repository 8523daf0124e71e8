import django_filters
from django.utils.translation import gettext_lazy as _

from zoneos.core.filters import IdFilter, WithinAreaFilter, search_q

from .models import Area, AreaKind, Department


class AreaFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=AreaKind.choices)
    parent = IdFilter(label=_("Parent"), field_name="parent_id")
    within = WithinAreaFilter()

    class Meta:
        model = Area
        fields = ["q", "kind", "parent", "within"]

    def search(self, queryset, name, value):
        return queryset.filter(search_q(value, ["name", "name_en", "code", "aliases"]))


class DepartmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    area = IdFilter(label=_("Area"), field_name="area_id")
    within = WithinAreaFilter()

    class Meta:
        model = Department
        fields = ["q", "area", "within"]

    def search(self, queryset, name, value):
        return queryset.filter(search_q(value, ["name", "name_en"]))
