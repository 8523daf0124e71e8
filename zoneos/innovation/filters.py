"""Filters of platforms, talents and funds, shared by the list pages and the API."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zoneos.core.filters import IdFilter, WithinAreaFilter, search_q

from .fund_models import Exit, Fund, FundKind, Investment, Round
from .platform_models import EXPIRING_DAYS, Platform, PlatformKind, PlatformLevel, PlatformYear
from .talent_models import ServiceKind, Talent, TalentCategory, TalentService, TalentTeam, TeamLevel


class _Search(django_filters.FilterSet):
    """A search over `search_fields`; a choice left at "any" (an empty value, as the pages' selects send
    it) filters nothing rather than making the whole filter invalid."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    search_fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and hasattr(data, "getlist"):
            data = data.copy()
            for key in list(data.keys()):
                data.setlist(key, [v for v in data.getlist(key) if v != ""])
        super().__init__(data, *args, **kwargs)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(search_q(value, self.search_fields)) if value else queryset


class PlatformFilter(_Search):
    search_fields = ["name", "host_name", "host_enterprise__name"]
    area = IdFilter(label=_("Area"), field_name="area_id")
    within = WithinAreaFilter()
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=PlatformKind.choices)
    level = django_filters.MultipleChoiceFilter(label=_("Level"), choices=PlatformLevel.choices)
    host_enterprise = IdFilter(label=_("Host enterprise"), field_name="host_enterprise_id")
    expiring = django_filters.BooleanFilter(
        label=_("Recognition ends within 90 days"), method="filter_expiring"
    )

    class Meta:
        model = Platform
        fields = ["q", "area", "within", "kind", "level", "host_enterprise", "expiring"]

    def filter_expiring(self, queryset, name, value):
        expiring = Platform.objects.expiring(timezone.localdate(), EXPIRING_DAYS).values("pk")
        return queryset.filter(pk__in=expiring) if value else queryset.exclude(pk__in=expiring)


class PlatformYearFilter(django_filters.FilterSet):
    platform = IdFilter(label=_("Platform"), field_name="platform_id")
    year = django_filters.NumberFilter(label=_("Year"), min_value=1990, max_value=2100)

    class Meta:
        model = PlatformYear
        fields = ["platform", "year"]


class TalentFilter(_Search):
    search_fields = ["name", "enterprise__name", "field"]
    enterprise = IdFilter(label=_("Enterprise"), field_name="enterprise_id")
    team = IdFilter(label=_("Team"), field_name="team_id")
    within = WithinAreaFilter()
    category = django_filters.MultipleChoiceFilter(label=_("Category"), choices=TalentCategory.choices)

    class Meta:
        model = Talent
        fields = ["q", "enterprise", "team", "within", "category"]


class TalentTeamFilter(_Search):
    search_fields = ["name", "enterprise__name", "leader"]
    enterprise = IdFilter(label=_("Enterprise"), field_name="enterprise_id")
    within = WithinAreaFilter()
    level = django_filters.MultipleChoiceFilter(label=_("Level"), choices=TeamLevel.choices)

    class Meta:
        model = TalentTeam
        fields = ["q", "enterprise", "within", "level"]


class TalentServiceFilter(django_filters.FilterSet):
    talent = IdFilter(label=_("Talent"), field_name="talent_id")
    team = IdFilter(label=_("Team"), field_name="team_id")
    enterprise = IdFilter(label=_("Enterprise"), field_name="enterprise_id")
    kind = django_filters.MultipleChoiceFilter(label=_("Service"), choices=ServiceKind.choices)

    class Meta:
        model = TalentService
        fields = ["talent", "team", "enterprise", "kind"]


class FundFilter(_Search):
    search_fields = ["name", "manager"]
    area = IdFilter(label=_("Area"), field_name="area_id")
    within = WithinAreaFilter()
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=FundKind.choices)
    chain = IdFilter(label=_("Focus chain"), field_name="focus_chains")

    class Meta:
        model = Fund
        fields = ["q", "area", "within", "kind", "chain"]


class InvestmentFilter(django_filters.FilterSet):
    fund = IdFilter(label=_("Fund"), field_name="fund_id")
    enterprise = IdFilter(label=_("Enterprise"), field_name="enterprise_id")
    round = django_filters.MultipleChoiceFilter(label=_("Round"), choices=Round.choices)

    class Meta:
        model = Investment
        fields = ["fund", "enterprise", "round"]


class ExitFilter(django_filters.FilterSet):
    investment = IdFilter(label=_("Investment"), field_name="investment_id")
    fund = IdFilter(label=_("Fund"), field_name="investment__fund_id")

    class Meta:
        model = Exit
        fields = ["investment", "fund"]
