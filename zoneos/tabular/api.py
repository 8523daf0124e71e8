"""REST API of imports: upload a file (answered with its dry-run report), read the report, commit."""

from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from zoneos.accounts.scoping import scope
from zoneos.core.roles import VIEW

from . import engine, services
from .models import ImportJob, ImportKind


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


class ImportJobSerializer(serializers.ModelSerializer):
    file = serializers.FileField(write_only=True)
    progress = serializers.SerializerMethodField()
    errors = ImportErrorSerializer(many=True, read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "file",
            "original_name",
            "status",
            "total_rows",
            "progress",
            "error_count",
            "errors",
            "created",
            "updated",
            "unchanged",
            "created_by",
            "created_at",
            "finished_at",
        ]
        read_only_fields = [f for f in fields if f not in ("kind", "file")]

    def get_progress(self, obj) -> int:
        return engine.progress(obj) if obj.running else obj.processed_rows


class ImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Imports of enterprises and yearly figures (xlsx or csv): upload runs the dry run; `commit`
    writes all rows or none. Each caller sees their own imports."""

    queryset = ImportJob.objects.select_related("created_by")
    serializer_class = ImportJobSerializer
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]
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
        summary="Download an empty template",
        parameters=[OpenApiParameter("kind", OpenApiTypes.STR, enum=ImportKind.values, required=True)],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def template(self, request):
        from .views import template_response

        kind = request.query_params.get("kind", "")
        if kind not in ImportKind.values:
            raise serializers.ValidationError({"kind": [f"Choose one of: {', '.join(ImportKind.values)}."]})
        return template_response(kind, get_language() or "zh-hans")
