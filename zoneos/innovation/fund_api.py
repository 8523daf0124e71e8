"""REST API of funds, their investments in enterprises and their exits (CRUD over the caller's scope, with
history). A fund reads with what it invested, exited and still holds (yuan); an investment with what was
exited from it and what remains. Shares and stakes are fractions from 0 to 1 with four decimals ("0.3500"
is 35 %); a request still naming the old percentage fields (`government_share_pct`, `stake_pct`) is
refused with the field named rather than have its value silently ignored. Thin: every write calls
`fund_services`, totals come from `figures`."""

from __future__ import annotations

from rest_framework import serializers

from zoneos.areas.models import Area
from zoneos.chains.models import Chain
from zoneos.core.api import ScopedRelatedField, ScopedViewSet
from zoneos.enterprises.models import Enterprise

from . import figures
from . import fund_services as services
from .filters import ExitFilter, FundFilter, InvestmentFilter
from .fund_models import Exit, Fund, Investment
from .platform_api import RenamedShares, share_field

MONEY = {"max_digits": 20, "decimal_places": 2, "read_only": True}


class FundSerializer(RenamedShares, serializers.ModelSerializer):
    renamed = {"government_share_pct": "government_share"}
    area = ScopedRelatedField(queryset=Area.objects.all())
    area_name = serializers.CharField(source="area.label", read_only=True)
    focus_chains = ScopedRelatedField(queryset=Chain.objects.all(), many=True, required=False)
    government_share = share_field("The government's share of the fund, a fraction: 0.35 is 35 %.")
    invested = serializers.DecimalField(**MONEY, help_text="The investments' cost, yuan.")
    exited = serializers.DecimalField(**MONEY, help_text="The cost exited, yuan.")
    remaining = serializers.DecimalField(**MONEY, help_text="Invested less exited, yuan.")
    proceeds = serializers.DecimalField(**MONEY, help_text="What the exits received, yuan.")
    investment_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Fund
        fields = [
            "id", "area", "area_name", "name", "kind", "size", "manager", "government_share",
            "focus_chains", "established_on", "notes", "invested", "exited", "remaining", "proceeds",
            "investment_count", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        validators = []  # a name once per area: the service names `name`


class FundViewSet(ScopedViewSet):
    """Industry and guidance funds: size and government share, manager, the chains they focus on, and
    their totals."""

    queryset = Fund.objects.order_by("area__path", "name", "pk")
    serializer_class = FundSerializer
    filterset_class = FundFilter

    def get_queryset(self):
        return figures.with_totals(super().get_queryset())

    def create_record(self, data):
        return services.create_fund(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_fund(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_fund(instance, by=self.request.user)


class InvestmentSerializer(RenamedShares, serializers.ModelSerializer):
    renamed = {"stake_pct": "stake"}
    fund = ScopedRelatedField(queryset=Fund.objects.all())
    fund_name = serializers.CharField(source="fund.name", read_only=True)
    enterprise = ScopedRelatedField(queryset=Enterprise.objects.all())
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    stake = share_field("The stake bought, a fraction: 0.35 is 35 %.")
    exited = serializers.DecimalField(**MONEY, help_text="The cost exited, yuan.")
    remaining = serializers.DecimalField(**MONEY, help_text="Amount less exited, yuan.")

    class Meta:
        model = Investment
        fields = [
            "id", "fund", "fund_name", "enterprise", "enterprise_name", "round", "amount", "invested_on",
            "stake", "exited", "remaining", "notes", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]


class InvestmentViewSet(ScopedViewSet):
    """A fund's investments in enterprises of the registry: round, amount (yuan), date, stake (a fraction)."""

    queryset = Investment.objects.order_by("fund", "-invested_on", "pk")
    serializer_class = InvestmentSerializer
    filterset_class = InvestmentFilter

    def get_queryset(self):
        return figures.investments_with_exits(super().get_queryset())

    def create_record(self, data):
        fund = data.pop("fund")
        return services.create_investment(fund, by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_investment(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_investment(instance, by=self.request.user)


class ExitSerializer(RenamedShares, serializers.ModelSerializer):
    renamed = {"stake_pct": "stake"}
    investment = ScopedRelatedField(queryset=Investment.objects.all())
    fund = serializers.PrimaryKeyRelatedField(source="investment.fund", read_only=True)
    enterprise_name = serializers.CharField(source="investment.enterprise.name", read_only=True)
    stake = share_field("The stake sold, a fraction: 0.35 is 35 %.")

    class Meta:
        model = Exit
        fields = [
            "id", "investment", "fund", "enterprise_name", "kind", "exited_on", "amount", "proceeds",
            "stake", "notes", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]


class ExitViewSet(ScopedViewSet):
    """Exits from a fund's investments: the cost taken back (`amount`, at most what is left), the proceeds
    and the stake sold."""

    queryset = Exit.objects.order_by("investment", "-exited_on", "pk")
    serializer_class = ExitSerializer
    filterset_class = ExitFilter

    def create_record(self, data):
        investment = data.pop("investment")
        return services.record_exit(investment, by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_exit(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_exit(instance, by=self.request.user)
