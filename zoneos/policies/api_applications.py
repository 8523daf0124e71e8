"""REST API of policy applications and money: applications with their steps (one POST action per step
of the table), payments and frozen trace; budgets per item and year with their ledger; the money
figures of an area and year."""

from __future__ import annotations

import django_filters.rest_framework as filters
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.response import Response

from zoneos.accounts.scoping import areas_for_roles, roles
from zoneos.core.api import ScopedRelatedField, ScopedViewSet, area_param
from zoneos.core.roles import Role
from zoneos.core.workflow import StepViewMixin
from zoneos.enterprises.models import Enterprise

from . import applications as services
from . import money
from .models import ApplicationStep, Budget, LedgerEntry, Payment, PolicyApplication, PolicyItem
from .money_figures import money_figures
from .review_parties import APPLYING_ROLES

# Who reads an area's money figures: the zone's staff (not enterprises, not a department's handlers).
FIGURE_ROLES = frozenset(Role) - {Role.ENTERPRISE, Role.HANDLER}


class StepSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True, allow_null=True)

    class Meta:
        model = ApplicationStep
        fields = ["kind", "from_status", "to_status", "opinion", "on", "by", "at"]


class PaymentSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True, allow_null=True)

    class Meta:
        model = Payment
        fields = ["id", "amount", "paid_on", "voucher", "on_time", "by", "at"]


WRITABLE = frozenset({"item", "enterprise", "year", "declared", "requested_amount"})


