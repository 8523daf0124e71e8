"""REST API of key-project supervision: the year's key projects with their reports and month figures,
month locks, the summary of an area's subtree for a month, the evaluation ranking with its schemes and
signing targets, and supervision orders."""

from __future__ import annotations

import django_filters.rest_framework as filters
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from zoneos.areas.models import Area, Department
from zoneos.core.api import ScopedRelatedField, ScopedViewSet, area_param
from zoneos.core.rest import ReadListSerializer
from zoneos.core.workflow import StepViewMixin
from zoneos.pipeline.models import Project

from . import evaluation, progress, services
from .models import (
    EvaluationScheme,
    KeyProject,
    MonthFigure,
    MonthLock,
    OrderEvent,
    Report,
    SigningTarget,
    SupervisionOrder,
)
from .policies import readable_areas


class FigureSerializer(serializers.ModelSerializer):
    month = serializers.SerializerMethodField()
    completion_rate = serializers.SerializerMethodField()
    gap_pp = serializers.SerializerMethodField()

    class Meta:
        model = MonthFigure
        list_serializer_class = ReadListSerializer
        fields = [
            "month",
            "completed",
            "funds_in_place",
            "completion_rate",
            "gap_pp",
            "status",
            "reported",
            "started",
        ]

    def get_month(self, obj) -> str:
        return f"{obj.year}-{obj.month:02d}"

    def get_completion_rate(self, obj) -> str | None:
        return progress.four(progress.rate(obj.completed, obj.annual_plan))

    def get_gap_pp(self, obj) -> str | None:
        return progress.two(obj.gap_pp)


