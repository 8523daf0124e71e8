"""REST API of the whitelist: entities (document numbers masked for whoever need not see them),
applications with their items, balances and steps (one POST action per step of the table), items,
movements (refused beyond the approved quantity: 409 naming the field and the item), the customs
sheet of an application and the warnings. Thin: every write calls `services` or the workflow."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from zoneos.accounts.scoping import memberships, visible_areas
from zoneos.areas.models import Area
from zoneos.core.api import ScopedRelatedField, ScopedViewSet, WriteRolePermission, area_param
from zoneos.core.roles import Role
from zoneos.core.workflow import StepViewMixin
from zoneos.enterprises.models import Enterprise

from . import customs, services, warnings
from .models import ApplicationStep, Entity, Item, Movement, WhitelistApplication
from .parties import may_see_document
from .workflow import APPLICATION_WORKFLOW, step_label

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
QUANTITY = {"max_digits": 14, "decimal_places": 3}
_AMOUNT = serializers.DecimalField(**QUANTITY)


class KeeperPermission(WriteRolePermission):
    """Reads need a login; writes a role that applies for enterprises, or the enterprise's own user."""

    def has_permission(self, request, view):
        if super().has_permission(request, view):
            return True
        if not request.user or not request.user.is_authenticated:
            return False
        return any(m.enterprise_id and m.role == Role.ENTERPRISE for m in memberships(request.user))


class WhitelistEntitySerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(queryset=Area.objects.all(), required=False)
    area_name = serializers.CharField(source="area.label", read_only=True)
    enterprise = ScopedRelatedField(queryset=Enterprise.objects.all(), required=False, allow_null=True)
    enterprise_name = serializers.CharField(
        source="enterprise.name", read_only=True, default=None, allow_null=True
    )
    id_number = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text="In full for those who keep the entity (its area's applying staff, the enterprise's "
        "users); masked (all but the first and last two characters) for everyone else.",
    )

    class Meta:
        model = Entity
        fields = [
            "id", "area", "area_name", "enterprise", "enterprise_name", "kind", "name", "name_en", "region",
            "affiliation", "id_type", "id_number", "notes", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not may_see_document(request.user, instance):
            data["id_number"] = instance.id_masked
        return data


class WhitelistStepSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True, allow_null=True, default=None)
    label = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationStep
        fields = ["kind", "label", "from_status", "to_status", "opinion", "on", "by", "at"]

    def get_label(self, obj) -> str:
        return step_label(obj.kind)


