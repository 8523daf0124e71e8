"""REST API of the service desk: appeals and their steps, symposia, visits, routing rules, deadline
policies, and the desk's figures. Thin: every write is a call to `services`."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.response import Response

from zoneos.accounts.scoping import roles
from zoneos.areas.models import Area, Department
from zoneos.core.api import ScopedRelatedField, ScopedViewSet
from zoneos.core.rest import DownloadURL, FormParser, MultiPartParser, ReadListSerializer
from zoneos.core.workflow import StepViewMixin
from zoneos.enterprises.models import Enterprise

from . import services, stats
from .filters import AppealFilter, VisitFilter
from .models import (
    Appeal,
    AppealEvent,
    Attachment,
    Category,
    Channel,
    Rating,
    RoutingRule,
    SlaPolicy,
    SlaRule,
    Symposium,
    Visit,
)


class AppealEventSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True, allow_null=True)

    class Meta:
        model = AppealEvent
        fields = ["kind", "from_status", "to_status", "note", "data", "by", "at"]
        list_serializer_class = ReadListSerializer


class AttachmentSerializer(serializers.ModelSerializer):
    url = DownloadURL()

    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "url", "uploaded_at"]
        list_serializer_class = ReadListSerializer


class AppealSerializer(serializers.ModelSerializer):
    enterprise = ScopedRelatedField(queryset=Enterprise.objects.all())
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, default=Channel.ONLINE)
    category = serializers.ChoiceField(choices=Category.choices)
    received_at = serializers.DateTimeField(required=False, allow_null=True)
    symposium = ScopedRelatedField(queryset=Symposium.objects.all(), required=False, allow_null=True)
    visit = ScopedRelatedField(queryset=Visit.objects.all(), required=False, allow_null=True)
    submitter = serializers.CharField(source="submitter.username", read_only=True, allow_null=True)
    department_name = serializers.CharField(source="department.name", read_only=True, allow_null=True)
    handler = serializers.CharField(source="handler.username", read_only=True, allow_null=True)
    rating = serializers.ChoiceField(choices=Rating.choices, allow_blank=True, read_only=True)  # "": none yet
    events = AppealEventSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Appeal
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "area",
            "submitter",
            "contact_name",
            "contact_phone",
            "latitude",
            "longitude",
            "address",
            "channel",
            "category",
            "title",
            "description",
            "received_at",
            "symposium",
            "visit",
            "status",
            "department",
            "department_name",
            "handler",
            "assigned_at",
            "signed_at",
            "sign_for_hours",
            "reply_days",
            "sign_for_due",
            "reply_due",
            "deadline_provisional",
            "extension_days",
            "extension_reason",
            "paused_at",
            "reply",
            "replied_at",
            "replied_on_time",
            "rating",
            "rating_comment",
            "evaluated_at",
            "closed_at",
            "reopen_count",
            "overdue",
            "urged",
            "urge_count",
            "supervised",
            "escalation",
            "attachments",
            "events",
            "actions",
        ]
        read_only_fields = [
            f
            for f in fields
            if f
            not in {
                "enterprise",
                "channel",
                "category",
                "title",
                "description",
                "received_at",
                "symposium",
                "visit",
                "contact_name",
                "contact_phone",
                "latitude",
                "longitude",
                "address",
            }
        ]
        extra_kwargs = {"title": {"max_length": 200}}
        list_serializer_class = ReadListSerializer

    def get_actions(self, obj) -> list[str]:
        request = self.context.get("request")
        return services.allowed_actions(request.user, obj) if request else []


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()


FIGURES = {
    "key": serializers.CharField(allow_null=True),
    "label": serializers.CharField(),
    "total": serializers.IntegerField(),
    "open": serializers.IntegerField(),
    "overdue": serializers.IntegerField(),
    "replied": serializers.IntegerField(),
    "on_time": serializers.IntegerField(),
    "on_time_rate": serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True),
    "median_reply_days": serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True),
    "rated": serializers.IntegerField(),
    "satisfied": serializers.IntegerField(),
    "satisfaction_rate": serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True),
}
# A department's figures are keyed by its id (null: appeals not routed yet); a category's by its code.
DEPARTMENT = {"key": serializers.IntegerField(allow_null=True)}
STATS = inline_serializer(
    name="AppealStats",
    fields={
        **FIGURES,
        "by_status": inline_serializer(
            name="AppealStatusCount",
            fields={
                "status": serializers.CharField(),
                "label": serializers.CharField(),
                "count": serializers.IntegerField(),
            },
            many=True,
        ),
        "by_department": inline_serializer(name="AppealFigures", fields={**FIGURES, **DEPARTMENT}, many=True),
        "by_category": inline_serializer(name="AppealCategoryFigures", fields=FIGURES, many=True),
        "ranking": inline_serializer(
            name="AppealRankingRow",
            fields={"rank": serializers.IntegerField(), **FIGURES, **DEPARTMENT},
            many=True,
        ),
    },
)


class SubmitterPermission(IsAuthenticated):
    """Reads need a login; writes a role that submits or records appeals (or a superuser)."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request.method in SAFE_METHODS:
            return True
        return request.user.is_superuser or bool(roles(request.user) & services.SUBMITTING_ROLES)


