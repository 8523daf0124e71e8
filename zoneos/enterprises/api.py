"""REST API of the registry: enterprises, labels, yearly figures (with revisions), year locks, exports."""

from django_countries.serializer_fields import CountryField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from zoneos.accounts.models import User
from zoneos.areas.models import Area
from zoneos.core import industries
from zoneos.core.api import CodeRelatedField, ScopedRelatedField, ScopedViewSet
from zoneos.core.codes import check_uscc
from zoneos.core.replica import read_alias
from zoneos.core.rest import ReadListSerializer
from zoneos.tabular import export

from . import services
from .exports import enterprise_columns, indicator_columns
from .filters import EnterpriseFilter, IndicatorFilter, LabelFilter
from .models import EmergingIndustry, Enterprise, Indicator, Label, Revision, SizeClass, YearLock

EXPORT_PARAMETER = OpenApiParameter(
    "as", OpenApiTypes.STR, enum=["xlsx", "csv"], description="File format (default xlsx)."
)


class ExportMixin:
    """`GET .../export/`: the filtered list as one streamed xlsx or csv file, unpaginated."""

    export_columns: staticmethod  # () -> the columns of the file
    export_name: str

    @extend_schema(
        summary="Export the filtered list",
        parameters=[EXPORT_PARAMETER],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def export(self, request):
        queryset = self.filter_queryset(self.get_queryset()).prefetch_related(None)
        rows = queryset.using(read_alias()).iterator(chunk_size=2000)
        fmt = "csv" if request.query_params.get("as") == "csv" else "xlsx"
        return export.response(rows, self.export_columns(), self.export_name, fmt, request=request)


class LabelInlineSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Label
        list_serializer_class = ReadListSerializer
        fields = ["id", "kind", "kind_label", "certificate_no", "valid_from", "valid_to"]


class EnterpriseSerializer(serializers.ModelSerializer):
    # The code is checked by the service (GB 32100 rules, duplicates), which names `uscc` in its errors.
    uscc = serializers.CharField(max_length=40, required=False, allow_blank=True, allow_null=True)
    uscc_warnings = serializers.SerializerMethodField()
    size_class = serializers.ChoiceField(choices=SizeClass.choices, allow_blank=True, read_only=True)
    area = ScopedRelatedField(queryset=Area.objects.all())
    area_name = serializers.CharField(source="area.name", read_only=True)
    industry_code = serializers.CharField(max_length=8, required=False, allow_blank=True)
    industry_name = serializers.SerializerMethodField()
    emerging_industries = CodeRelatedField(
        slug_field="code", many=True, required=False, queryset=EmergingIndustry.objects.all()
    )
    capital_country = CountryField(required=False, allow_blank=True)
    service_officer = ScopedRelatedField(queryset=User.objects.all(), allow_null=True, required=False)
    labels = LabelInlineSerializer(many=True, read_only=True)

    class Meta:
        model = Enterprise
        list_serializer_class = ReadListSerializer
        fields = [
            "id",
            "uscc",
            "uscc_override",
            "uscc_override_reason",
            "uscc_warnings",
            "name",
            "name_en",
            "short_name",
            "area",
            "area_name",
            "address",
            "industry_code",
            "industry_section",
            "industry_name",
            "emerging_industries",
            "business_scope",
            "registered_on",
            "registered_capital",
            "capital_origin",
            "capital_country",
            "parent_group",
            "status",
            "service_officer",
            "size_class",
            "labels",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["industry_section", "size_class", "created_at", "updated_at"]

    def get_uscc_warnings(self, obj) -> list[str]:
        return check_uscc(obj.uscc).warnings if obj.uscc else []

    def get_industry_name(self, obj) -> str:
        industry = industries.get(obj.industry_code) if obj.industry_code else None
        return industry.label if industry else ""


class EnterpriseViewSet(ExportMixin, ScopedViewSet):
    """The enterprise registry within the caller's scope. Search `q` matches names, pinyin initials
    (`xpqc`) and USCC prefixes."""

    export_columns = staticmethod(enterprise_columns)
    export_name = "enterprises"

    # The scope's syllables serve the chains' suggestions only: lists and exports leave them in the database.
    queryset = Enterprise.objects.defer("business_scope_pinyin")
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter

    def create_record(self, data):
        return services.create_enterprise(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_enterprise(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_enterprise(instance, by=self.request.user)


class LabelSerializer(serializers.ModelSerializer):
    enterprise = ScopedRelatedField(queryset=Enterprise.objects.all())
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Label
        fields = ["id", "enterprise", "kind", "kind_label", "certificate_no", "valid_from", "valid_to"]


class LabelViewSet(ScopedViewSet):
    """Labels (high-tech certificate, specialised SME, ...) with their validity."""

    queryset = Label.objects.select_related("enterprise__area")
    serializer_class = LabelSerializer
    filterset_class = LabelFilter

    def create_record(self, data):
        return services.create_label(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_label(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_label(instance, by=self.request.user)


class RevisionSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True)

    class Meta:
        model = Revision
        list_serializer_class = ReadListSerializer
        fields = ["id", "reason", "changes", "by", "at"]


class IndicatorSerializer(serializers.ModelSerializer):
    enterprise = ScopedRelatedField(queryset=Enterprise.objects.all())
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    year = serializers.IntegerField(min_value=1949, max_value=2100)
    revisions = RevisionSerializer(many=True, read_only=True)
    size_class = serializers.ChoiceField(choices=SizeClass.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Indicator
        list_serializer_class = ReadListSerializer
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "year",
            *services.INDICATOR_FIELDS,
            "above_designated_size",
            "size_class",
            "revisions",
            "updated_at",
        ]
        read_only_fields = ["above_designated_size", "size_class", "updated_at"]
        validators = []  # one row per enterprise and year: the service says so, naming `year`


class RevisionRequestSerializer(IndicatorSerializer):
    reason = serializers.CharField(max_length=500)

    class Meta(IndicatorSerializer.Meta):
        fields = [*IndicatorSerializer.Meta.fields, "reason"]


class IndicatorViewSet(ExportMixin, ScopedViewSet):
    """Yearly figures of enterprises. Figures of a locked year change only through `revise`."""

    export_columns = staticmethod(indicator_columns)
    export_name = "figures"

    queryset = Indicator.objects.select_related("enterprise__area").prefetch_related("revisions__by")
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter

    def create_record(self, data):
        return services.create_indicator(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_indicator(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_indicator(instance, by=self.request.user)

    @extend_schema(
        summary="Revise figures (also of a locked year) with a reason",
        request=RevisionRequestSerializer,
        responses={200: IndicatorSerializer},
    )
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        instance = self.get_object()
        serializer = RevisionRequestSerializer(
            instance, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        reason = data.pop("reason", "")
        data.pop("enterprise", None)
        data.pop("year", None)
        services.revise_indicator(instance, by=request.user, reason=reason, **data)
        return Response(self._read_back(instance))


class YearLockSerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(queryset=Area.objects.all())
    area_name = serializers.CharField(source="area.name", read_only=True)
    locked_by = serializers.CharField(source="locked_by.username", read_only=True)
    year = serializers.IntegerField(min_value=1949, max_value=2100)

    class Meta:
        model = YearLock
        fields = ["id", "area", "area_name", "year", "locked_by", "locked_at"]
        validators = []


class YearLockViewSet(ScopedViewSet):
    """Locks on a year's figures for an area's subtree (statisticians and admins)."""

    queryset = YearLock.objects.all()
    serializer_class = YearLockSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]

    def create_record(self, data):
        return services.lock_year(by=self.request.user, **data)

    def delete_record(self, instance):
        services.unlock_year(instance, by=self.request.user)