class ApplicationSerializer(serializers.ModelSerializer):
    item = ScopedRelatedField(queryset=PolicyItem.objects.all())
    item_code = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    enterprise = ScopedRelatedField(queryset=Enterprise.objects.all())
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    declared = serializers.JSONField(required=False)
    requested_amount = serializers.DecimalField(
        max_digits=18, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    outstanding = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    steps = StepSerializer(many=True, read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)

    class Meta:
        model = PolicyApplication
        fields = [
            "id",
            "item",
            "item_code",
            "item_name",
            "enterprise",
            "enterprise_name",
            "year",
            "status",
            "automatic",
            "declared",
            "requested_amount",
            "approved_amount",
            "paid_amount",
            "outstanding",
            "bank_name",
            "bank_account",
            "reason",
            "trace",
            "submitted_on",
            "publicity_days",
            "publicity_ends",
            "approved_on",
            "payment_due",
            "paid_on",
            "payment_working_days",
            "overdue",
            "allowed_actions",
            "steps",
            "payments",
        ]
        read_only_fields = [f for f in fields if f not in WRITABLE]
        # One live application per item, enterprise and year: the service answers 409 for a second.
        validators = []

    def get_overdue(self, obj) -> bool:
        """Approved, and not paid in full by the payment's due date."""
        return obj.overdue_on(timezone.localdate())

    def get_allowed_actions(self, obj) -> list[str]:
        """The steps the caller may take on the application now."""
        request = self.context.get("request")
        return services.APPLICATION_WORKFLOW.allowed(request.user, obj) if request else []

    def validate_declared(self, value):
        if not isinstance(value, dict):
            raise ValidationError(_("Give the declared facts as an object of names and values."))
        return value


class ApplicationFilter(filters.FilterSet):
    overdue = filters.BooleanFilter(method="filter_overdue", label="overdue")

    class Meta:
        model = PolicyApplication
        fields = ["item", "enterprise", "status", "year", "automatic"]

    def filter_overdue(self, queryset, name, value):
        q = money.overdue_q(timezone.localdate())
        return queryset.filter(q) if value else queryset.exclude(q)


class ApplicantPermission(IsAuthenticated):
    """Reads need a login; applying needs a role that applies for enterprises (or a superuser)."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request.method in SAFE_METHODS:
            return True
        return request.user.is_superuser or bool(roles(request.user) & (APPLYING_ROLES | {Role.ENTERPRISE}))


FIGURES = {
    "key": serializers.CharField(allow_null=True),
    "label": serializers.CharField(),
    "policies": serializers.IntegerField(),
    "items": serializers.IntegerField(),
    "enterprises_benefited": serializers.IntegerField(),
    "applications": serializers.IntegerField(),
    "approved_amount": serializers.DecimalField(max_digits=18, decimal_places=2),
    "paid_amount": serializers.DecimalField(max_digits=18, decimal_places=2),
    "payments_due": serializers.IntegerField(),
    "paid_on_time": serializers.IntegerField(),
    "overdue": serializers.IntegerField(),
    "on_time_rate": serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True),
    "median_days_to_payment": serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True),
}
MONEY_FIGURES = inline_serializer(
    name="PolicyMoneyFigures",
    fields={
        **FIGURES,
        "area": serializers.IntegerField(),
        "year": serializers.IntegerField(),
        "budget": inline_serializer(
            name="PolicyBudgetTotals",
            fields={
                "budgets": serializers.IntegerField(),
                "amount": serializers.DecimalField(max_digits=18, decimal_places=2),
                "committed": serializers.DecimalField(max_digits=18, decimal_places=2),
                "disbursed": serializers.DecimalField(max_digits=18, decimal_places=2),
                "left": serializers.DecimalField(max_digits=18, decimal_places=2),
            },
        ),
        "by_status": inline_serializer(
            name="PolicyApplicationStatusCount",
            fields={
                "status": serializers.CharField(),
                "label": serializers.CharField(),
                "count": serializers.IntegerField(),
            },
            many=True,
        ),
        "by_department": inline_serializer(name="PolicyMoneyByDepartment", fields=FIGURES, many=True),
        "by_category": inline_serializer(name="PolicyMoneyByCategory", fields=FIGURES, many=True),
    },
)


class PolicyApplicationViewSet(
    services.APPLICATION_WORKFLOW.api_actions(ApplicationSerializer), StepViewMixin, ScopedViewSet
):
    """惠企事项申报: applications of enterprises for policy items, reviewed step by step.

    Each step is a POST to `/api/v1/policy-applications/{id}/<step>/`: a step the state does not allow
    answers 409, a step the caller does not take 403. `allowed_actions` lists the caller's steps now;
    `trace` is the eligibility frozen at submission; `overdue=true` lists payments past their due date.
    Enterprise users see their own enterprise's applications, a department's handlers its items'."""

    queryset = PolicyApplication.objects.select_related(
        "item", "enterprise__area", "item__department__area"
    ).prefetch_related("steps__by", "payments__by")
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    http_method_names = ["get", "post", "head", "options"]
    workflow = services.APPLICATION_WORKFLOW

    def get_permissions(self):
        if self.action in self.workflow.action_names() or self.action == "figures":
            return [IsAuthenticated()]
        return [ApplicantPermission()]

    def create_record(self, data):
        return services.create_application(by=self.request.user, **data)

    @extend_schema(
        summary="Policy money figures of an area and year",
        parameters=[
            OpenApiParameter("area", OpenApiTypes.INT, description="An area in reach (default: the first)"),
            OpenApiParameter("year", OpenApiTypes.INT, description="The budget year (default: this year)"),
        ],
        responses={200: MONEY_FIGURES},
        filters=False,
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def figures(self, request):
        areas = areas_for_roles(request.user, FIGURE_ROLES)
        area = area_param(request, areas) or areas.order_by("depth", "path").first()
        if area is None:
            from django.http import Http404

            raise Http404
        raw = request.query_params.get("year", "")
        if raw and not (raw.isdigit() and 2000 <= int(raw) <= 2100):
            raise ValidationError({"year": [_("Give a year such as 2026.")]})
        year = int(raw) if raw else timezone.localdate().year
        return Response(money_figures(area, year))


class LedgerSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True, allow_null=True)

    class Meta:
        model = LedgerEntry
        fields = ["kind", "amount", "application", "on", "by", "at"]


class BudgetSerializer(serializers.ModelSerializer):
    item = ScopedRelatedField(queryset=PolicyItem.objects.all())
    item_code = serializers.CharField(source="item.code", read_only=True)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    amount = serializers.DecimalField(max_digits=18, decimal_places=2, min_value=0)
    left = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)
    ledger = LedgerSerializer(many=True, read_only=True)

    class Meta:
        model = Budget
        fields = [
            "id",
            "item",
            "item_code",
            "year",
            "amount",
            "committed",
            "disbursed",
            "left",
            "note",
            "ledger",
        ]
        read_only_fields = ["committed", "disbursed"]
        validators = []  # one budget per item and year: the service names `year`


class BudgetViewSet(ScopedViewSet):
    """Budgets of policy items per year, with their ledger: approvals commit, payments disburse."""

    queryset = Budget.objects.select_related("item").prefetch_related("ledger__by")
    serializer_class = BudgetSerializer
    filterset_fields = ["item", "year"]

    def create_record(self, data):
        return money.save_budget(by=self.request.user, **data)

    def update_record(self, instance, data):
        if (
            "item" in data
            and data["item"] != instance.item
            or "year" in data
            and data["year"] != instance.year
        ):
            raise ValidationError({"year": [_("A budget stays with its item and year; make another one.")]})
        return money.save_budget(
            by=self.request.user,
            item=instance.item,
            year=instance.year,
            amount=data.get("amount", instance.amount),
            note=data.get("note", instance.note),
            budget=instance,
        )

    def delete_record(self, instance):
        money.delete_budget(instance, by=self.request.user)