# A list reads the appeal's own columns and, of the rows joined to it, only what the serializer shows and
# the steps' checks (`actions`) read: the area's path, the others' ids and names. Whole rows of enterprises
# and users cost the list more CPU in building model instances than anything else it did.
LIST_FIELDS = (
    *(f.name for f in Appeal._meta.concrete_fields),
    "enterprise__name",
    "area__path",
    "department__name",
    "handler__username",
    "submitter__username",
)
EVENTS = AppealEvent.objects.select_related("by").only(
    *(f.name for f in AppealEvent._meta.concrete_fields), "by__username"
)

# One POST action per step of the appeal's workflow table, with its body and OpenAPI entry.
AppealSteps = services.APPEAL_WORKFLOW.api_actions(AppealSerializer)


class AppealViewSet(AppealSteps, StepViewMixin, ScopedViewSet):
    """企业诉求: appeals of enterprises, routed to departments, with deadlines in working days.

    Each step is a POST to `/api/v1/appeals/{id}/<step>/`; a step the appeal's state does not allow
    answers 409, a step the caller does not take answers 403. `actions` lists the steps the caller may
    take now. Enterprise users see their own enterprise's appeals; handlers their department's queue."""

    queryset = Appeal.objects.select_related(
        "enterprise", "area", "department", "handler", "submitter"
    ).prefetch_related(Prefetch("events", queryset=EVENTS), "attachments")
    serializer_class = AppealSerializer
    filterset_class = AppealFilter
    http_method_names = ["get", "post", "head", "options"]
    workflow = services.APPEAL_WORKFLOW

    def get_permissions(self):
        # Every party takes its own steps: the services check who, after the appeal is found (a
        # caller who cannot see it gets 404, not 403). Submitting, and the methods appeals do not
        # have, need a role that submits somewhere.
        if self.action in self.workflow.action_names() or self.action in ("attachments", "stats"):
            return [IsAuthenticated()]
        return [SubmitterPermission()]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            queryset = queryset.only(*LIST_FIELDS)
        return queryset

    def create_record(self, data):
        return services.submit(by=self.request.user, **data)

    @extend_schema(
        summary="Attach a file to the appeal",
        request={"multipart/form-data": UploadSerializer},
        responses={201: AttachmentSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attachments(self, request, pk=None):
        appeal = self.get_object()
        serializer = UploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        made = services.attach(appeal, by=request.user, upload=serializer.validated_data["file"])
        return Response(AttachmentSerializer(made, context=self.get_serializer_context()).data, status=201)

    @extend_schema(
        summary="The desk's figures over the appeals the filters select",
        description=(
            "On-time rate (of the replied appeals), median working days from receipt to reply, "
            "satisfaction rate (of the rated ones; basically satisfied counts as satisfied), by "
            "department and by category, and the departments ranked."
        ),
        responses={200: OpenApiResponse(STATS)},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def stats(self, request):
        appeals = self.filter_queryset(self.get_queryset())
        return Response(stats.dashboard(appeals).as_dict())


class SymposiumSerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(queryset=Area.objects.all())
    appeals = serializers.IntegerField(source="appeal_count", read_only=True)
    solved = serializers.IntegerField(read_only=True)
    in_progress = serializers.SerializerMethodField()

    class Meta:
        model = Symposium
        fields = ["id", "area", "title", "held_on", "attendees", "notes", "appeals", "solved", "in_progress"]

    def get_in_progress(self, obj) -> int:
        return obj.appeal_count - obj.solved


class SymposiumViewSet(ScopedViewSet):
    """政企座谈会: symposia with enterprises, and a live count of the appeals raised there (solved versus
    in progress)."""

    queryset = stats.with_counts(Symposium.objects.select_related("area")).order_by("-held_on", "-id")
    serializer_class = SymposiumSerializer

    def create_record(self, data):
        return services.save_symposium(by=self.request.user, **data)

    def update_record(self, instance, data):
        values = {
            f: data.get(f, getattr(instance, f)) for f in ("area", "title", "held_on", "attendees", "notes")
        }
        return services.save_symposium(by=self.request.user, instance=instance, **values)

    def delete_record(self, instance):
        services.delete_symposium(instance, by=self.request.user)


class VisitSerializer(serializers.ModelSerializer):
    enterprise = ScopedRelatedField(queryset=Enterprise.objects.all())
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    officer = serializers.CharField(source="officer.username", read_only=True)
    appeals = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Visit
        fields = ["id", "enterprise", "enterprise_name", "officer", "visited_on", "summary", "appeals"]
        scoped_prefetch = ["appeals"]


VISIT_REPORT = inline_serializer(
    name="VisitReport",
    fields={
        "month": serializers.CharField(),
        "officers": inline_serializer(
            name="VisitReportRow",
            fields={
                "officer": serializers.CharField(),
                "visits": serializers.IntegerField(),
                "enterprises": serializers.IntegerField(),
                "appeals_raised": serializers.IntegerField(),
            },
            many=True,
        ),
    },
)


class VisitViewSet(ScopedViewSet):
    """走访: chief service officers' visits to enterprises; a visit may raise appeals."""

    queryset = Visit.objects.all()
    serializer_class = VisitSerializer
    filterset_class = VisitFilter

    def create_record(self, data):
        return services.record_visit(by=self.request.user, **data)

    def update_record(self, instance, data):
        values = {f: data.get(f, getattr(instance, f)) for f in ("enterprise", "visited_on", "summary")}
        return services.record_visit(by=self.request.user, instance=instance, **values)

    def delete_record(self, instance):
        services.delete_visit(instance, by=self.request.user)

    @extend_schema(
        summary="Monthly visit report: visits, enterprises visited and appeals raised, per officer",
        parameters=[OpenApiParameter("month", str, required=True, description="YYYY-MM")],
        responses={200: OpenApiResponse(VISIT_REPORT)},
        filters=False,
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def report(self, request):
        month = stats.parse_month(request.query_params.get("month", ""))
        if month is None:
            raise ValidationError({"month": [_("Give a month as YYYY-MM.")]})
        rows = stats.visit_report(self.get_queryset(), *month)
        return Response({"month": f"{month[0]:04d}-{month[1]:02d}", "officers": rows})


class RoutingRuleSerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(queryset=Area.objects.all())
    department = ScopedRelatedField(queryset=Department.objects.all())
    category = serializers.ChoiceField(choices=[("", "any"), *Category.choices], required=False, default="")

    class Meta:
        model = RoutingRule
        fields = ["id", "area", "category", "department"]
        validators = []  # the service names the field of a clash


class RoutingRuleViewSet(ScopedViewSet):
    """派单规则: appeals of a category from an area (and below) go to a department; the nearest area's
    rule wins, a rule for the category beats the area's catch-all (blank category)."""

    queryset = RoutingRule.objects.select_related("area", "department")
    serializer_class = RoutingRuleSerializer

    def create_record(self, data):
        return services.save_routing_rule(by=self.request.user, **data)

    def update_record(self, instance, data):
        values = {f: data.get(f, getattr(instance, f)) for f in ("area", "category", "department")}
        return services.save_routing_rule(by=self.request.user, instance=instance, **values)

    def delete_record(self, instance):
        services.delete_routing_rule(instance, by=self.request.user)


class SlaRuleSerializer(serializers.ModelSerializer):
    category = serializers.ChoiceField(choices=Category.choices)
    sign_for_hours = serializers.DecimalField(
        max_digits=5, decimal_places=1, min_value=Decimal("0.5"), max_value=Decimal("999")
    )
    reply_days = serializers.IntegerField(min_value=1, max_value=365)

    class Meta:
        model = SlaRule
        fields = ["category", "sign_for_hours", "reply_days"]


class SlaPolicySerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(queryset=Area.objects.all(), required=False, allow_null=True)
    rules = SlaRuleSerializer(many=True)

    class Meta:
        model = SlaPolicy
        fields = ["id", "area", "name", "valid_from", "rules"]
        validators = []


class SlaPolicyViewSet(ScopedViewSet):
    """时限政策: deadlines per category (sign for within N working hours, reply within N working days)
    from a day on, for an area and below; the platform's default has no area. Appeals keep the
    deadlines they were given; a new policy applies to appeals received from its first day."""

    queryset = SlaPolicy.objects.select_related("area").prefetch_related("rules")
    serializer_class = SlaPolicySerializer

    def create_record(self, data):
        # No area: the platform's default policy (superusers only).
        return services.save_policy(by=self.request.user, **{"area": None, **data})

    def update_record(self, instance, data):
        values = {f: data.get(f, getattr(instance, f)) for f in ("area", "name", "valid_from")}
        rules = data.get("rules")
        if rules is None:
            rules = [
                {"category": r.category, "sign_for_hours": r.sign_for_hours, "reply_days": r.reply_days}
                for r in instance.rules.all()
            ]
        return services.save_policy(by=self.request.user, instance=instance, rules=rules, **values)

    def delete_record(self, instance):
        services.delete_policy(instance, by=self.request.user)
