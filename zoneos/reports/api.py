"""REST API of briefings: the briefing of an area and month generated on demand, the briefings kept as
files (requested or scheduled) with their downloads, and the schedules."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from zoneos.areas.models import Area
from zoneos.core.api import ScopedRelatedField, ScopedViewSet, area_param
from zoneos.core.errors import Conflict
from zoneos.supervision.policies import readable_areas
from zoneos.supervision.services import parse_month

from . import services
from .filters import BriefingFilter, BriefingScheduleFilter
from .models import CONTENT_TYPES, Briefing, BriefingFormat, BriefingSchedule, BriefingStatus, file_name

FILES = {
    (200, CONTENT_TYPES[BriefingFormat.PDF]): OpenApiTypes.BINARY,
    (200, CONTENT_TYPES[BriefingFormat.XLSX]): OpenApiTypes.BINARY,
}


def attachment(content: bytes, filename: str, fmt: str) -> FileResponse:
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt]
    )


def briefing_format(value: str | None) -> str:
    """`pdf` (the default) or `xlsx`; a 400 naming `format` otherwise."""
    value = (value or BriefingFormat.PDF).strip().lower()
    if value not in BriefingFormat.values:
        raise ValidationError({"format": [_("Choose pdf or xlsx.")]})
    return value


class FormatNamesTheFile(DefaultContentNegotiation):
    """Here `?format=` names the briefing's file type, not one of DRF's renderers; errors are JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class BriefingView(APIView):
    """The monthly key-project supervision briefing of an area, rendered now in the caller's language."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FormatNamesTheFile

    @extend_schema(
        summary="Supervision briefing of an area for a month (PDF or xlsx)",
        description=(
            "Headline, totals, the sub-areas ranked by completion rate, red and yellow projects and the "
            "milestones due next month, as an A4 PDF with charts or as an xlsx workbook. Answers 404 for an "
            "area whose supervision figures the caller may not read."
        ),
        parameters=[
            OpenApiParameter("area", OpenApiTypes.INT, required=True),
            OpenApiParameter("month", OpenApiTypes.STR, required=True, description="YYYY-MM"),
            OpenApiParameter(
                "format", OpenApiTypes.STR, enum=BriefingFormat.values, description="pdf (default)"
            ),
        ],
        responses={**FILES, 400: OpenApiResponse(description="A bad `area`, `month` or `format`")},
    )
    def get(self, request):
        from .briefing import render_pdf, render_xlsx

        area = area_param(request, readable_areas(request.user), required=True)
        errors = {}
        try:
            year, month = parse_month(request.query_params.get("month"))
        except ValidationError as exc:
            errors.update(exc.message_dict)
        try:
            fmt = briefing_format(request.query_params.get("format"))
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)
        render = render_pdf if fmt == BriefingFormat.PDF else render_xlsx
        return attachment(render(area, year, month), file_name(area, year, month, fmt), fmt)


LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class FormatField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=BriefingFormat.values, **kwargs)


# "status" and a second name for the formats would collide with other apps' enums in the document
# (drf-spectacular names an enum after its field): these two are described without an enum.
@extend_schema_field({"type": "string", "pattern": "^(pdf|xlsx)$"})
class FormatItemField(FormatField):
    pass


@extend_schema_field({"type": "string", "description": "queued, done or failed"})
class StatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=BriefingStatus.values, **kwargs)


class BriefingSerializer(serializers.ModelSerializer):
    format = FormatField(read_only=True)
    language = serializers.ChoiceField(choices=LANGUAGE_CODES, read_only=True)
    status = StatusField(read_only=True)
    area_name = serializers.CharField(source="area.label", read_only=True)
    month = serializers.CharField(source="month_value", read_only=True, help_text="YYYY-MM")
    requested_by = serializers.CharField(source="requested_by.username", read_only=True, allow_null=True)
    filename = serializers.CharField(read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = Briefing
        fields = [
            "id",
            "area",
            "area_name",
            "month",
            "format",
            "language",
            "status",
            "error",
            "requested_by",
            "schedule",
            "created_at",
            "generated_at",
            "filename",
            "download",
        ]
        read_only_fields = fields

    def get_download(self, obj) -> str | None:
        """The file's address once it is ready."""
        if not obj.ready:
            return None
        request = self.context.get("request")
        path = reverse("api:briefing-download", args=[obj.pk])
        return request.build_absolute_uri(path) if request else path


class BriefingRequestSerializer(serializers.Serializer):
    area = ScopedRelatedField(queryset=Area.objects.all())
    month = serializers.CharField(help_text="YYYY-MM", max_length=7)
    format = FormatField(default=BriefingFormat.PDF)
    language = serializers.ChoiceField(
        choices=LANGUAGE_CODES, required=False, help_text="zh-hans (default) or en"
    )

    def validate_month(self, value):
        try:
            parse_month(value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["month"]) from exc
        return value


class BriefingViewSet(ScopedViewSet):
    """Briefings kept as files: requested here or on the briefings page (rendered by the task worker),
    or made by a schedule. POST queues one; `download` fetches its file once `status` is `done`; DELETE
    removes a requested one (a scheduled one answers 409)."""

    queryset = Briefing.objects.all()
    serializer_class = BriefingSerializer
    filterset_class = BriefingFilter
    http_method_names = ["get", "post", "delete", "head", "options"]

    @extend_schema(request=BriefingRequestSerializer, responses={201: BriefingSerializer})
    def create(self, request, *args, **kwargs):
        serializer = BriefingRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        (briefing,) = services.request_briefing(
            by=request.user,
            area=data["area"],
            month=data["month"],
            formats=[data["format"]],
            language=data.get("language"),
        )
        return Response(self._read_back(briefing), status=status.HTTP_201_CREATED)

    def delete_record(self, instance):
        services.delete_briefing(instance, by=self.request.user)

    @extend_schema(
        summary="The briefing's file",
        responses={**FILES, 409: OpenApiResponse(description="The file is not ready (queued or failed)")},
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def download(self, request, pk=None):
        briefing = self.get_object()
        if not briefing.ready:
            raise Conflict(_("The briefing is not ready."))
        return FileResponse(
            briefing.file.open("rb"),
            as_attachment=True,
            filename=briefing.filename,
            content_type=briefing.content_type,
        )


class BriefingScheduleSerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(queryset=Area.objects.all())
    area_name = serializers.CharField(source="area.label", read_only=True)
    day_of_month = serializers.IntegerField(min_value=1, max_value=28)
    formats = serializers.ListField(child=FormatItemField(), min_length=1, max_length=2)
    language = serializers.ChoiceField(choices=LANGUAGE_CODES, default="zh-hans")
    created_by = serializers.CharField(source="created_by.username", read_only=True, allow_null=True)

    class Meta:
        model = BriefingSchedule
        fields = ["id", *services.SCHEDULE_FIELDS, "area_name", "created_by", "created_at"]


class BriefingScheduleViewSet(ScopedViewSet):
    """Schedules: on `day_of_month` of each month, last month's briefing of `area` is generated in each
    of `formats` and kept (`manage.py run_due_briefings`, run daily)."""

    queryset = BriefingSchedule.objects.all()
    serializer_class = BriefingScheduleSerializer
    filterset_class = BriefingScheduleFilter

    def create_record(self, data):
        return services.create_schedule(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_schedule(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_schedule(instance, by=self.request.user)
