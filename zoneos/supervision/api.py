"""REST API of key-project supervision: the year's key projects with their reports and month figures,
month locks, and the summary of an area's subtree for a month."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from zoneos.accounts.scoping import areas_for_roles
from zoneos.areas.models import Area
from zoneos.core.api import ScopedRelatedField, ScopedViewSet, area_param
from zoneos.core.roles import Role
from zoneos.pipeline.models import Project

from . import progress, services
from .models import KeyProject, MonthFigure, MonthLock, Report


class FigureSerializer(serializers.ModelSerializer):
    month = serializers.SerializerMethodField()
    completion_rate = serializers.SerializerMethodField()
    gap_pp = serializers.SerializerMethodField()

    class Meta:
        model = MonthFigure
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
    by = serializers.CharField(source="by.username", read_only=True, default=None)
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
        fields = ["id", *services.KEY_PROJECT_FIELDS, "area_name", "figures", "locked_through", "created_at"]
        validators = []

    def get_locked_through(self, obj) -> str | None:
        month = services.locked_through(obj)
        return f"{obj.year}-{month:02d}" if month else None


class KeyProjectViewSet(ScopedViewSet):
    """The year's key projects within the caller's scope, each with its month-by-month figures."""

    queryset = KeyProject.objects.select_related("area").prefetch_related("figures")
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
        summary="Monthly reports of the project; POST files (or replaces) a month's report",
        description=(
            "`month` is `YYYY-MM` of the project's year; `completed` is the investment completed in that "
            "month in yuan (cumulative figures are derived). A February report may cover January too "
            "(`covers_january_february`). A locked month answers 409: use `revise`."
        ),
        request=ReportSerializer,
        responses={200: ReportSerializer(many=True), 201: ReportSerializer},
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

    queryset = MonthLock.objects.select_related("area", "locked_by")
    serializer_class = MonthLockSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]

    def create_record(self, data):
        return services.lock_month(by=self.request.user, **data)

    def delete_record(self, instance):
        services.unlock_month(instance, by=self.request.user)


SUMMARY_ROLES = frozenset(Role) - {Role.ENTERPRISE, Role.HANDLER}


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


def readable_areas(user):
    """Areas whose supervision figures the user may read (the roles that read key projects)."""
    return areas_for_roles(user, SUMMARY_ROLES)
