"""Filters of the registry, shared by the list page, the API and exports.

Each receives the records its view has already scoped to the user (`scope(..., VIEW)`), and says
nothing twice that the scope says: PostgreSQL multiplies the selectivities of two identical
conditions, expects a fraction of the rows and plans for that fraction.
"""

import datetime

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import view_paths
from zoneos.areas.models import Area, subtree_q
from zoneos.core import industries
from zoneos.core.codes import normalise_uscc
from zoneos.core.filters import IdFilter, WithinAreaFilter

from .models import CapitalOrigin, Enterprise, Indicator, Label, LabelKind, SizeClass, Status


def search(queryset, value: str):
    """Name (Chinese or English) contains, pinyin or initials contain (`xpqc`), or USCC prefix."""
    value = value.strip()
    if not value:
        return queryset
    condition = Q(name__icontains=value) | Q(name_en__icontains=value) | Q(short_name__icontains=value)
    key = "".join(value.split()).lower()
    if key.isascii() and key.isalnum():
        condition |= Q(name_initials__contains=key) | Q(name_pinyin__contains=key)
        condition |= Q(uscc__startswith=normalise_uscc(value))
    return queryset.filter(condition)


def within(filterset, queryset, value):
    """`?within=<area id>` on scoped records: the area's subtree, unless the user's whole view lies in
    it already (a statistician naming their own zone), when the scope has said it."""
    area = Area.objects.filter(pk=value).only("path").first()
    if area is None:
        return queryset.none()
    request = filterset.request
    paths = view_paths(request.user, queryset.model) if request is not None else None
    if paths and all(path.startswith(area.path) for path in paths):
        return queryset
    return queryset.filter(subtree_q(queryset.model, area))


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    uscc = django_filters.CharFilter(label=_("USCC starts with"), method="filter_uscc")
    area = IdFilter(label=_("Area"), field_name="area_id")
    within = WithinAreaFilter(method="filter_within")
    industry_section = django_filters.ChoiceFilter(
        label=_("Industry section"), choices=industries.SectionChoices()
    )
    industry_division = django_filters.CharFilter(
        label=_("Industry division (two digits)"), method="filter_division", max_length=2
    )
    label = django_filters.ChoiceFilter(
        label=_("Label (valid today)"), choices=LabelKind.choices, method="filter_label"
    )
    capital_origin = django_filters.ChoiceFilter(label=_("Capital origin"), choices=CapitalOrigin.choices)
    size_class = django_filters.ChoiceFilter(label=_("Size class"), choices=SizeClass.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)

    class Meta:
        model = Enterprise
        fields = [
            "q",
            "uscc",
            "area",
            "within",
            "industry_section",
            "industry_division",
            "label",
            "capital_origin",
            "size_class",
            "status",
        ]

    def filter_q(self, queryset, name, value):
        return search(queryset, value)

    def filter_within(self, queryset, name, value):
        return within(self, queryset, value)

    def filter_uscc(self, queryset, name, value):
        return queryset.filter(uscc__startswith=normalise_uscc(value))

    def filter_division(self, queryset, name, value: str):
        return queryset.filter(industry_code__startswith=value) if value.isdigit() else queryset.none()

    def filter_label(self, queryset, name, value):
        today = datetime.date.today()
        valid = Label.objects.filter(enterprise=OuterRef("pk"), kind=value, valid_from__lte=today).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=today)
        )
        return queryset.filter(Exists(valid))


class IndicatorFilter(django_filters.FilterSet):
    enterprise = IdFilter(label=_("Enterprise"), field_name="enterprise_id")
    year = django_filters.NumberFilter(label=_("Year"), min_value=1949, max_value=2100)
    within = WithinAreaFilter(method="filter_within")
    above_designated_size = django_filters.BooleanFilter(label=_("Above designated size"))

    class Meta:
        model = Indicator
        fields = ["enterprise", "year", "within", "above_designated_size"]

    def filter_within(self, queryset, name, value):
        return within(self, queryset, value)


class LabelFilter(django_filters.FilterSet):
    enterprise = IdFilter(label=_("Enterprise"), field_name="enterprise_id")
    kind = django_filters.ChoiceFilter(label=_("Label"), choices=LabelKind.choices)

    class Meta:
        model = Label
        fields = ["enterprise", "kind"]
