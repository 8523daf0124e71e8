"""REST API of imports: upload a file (answered with its dry-run report), read the report, commit, and
run a failed or interrupted import again."""

from django.utils.translation import get_language, gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from zoneos.accounts.scoping import scope
from zoneos.areas.models import Area
from zoneos.core.rest import FormParser, JSONParser, MultiPartParser
from zoneos.core.roles import VIEW

from . import engine, registry, services
from .models import ImportJob, ImportStatus
from .views import changes_response, template_response


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


class KindField(serializers.ChoiceField):
    """The registered import kinds, read when the field is made (the apps register theirs at start)."""

    def __init__(self, **kwargs):
        super().__init__(choices=registry.choices(), **kwargs)


class ImportJobSerializer(serializers.ModelSerializer):
    kind = KindField()
    file = serializers.FileField(write_only=True)
    status = serializers.ChoiceField(choices=ImportStatus.choices, source="current_status", read_only=True)
    reason = serializers.CharField(read_only=True, help_text="Why a failed or interrupted import stopped.")
    progress = serializers.SerializerMethodField()
    errors = ImportErrorSerializer(many=True, read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    area = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.all(),
        required=False,
        allow_null=True,
        help_text="The park or zone the sheet comes from (default: the uploader's one area); its mapping "
        "is remembered for the next sheet with the same headers.",
    )
    report = serializers.JSONField(
        read_only=True,
        help_text="What the check found: the sheet read and the others, title, header row, period, each "
        "source column (used as which field, unit and where it came from, or not used and what it looks "
        "like), rows skipped, notices, and the first changes per field with their warnings.",
    )
    mapping = serializers.JSONField(read_only=True, help_text="The column choices made for this file.")

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "file",
            "area",
            "sheet",
            "original_name",
            "status",
            "reason",
            "total_rows",
            "progress",
            "error_count",
            "errors",
            "created",
            "updated",
            "unchanged",
            "change_count",
            "warning_count",
            "report",
            "mapping",
            "created_by",
            "created_at",
            "finished_at",
        ]
        read_only_fields = [f for f in fields if f not in ("kind", "file", "area")]

    def get_progress(self, obj) -> int:
        return engine.progress(obj) if obj.running else obj.processed_rows


class ColumnChoiceSerializer(serializers.Serializer):
    index = serializers.IntegerField(min_value=0, help_text="The column's index in the report's `columns`.")
    field = serializers.CharField(allow_blank=True, help_text="The field it feeds; empty: not used.")
    unit = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="For money: 元, 千元, 万元 or 亿元 (or 1, 1000, 10000, 100000000).",
    )
    clears = serializers.BooleanField(default=False, help_text="A blank cell clears the stored value.")


class MappingSerializer(serializers.Serializer):
    columns = ColumnChoiceSerializer(many=True, required=False)
    sheet = serializers.CharField(required=False, help_text="Read this sheet of the workbook instead.")


CHANGES_FORMAT = OpenApiParameter(
    "as", str, enum=["xlsx", "csv"], description="The file's format (default xlsx), as the lists' exports."
)


class TemplateQuerySerializer(serializers.Serializer):
    kind = KindField(error_messages={"invalid_choice": gettext_lazy("“{input}” is not a kind of import.")})


class ImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Imports of tables (xlsx or csv) of the kinds the modules register: upload runs the dry run;
    `commit` writes all rows or none; `rerun` runs a failed or interrupted import again. Each caller
    sees their own imports."""

    queryset = ImportJob.objects.select_related("created_by")
    serializer_class = ImportJobSerializer
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return scope(super().get_queryset(), self.request.user, VIEW)

    @extend_schema(summary="Upload a file and check it (dry run)", request=ImportJobSerializer)
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = services.start_import(by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Import the checked file: all rows or none", request=None)
    @action(detail=True, methods=["post"])
    def commit(self, request, pk=None):
        job = services.commit_import(self.get_object(), by=request.user)
        return Response(self.get_serializer(job).data)

    @extend_schema(
        summary="Map the columns (field, unit, blank clears) or pick another sheet, and check again",
        request=MappingSerializer,
    )
    @action(detail=True, methods=["put"], parser_classes=[JSONParser])
    def mapping(self, request, pk=None):
        choices = MappingSerializer(data=request.data)
        choices.is_valid(raise_exception=True)
        job = services.set_mapping(self.get_object(), by=request.user, **choices.validated_data)
        return Response(self.get_serializer(job).data)

    @extend_schema(
        summary="Download every field the import would change (old and new values, warnings)",
        parameters=[CHANGES_FORMAT],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path="changes", pagination_class=None, filter_backends=[])
    def changes(self, request, pk=None):
        fmt = "csv" if request.query_params.get("as") == "csv" else "xlsx"
        return changes_response(self.get_object(), fmt, request)

    @extend_schema(summary="Run a failed or interrupted import again", request=None)
    @action(detail=True, methods=["post"])
    def rerun(self, request, pk=None):
        job = services.rerun_import(self.get_object(), by=request.user)
        return Response(self.get_serializer(job).data)

    @extend_schema(
        summary="Download an empty template",
        parameters=[TemplateQuerySerializer],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def template(self, request):

        query = TemplateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return template_response(query.validated_data["kind"], get_language() or "zh-hans")