class WhitelistItemSerializer(serializers.ModelSerializer):
    application = ScopedRelatedField(queryset=WhitelistApplication.objects.all())
    quantity = serializers.DecimalField(**QUANTITY, min_value=0)
    value = serializers.DecimalField(
        max_digits=18, decimal_places=2, min_value=0, required=False, allow_null=True, help_text="Yuan."
    )
    hs_code = serializers.CharField(
        max_length=12, help_text="China's customs commodity code: 10 digits (8 accepted)."
    )
    approved_quantity = serializers.DecimalField(**QUANTITY, read_only=True, allow_null=True)
    imported = serializers.DecimalField(**QUANTITY, read_only=True, default=0, help_text="In, in all.")
    exported = serializers.DecimalField(**QUANTITY, read_only=True, default=0, help_text="Out, in all.")
    in_zone = serializers.SerializerMethodField()

    class Meta:
        model = Item
        fields = [
            "id", "application", "category", "name", "hs_code", "specification", "quantity", "unit", "value",
            "origin", "purpose", "approved_quantity", "imported", "exported", "in_zone", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        annotate = {"imported": lambda: services._sum("in"), "exported": lambda: services._sum("out")}

    @extend_schema_field(serializers.DecimalField(**QUANTITY))
    def get_in_zone(self, obj) -> str:
        """In minus out: what of the item is in the zone now."""
        if getattr(obj, "imported", None) is None:
            return _AMOUNT.to_representation(services.balance(obj).in_zone)
        return _AMOUNT.to_representation(obj.imported - obj.exported)


class WhitelistApplicationSerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(queryset=Area.objects.all(), required=False)
    area_name = serializers.CharField(source="area.label", read_only=True)
    enterprise = ScopedRelatedField(queryset=Enterprise.objects.all())
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    entities = ScopedRelatedField(queryset=Entity.objects.all(), many=True, required=False)
    items = WhitelistItemSerializer(many=True, read_only=True)
    steps = WhitelistStepSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()
    expiring = serializers.SerializerMethodField()

    class Meta:
        model = WhitelistApplication
        fields = [
            "id", "area", "area_name", "enterprise", "enterprise_name", "project", "period_from", "period_to",
            "entities", "status", "submitted_on", "customs_reference", "approval_number", "valid_from",
            "valid_to", "expiring", "reason", "notes", "items", "steps", "allowed_actions", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "status", "submitted_on", "customs_reference", "approval_number", "valid_from", "valid_to",
            "reason", "created_at", "updated_at",
        ]  # fmt: skip
        prefetch_related = [
            Prefetch("items", queryset=services.with_balances(Item.objects.order_by("pk"))),
            Prefetch("steps", queryset=ApplicationStep.objects.select_related("by")),
        ]

    def get_allowed_actions(self, obj) -> list[str]:
        """The steps the caller may take on the application now."""
        request = self.context.get("request")
        return APPLICATION_WORKFLOW.allowed(request.user, obj) if request else []

    def get_expiring(self, obj) -> bool:
        """Approved, and its validity ends within 30 days."""
        today = timezone.localdate()
        return bool(
            obj.status == "approved"
            and obj.valid_to
            and 0 <= (obj.valid_to - today).days <= warnings.EXPIRING_DAYS
        )


class WhitelistMovementSerializer(serializers.ModelSerializer):
    item = ScopedRelatedField(queryset=Item.objects.all())
    item_name = serializers.CharField(source="item.name", read_only=True)
    application = serializers.SerializerMethodField()
    on = serializers.DateField(required=False, help_text="The day it crossed (default today).")
    quantity = serializers.DecimalField(**QUANTITY, min_value=0)
    by = serializers.CharField(source="by.username", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Movement
        fields = [
            "id",
            "item",
            "item_name",
            "application",
            "direction",
            "on",
            "quantity",
            "reference",
            "by",
            "created_at",
        ]
        read_only_fields = ["created_at"]
        select_related = ["item"]

    def get_application(self, obj) -> int:
        return obj.item.application_id


class EntityViewSet(ScopedViewSet):
    """Researchers and institutions (Hong Kong, Macao, foreign) on the whitelist of a zone or park."""

    permission_classes = [KeeperPermission]
    queryset = Entity.objects.select_related("area").order_by("area__path", "name", "pk")
    serializer_class = WhitelistEntitySerializer
    filterset_fields = ["area", "enterprise", "kind", "region"]

    def create_record(self, data):
        return services.create_entity(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_entity(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_entity(instance, by=self.request.user)


WARNINGS = inline_serializer(
    "WhitelistWarnings",
    {
        "on": serializers.DateField(),
        "expiring": inline_serializer(
            "WhitelistExpiring",
            {
                "application": serializers.IntegerField(),
                "enterprise_name": serializers.CharField(),
                "approval_number": serializers.CharField(),
                "valid_to": serializers.DateField(),
                "days_left": serializers.IntegerField(),
            },
            many=True,
        ),
        "holding": inline_serializer(
            "WhitelistHolding",
            {
                "application": serializers.IntegerField(),
                "item": serializers.IntegerField(),
                "item_name": serializers.CharField(),
                "valid_to": serializers.DateField(),
                "in_zone": serializers.DecimalField(**QUANTITY),
                "unit": serializers.CharField(),
            },
            many=True,
        ),
        "refused": inline_serializer(
            "WhitelistRefused",
            {
                "application": serializers.IntegerField(),
                "item": serializers.IntegerField(),
                "direction": serializers.CharField(),
                "on": serializers.DateField(),
                "quantity": serializers.DecimalField(**QUANTITY),
                "reason": serializers.CharField(),
                "by": serializers.CharField(allow_null=True),
                "at": serializers.DateTimeField(),
            },
            many=True,
        ),
    },
)


def warnings_json(result: dict) -> dict:
    today = result["on"]
    date = serializers.DateTimeField()
    return {
        "on": today.isoformat(),
        "expiring": [
            {
                "application": a.pk,
                "enterprise_name": a.enterprise.name,
                "approval_number": a.approval_number,
                "valid_to": a.valid_to.isoformat(),
                "days_left": (a.valid_to - today).days,
            }
            for a in result["expiring"]
        ],
        "holding": [
            {
                "application": i.application_id,
                "item": i.pk,
                "item_name": i.name,
                "valid_to": i.application.valid_to.isoformat(),
                "in_zone": _AMOUNT.to_representation(i.in_zone),
                "unit": i.unit,
            }
            for i in result["holding"]
        ],
        "refused": [
            {
                "application": r.item.application_id,
                "item": r.item_id,
                "direction": r.direction,
                "on": r.on.isoformat(),
                "quantity": _AMOUNT.to_representation(r.quantity),
                "reason": r.reason,
                "by": r.by.username if r.by else None,
                "at": date.to_representation(r.at),
            }
            for r in result["refused"]
        ],
    }


class ApplicationViewSet(
    APPLICATION_WORKFLOW.api_actions(WhitelistApplicationSerializer), StepViewMixin, ScopedViewSet
):
    """白名单申请: an enterprise's or institution's application for its researchers and goods.

    Each step is a POST to `/api/v1/whitelist-applications/{id}/<step>/`: a step the state does not allow
    answers 409, a step the caller does not take 403. `allowed_actions` lists the caller's steps now.
    Items and researchers change while the application is a draft or returned (409 afterwards)."""

    permission_classes = [KeeperPermission]
    queryset = WhitelistApplication.objects.select_related("area", "enterprise").order_by(
        "-created_at", "-pk"
    )
    serializer_class = WhitelistApplicationSerializer
    filterset_fields = ["area", "enterprise", "status"]
    workflow = APPLICATION_WORKFLOW

    def get_permissions(self):
        if self.action in self.workflow.action_names() or self.action in ("customs", "warnings"):
            return [IsAuthenticated()]
        return super().get_permissions()

    def create_record(self, data):
        return services.create_application(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_application(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_application(instance, by=self.request.user)

    @extend_schema(
        summary="The sheet for customs (xlsx)",
        description=(
            "One row per item in the fields customs asks for: applicant, USCC, item name, HS code, "
            "specification, quantity, unit, value (yuan), origin, purpose, project and period (the "
            "approved validity, else the period applied for). Headers in the caller's language."
        ),
        responses={(200, XLSX): OpenApiTypes.BINARY},
        filters=False,
    )
    @action(detail=True, methods=["get"], url_path="customs-sheet", filter_backends=[])
    def customs(self, request, pk=None):
        return customs.sheet(self.get_object(), request)

    @extend_schema(
        summary="Whitelist warnings",
        description=(
            f"Approvals ending within {warnings.EXPIRING_DAYS} days, items of ended approvals with goods "
            f"still in the zone, and movements refused in the last {warnings.REFUSALS_SHOWN_DAYS} days; of "
            "the applications the caller sees (in `area`'s subtree when given)."
        ),
        parameters=[OpenApiParameter("area", OpenApiTypes.INT, description="An area's subtree.")],
        responses={200: WARNINGS},
        filters=False,
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def warnings(self, request):
        area = area_param(request, visible_areas(request.user))
        return Response(warnings_json(warnings.found(request.user, area=area)))


class ItemViewSet(ScopedViewSet):
    """Items of an application: category, HS code, quantity and unit, value in yuan, purpose; with what
    customs approved and the balance (in, out, in the zone)."""

    permission_classes = [KeeperPermission]
    queryset = Item.objects.order_by("application", "pk")
    serializer_class = WhitelistItemSerializer
    filterset_fields = ["application", "category", "hs_code"]

    def create_record(self, data):
        application = data.pop("application")
        return services.create_item(application, by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_item(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_item(instance, by=self.request.user)


class MovementViewSet(ScopedViewSet):
    """Goods crossing in or out. Refused (409, `{"detail", "field", "item"}`, nothing written) when the
    application is not approved, the day is outside its validity (in: from `valid_from` to `valid_to`;
    out: from `valid_from` on), the imported total would exceed the approved quantity, or more would go
    out than is in the zone. Movements are facts: never changed or deleted."""

    permission_classes = [KeeperPermission]
    queryset = Movement.objects.select_related("by").order_by("item", "on", "pk")
    serializer_class = WhitelistMovementSerializer
    filterset_fields = ["item", "direction", "item__application"]
    http_method_names = ["get", "post", "head", "options"]

    def create_record(self, data):
        item = data.pop("item")
        return services.record_movement(item, by=self.request.user, **data)