class ReportSerializer(serializers.ModelSerializer):
    month = serializers.CharField(help_text="YYYY-MM")
    covers_january_february = serializers.BooleanField(required=False, default=False)
    by = serializers.CharField(source="by.username", read_only=True, allow_null=True)
    revisions = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "month",
            "covers_january_february",
            "completed",
            "funds_in_place",
            "progress_note",
            "problems",
            "by",
            "updated_at",
            "revisions",
        ]
        read_only_fields = ["updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["month"] = f"{instance.key_project.year}-{instance.month:02d}"
        data["covers_january_february"] = instance.first_month != instance.month
        return data

    def get_revisions(self, obj) -> list[dict]:
        return [
            {"reason": r.reason, "changes": r.changes, "by": r.by.username, "at": r.at.isoformat()}
            for r in obj.revisions.all()
        ]


class ReportRevisionSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    reason = serializers.CharField(max_length=500)
    completed = serializers.DecimalField(max_digits=18, decimal_places=2, required=False)
    funds_in_place = serializers.DecimalField(
        max_digits=18, decimal_places=2, required=False, allow_null=True
    )
    progress_note = serializers.CharField(required=False, allow_blank=True)
    problems = serializers.CharField(required=False, allow_blank=True)


class KeyProjectSerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(queryset=Area.objects.all())
    area_name = serializers.CharField(source="area.label", read_only=True)
    project = ScopedRelatedField(queryset=Project.objects.all(), allow_null=True, required=False)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    figures = FigureSerializer(many=True, read_only=True)
    locked_through = serializers.SerializerMethodField()

    class Meta:
        model = KeyProject
        list_serializer_class = ReadListSerializer
        fields = ["id", *services.KEY_PROJECT_FIELDS, "area_name", "figures", "locked_through", "created_at"]
        validators = []
        annotate = {"locked_month": KeyProject.latest_lock_month}

    def get_locked_through(self, obj) -> str | None:
        month = obj.locked_month if hasattr(obj, "locked_month") else services.locked_through(obj)
        return f"{obj.year}-{month:02d}" if month else None


class KeyProjectViewSet(ScopedViewSet):
    """The year's key projects within the caller's scope, each with its month-by-month figures."""

    queryset = KeyProject.objects.all()
    serializer_class = KeyProjectSerializer
    filterset_fields = ["year", "kind", "area"]

    def get_permissions(self):
        # Parks report on projects whose plan they may not change: the service checks reporting.
        if self.action in ("reports", "revise"):
            return [IsAuthenticated()]
        return super().get_permissions()

    def create_record(self, data):
        return services.create_key_project(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_key_project(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_key_project(instance, by=self.request.user)

    @extend_schema(
        methods=["GET"],
        summary="Monthly reports of the project",
        responses={200: ReportSerializer(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        summary="File (201) or replace (200) a month's report; either answers the report",
        description=(
            "`month` is `YYYY-MM` of the project's year; `completed` is the investment completed in that "
            "month in yuan (cumulative figures are derived). A February report may cover January too "
            "(`covers_january_february`). A locked month answers 409: use `revise`."
        ),
        request=ReportSerializer,
        responses={200: ReportSerializer, 201: ReportSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def reports(self, request, pk=None):
        project = self.get_object()
        if request.method == "GET":
            reports = project.reports.select_related("key_project", "by").prefetch_related("revisions__by")
            return Response(ReportSerializer(reports, many=True).data)
        serializer = ReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        report, created = services.submit_report(project, by=request.user, **data)
        report = Report.objects.select_related("key_project", "by").get(pk=report.pk)
        return Response(
            ReportSerializer(report).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(
        summary="Revise a month's report (also of a locked month) with a reason",
        request=ReportRevisionSerializer,
        responses={200: ReportSerializer},
    )
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        project = self.get_object()
        services.require_reporter(project, request.user)
        serializer = ReportRevisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        year, month = services.parse_month(data.pop("month"))
        report = project.reports.filter(month=month).first() if year == project.year else None
        if report is None:
            raise ValidationError({"month": [_("The project has no report for this month.")]})
        report = services.revise_report(report, by=request.user, reason=data.pop("reason"), **data)
        report = Report.objects.select_related("key_project", "by").get(pk=report.pk)
        return Response(ReportSerializer(report).data)


class MonthLockSerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(queryset=Area.objects.all())
    area_name = serializers.CharField(source="area.label", read_only=True)
    month = serializers.CharField(help_text="YYYY-MM")
    locked_by = serializers.CharField(source="locked_by.username", read_only=True)

    class Meta:
        model = MonthLock
        fields = ["id", "area", "area_name", "month", "locked_by", "locked_at"]
        validators = []

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["month"] = f"{instance.year}-{instance.month:02d}"
        return data


class MonthLockViewSet(ScopedViewSet):
    """Locks on a month's reports (and the earlier months of its year) for an area's subtree."""

    queryset = MonthLock.objects.all()
    serializer_class = MonthLockSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]

    def create_record(self, data):
        return services.lock_month(by=self.request.user, **data)

    def delete_record(self, instance):
        services.unlock_month(instance, by=self.request.user)


class SummaryView(APIView):
    """The key projects of an area's subtree at the end of a month: plan, cumulative completion, time
    progress, gap in points, status, starts, children ranked by completion rate, red and yellow lists."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Supervision summary of an area for a month",
        parameters=[
            OpenApiParameter("area", OpenApiTypes.INT, required=True),
            OpenApiParameter("month", OpenApiTypes.STR, required=True, description="YYYY-MM"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        area = area_param(request, readable_areas(request.user), required=True)
        year, month = services.parse_month(request.query_params.get("month"))
        return Response(services.summary(area, year, month))


class RankingView(APIView):
    """The children of an area scored and ranked for a month, with the weights that scored them."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Evaluation ranking of an area's children for a month",
        description=(
            "Each child's score (0-100) weighs its completion rate, start rate, funds in place and signed "
            "projects, each against the pace of the year and capped at 100 %. Children with fewer key "
            "projects than the scheme's `min_projects` are listed with `comparable: false` and no rank."
        ),
        parameters=[
            OpenApiParameter("area", OpenApiTypes.INT, required=True),
            OpenApiParameter("month", OpenApiTypes.STR, required=True, description="YYYY-MM"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        area = area_param(request, readable_areas(request.user), required=True)
        year, month = services.parse_month(request.query_params.get("month"))
        return Response(evaluation.ranking(area, year, month))


class AreaYearSerializer(serializers.ModelSerializer):
    """A setting an area holds for a year."""

    area = ScopedRelatedField(queryset=Area.objects.all())
    area_name = serializers.CharField(source="area.label", read_only=True)
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class EvaluationSchemeSerializer(AreaYearSerializer):
    class Meta:
        model = EvaluationScheme
        fields = ["id", *services.SCHEME_FIELDS, "area_name", "updated_at"]
        validators = []


class SigningTargetSerializer(AreaYearSerializer):
    class Meta:
        model = SigningTarget
        fields = ["id", "area", "area_name", "year", "projects"]
        validators = []


class AreaYearViewSet(ScopedViewSet):
    """Settings an area holds for a year, written through a pair of services: `saving(record or None,
    by=, **fields)` and `deleting(record, by=)`."""

    filterset_fields = ["year", "area"]
    saving: staticmethod
    deleting: staticmethod

    def create_record(self, data):
        return self.saving(None, by=self.request.user, **data)

    def update_record(self, instance, data):
        return self.saving(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        self.deleting(instance, by=self.request.user)


class EvaluationSchemeViewSet(AreaYearViewSet):
    """The weights an area's children are ranked by, per year (supervisors set them)."""

    queryset = EvaluationScheme.objects.all()
    serializer_class = EvaluationSchemeSerializer
    saving = staticmethod(services.save_scheme)
    deleting = staticmethod(services.delete_scheme)


class SigningTargetViewSet(AreaYearViewSet):
    """How many investment projects each area is to sign in a year."""

    queryset = SigningTarget.objects.all()
    serializer_class = SigningTargetSerializer
    saving = staticmethod(services.save_signing_target)
    deleting = staticmethod(services.delete_signing_target)


class OrderEventSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True, allow_null=True)

    class Meta:
        model = OrderEvent
        fields = ["from_status", "to_status", "note", "by", "at"]


class SupervisionOrderSerializer(serializers.ModelSerializer):
    key_project = ScopedRelatedField(queryset=KeyProject.objects.all())
    key_project_name = serializers.CharField(source="key_project.name", read_only=True)
    to_area = ScopedRelatedField(queryset=Area.objects.all(), required=False, allow_null=True)
    to_department = ScopedRelatedField(queryset=Department.objects.all(), required=False, allow_null=True)
    addressee = serializers.CharField(source="addressee.label", read_only=True)
    issued_by = serializers.CharField(source="issued_by.username", read_only=True)
    overdue = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    events = OrderEventSerializer(many=True, read_only=True)

    class Meta:
        model = SupervisionOrder
        fields = [
            "id",
            "key_project",
            "key_project_name",
            "to_area",
            "to_department",
            "addressee",
            "subject",
            "instructions",
            "issued_on",
            "deadline_days",
            "due_on",
            "status",
            "overdue",
            "answer",
            "answered_on",
            "closed_on",
            "issued_by",
            "allowed_actions",
            "events",
        ]
        read_only_fields = ["due_on", "status", "answer", "answered_on", "closed_on"]
        extra_kwargs = {"issued_on": {"required": False}, "deadline_days": {"min_value": 0}}

    def get_overdue(self, obj) -> bool:
        return obj.overdue_on(timezone.localdate())

    def get_allowed_actions(self, obj) -> list[str]:
        """The steps the caller may take on the order now (`answer`, `close`, `send_back`)."""
        request = self.context.get("request")
        return services.ORDER_WORKFLOW.allowed(request.user, obj) if request else []


class SupervisionOrderFilter(filters.FilterSet):
    overdue = filters.BooleanFilter(method="filter_overdue", label="overdue")

    class Meta:
        model = SupervisionOrder
        fields = ["status", "key_project", "to_area", "to_department"]

    def filter_overdue(self, queryset, name, value):
        q = services.overdue_q(timezone.localdate())
        return queryset.filter(q) if value else queryset.exclude(q)


class SupervisionOrderViewSet(
    services.ORDER_WORKFLOW.api_actions(SupervisionOrderSerializer), StepViewMixin, ScopedViewSet
):
    """督办: orders about key projects to an area or a department, due in working days; answered by
    the addressee, closed or sent back by the supervisors. `overdue=true` lists the late ones."""

    queryset = SupervisionOrder.objects.select_related(
        "key_project__area", "to_area", "to_department", "issued_by"
    ).prefetch_related("events__by")
    serializer_class = SupervisionOrderSerializer
    filterset_class = SupervisionOrderFilter
    http_method_names = ["get", "post", "delete", "head", "options"]
    workflow = services.ORDER_WORKFLOW

    def get_permissions(self):
        # The addressee answers orders it could not issue; the table says who takes each step,
        # after the order is found (a caller who cannot see it gets 404, not 403).
        if self.action in self.workflow.action_names():
            return [IsAuthenticated()]
        return super().get_permissions()

    def create_record(self, data):
        return services.issue_order(by=self.request.user, **data)

    def delete_record(self, instance):
        services.withdraw_order(instance, by=self.request.user)
