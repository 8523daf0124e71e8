"""REST API of industrial chains: chains and their links (a tree), supply relations, placements,
strength rules, a chain's coverage in an area and the coverage matrix of chains × parks. Thin: every
write calls `services`, every figure comes from `coverage`."""

from __future__ import annotations

import datetime
import io

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from zoneos.accounts.models import User
from zoneos.accounts.scoping import scope, visible_areas
from zoneos.areas.models import Area, AreaKind, Department
from zoneos.core.api import ScopedRelatedField, ScopedViewSet, area_param
from zoneos.core.roles import VIEW
from zoneos.enterprises.models import Enterprise
from zoneos.pipeline.models import Project
from zoneos.pipeline.stages import StageCategory
from zoneos.policies.scoping import ancestor_paths
from zoneos.supervision.models import KeyProject

from . import coverage as cover
from . import services, targets
from . import workbook as chain_workbook
from .api_targets import FILLED, TARGET, CandidateSerializer
from .models import Chain, Link, Placement, Segment, Strength, StrengthRule, SupplyEdge

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AREA = OpenApiParameter("area", OpenApiTypes.INT, description="The area (default: the chain's own).")
YEAR = OpenApiParameter(
    "year", OpenApiTypes.INT, description="The year of the figures (default: the latest)."
)
ON = OpenApiParameter(
    "on", OpenApiTypes.DATE, description="The day whose strength rule applies (default today)."
)


class ChainSerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(queryset=Area.objects.all(), allow_null=True, required=False)
    source = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    links = serializers.IntegerField(source="links.count", read_only=True)
    chief = ScopedRelatedField(queryset=User.objects.all(), allow_null=True, required=False)
    lead_department = ScopedRelatedField(queryset=Department.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Chain
        fields = [
            "id", "code", "name", "name_en", "area", "description", "description_en", "chief", "chief_title",
            "lead_department", "source", "links",
        ]  # fmt: skip
        validators = []  # unique code: the service names `code`


class LinkSerializer(serializers.ModelSerializer):
    chain = ScopedRelatedField(queryset=Chain.objects.all())
    parent = ScopedRelatedField(queryset=Link.objects.all(), allow_null=True, required=False)
    industry_codes = serializers.ListField(child=serializers.CharField(max_length=40), required=False)
    keywords = serializers.ListField(child=serializers.CharField(max_length=40), required=False)

    class Meta:
        model = Link
        fields = [
            "id", "chain", "code", "parent", "name", "name_en", "segment", "industry_codes", "keywords",
            "weight", "bottleneck", "position", "benchmark_share", "benchmark_source",
        ]  # fmt: skip
        validators = []


class ChainLinkSerializer(LinkSerializer):
    """A link posted to its chain's own address: the chain is the address's."""

    class Meta(LinkSerializer.Meta):
        fields = [f for f in LinkSerializer.Meta.fields if f != "chain"]


class EdgeSerializer(serializers.ModelSerializer):
    source = ScopedRelatedField(queryset=Link.objects.all())
    target = ScopedRelatedField(queryset=Link.objects.all())

    class Meta:
        model = SupplyEdge
        fields = ["id", "source", "target"]


class PlacementSerializer(serializers.ModelSerializer):
    link = ScopedRelatedField(queryset=Link.objects.all())
    enterprise = ScopedRelatedField(queryset=Enterprise.objects.all(), allow_null=True, required=False)
    project = ScopedRelatedField(queryset=Project.objects.all(), allow_null=True, required=False)
    key_project = ScopedRelatedField(queryset=KeyProject.objects.all(), allow_null=True, required=False)
    chain = serializers.PrimaryKeyRelatedField(source="link.chain", read_only=True)
    area = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Placement
        fields = ["id", "chain", "link", "enterprise", "project", "key_project", "role", "area", "created_at"]
        read_only_fields = ["created_at"]
        validators = []  # placed once per link: the service names the field


class StrengthRuleSerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(queryset=Area.objects.all())

    class Meta:
        model = StrengthRule
        fields = ["id", "area", "effective_from", "strong_enterprises", "strong_above_size"]
        validators = []  # one rule per area and day: the service names `effective_from`


class ChainImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="An xlsx of links as GET …/workbook/ writes it.")
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    area = ScopedRelatedField(queryset=Area.objects.all(), allow_null=True, required=False)
    description = serializers.CharField(required=False, allow_blank=True)


class AdoptSerializer(serializers.Serializer):
    area = ScopedRelatedField(queryset=Area.objects.all())
    code = serializers.CharField(max_length=40)


COVERAGE_LINK = inline_serializer(
    "ChainCoverageLink",
    {
        "link": serializers.IntegerField(),
        "code": serializers.CharField(),
        "name": serializers.CharField(),
        "parent": serializers.IntegerField(allow_null=True),
        "segment": serializers.ChoiceField(Segment.choices),
        "weight": serializers.DecimalField(max_digits=8, decimal_places=2),
        "bottleneck": serializers.BooleanField(),
        "enterprises": serializers.IntegerField(),
        "above_designated_size": serializers.IntegerField(),
        "high_tech": serializers.IntegerField(),
        "specialized": serializers.IntegerField(),
        "leaders": serializers.IntegerField(),
        "output_value": serializers.DecimalField(max_digits=20, decimal_places=2),
        "projects": inline_serializer(
            "ChainCoverageProjects", {s.value: serializers.IntegerField() for s in StageCategory}
        ),
        "key_projects": serializers.IntegerField(),
        "strength": serializers.ChoiceField(Strength.choices),
        "benchmark_share": serializers.DecimalField(max_digits=6, decimal_places=3, allow_null=True),
        "output_share": serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True),
        "location_quotient": serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True),
        "gap": serializers.DecimalField(max_digits=8, decimal_places=2),
    },
    many=True,
)
COVERAGE = inline_serializer(
    "ChainCoverage",
    {
        "chain": serializers.IntegerField(),
        "area": serializers.IntegerField(),
        "year": serializers.IntegerField(),
        "on": serializers.DateField(),
        "thresholds": inline_serializer(
            "ChainStrengthThresholds",
            {
                "strong_enterprises": serializers.IntegerField(),
                "strong_above_size": serializers.IntegerField(),
                "rule": serializers.IntegerField(allow_null=True),
            },
        ),
        "links": COVERAGE_LINK,
        "totals": inline_serializer(
            "ChainCoverageTotals",
            {
                "links": serializers.IntegerField(),
                "strong": serializers.IntegerField(),
                "weak": serializers.IntegerField(),
                "missing": serializers.IntegerField(),
                "enterprises": serializers.IntegerField(),
                "gap": serializers.DecimalField(max_digits=10, decimal_places=2),
                "weight": serializers.DecimalField(max_digits=10, decimal_places=2),
                "gap_score": serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True),
            },
        ),
    },
)
MATRIX = inline_serializer(
    "ChainCoverageMatrixRow",
    {
        "chain": serializers.IntegerField(),
        "code": serializers.CharField(),
        "name": serializers.CharField(),
        "areas": inline_serializer(
            "ChainCoverageMatrixCell",
            {
                "area": serializers.IntegerField(),
                "strong": serializers.IntegerField(),
                "weak": serializers.IntegerField(),
                "missing": serializers.IntegerField(),
                "gap_score": serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True),
            },
            many=True,
        ),
    },
    many=True,
)


def _year_and_day(request) -> tuple[int | None, datetime.date]:
    raw_on, raw_year = request.query_params.get("on", ""), request.query_params.get("year", "")
    try:
        on = datetime.date.fromisoformat(raw_on) if raw_on else timezone.localdate()
    except ValueError:
        raise ValidationError({"on": [_("Give a date as YYYY-MM-DD.")]}) from None
    if not raw_year:
        return None, on
    if not raw_year.isdigit() or not 1900 <= int(raw_year) <= 2200:
        raise ValidationError({"year": [_("Give a year such as 2025.")]})
    return int(raw_year), on


class ChainViewSet(ScopedViewSet):
    """Chains: a zone's own, and the shared templates (no area) that zones adopt."""

    queryset = Chain.objects.select_related("area").order_by("code")
    serializer_class = ChainSerializer
    filterset_fields = ["area"]
    search_fields = ["code", "name", "name_en"]

    def create_record(self, data):
        return services.create_chain(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_chain(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_chain(instance, by=self.request.user)

    @extend_schema(methods=["GET"], summary="The chain's links", responses={200: LinkSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        summary="Add a link to the chain",
        request=ChainLinkSerializer,
        responses={201: LinkSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def links(self, request, pk=None):
        chain = self.get_object()
        if request.method == "GET":
            return Response(LinkSerializer(chain.links.order_by("position", "code"), many=True).data)
        serializer = ChainLinkSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        link = services.create_link(chain, by=request.user, **serializer.validated_data)
        return Response(LinkSerializer(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"], summary="The chain's supply relations", responses={200: EdgeSerializer(many=True)}
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a supply relation",
        request=EdgeSerializer,
        responses={201: EdgeSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def edges(self, request, pk=None):
        chain = self.get_object()
        if request.method == "GET":
            return Response(EdgeSerializer(chain.edges.order_by("pk"), many=True).data)
        serializer = EdgeSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        edge = services.add_edge(chain, by=request.user, **serializer.validated_data)
        return Response(EdgeSerializer(edge).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Adopt a shared template as the area's own chain",
        request=AdoptSerializer,
        responses={201: ChainSerializer},
    )
    @action(detail=True, methods=["post"])
    def adopt(self, request, pk=None):
        template = self.get_object()
        serializer = AdoptSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        chain = services.adopt(template, by=request.user, **serializer.validated_data)
        return Response(self._read_back(chain), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The chain as an xlsx workbook",
        description="Its links, a row each (parents first), with the links each one feeds.",
        responses={(200, XLSX): OpenApiTypes.BINARY},
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def workbook(self, request, pk=None):
        chain = self.get_object()
        return FileResponse(
            io.BytesIO(chain_workbook.export(chain)),
            as_attachment=True,
            filename=f"{chain.code}.xlsx",
            content_type=XLSX,
        )

    @extend_schema(
        summary="Import a chain from an xlsx workbook",
        description=(
            "A new chain (a zone's, or with no area a shared template) with the workbook's links and supply "
            "relations; nothing is written when a row is wrong (400 naming `file` with the row and column)."
        ),
        request={"multipart/form-data": ChainImportSerializer},
        responses={201: ChainSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_workbook(self, request):
        serializer = ChainImportSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        upload = data.pop("file")
        chain = chain_workbook.import_chain(upload, by=request.user, **data)
        return Response(self._read_back(chain), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Strength and gaps of each link in an area",
        description=(
            "Per link: the active enterprises placed on it and below it that the caller sees, how many are "
            "above designated size, high-tech and specialised, their output value (yuan) in `year`, "
            "investment projects by stage, key projects, `strength` and `gap` (weight × 1 missing, "
            "0.5 weak, 0 strong; bottlenecks weigh double). `totals.gap_score` = Σ gap / Σ weight over "
            "the leaf links."
        ),
        parameters=[AREA, YEAR, ON],
        responses={200: COVERAGE},
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def coverage(self, request, pk=None):
        chain = self.get_object()
        area = area_param(request, visible_areas(request.user))
        if area is None:
            if chain.area is None:
                raise ValidationError({"area": [_("A template has no area of its own: give one.")]})
            area = chain.area
        year, on = _year_and_day(request)
        return Response(cover.coverage(chain, area, request.user, year=year or cover.latest_year(on), on=on))

    @extend_schema(
        summary="Gaps the landed projects filled in a year",
        description=(
            "Projects placed on the chain that landed (entered the registered stage or beyond) in `year`, "
            "whose link was missing or weak on 1 January of that year, with its strength then and now."
        ),
        parameters=[AREA, YEAR],
        responses={200: FILLED},
        filters=False,
    )
    @action(detail=True, methods=["get"], url_path="gaps-filled", pagination_class=None, filter_backends=[])
    def gaps_filled(self, request, pk=None):
        chain = self.get_object()
        area = area_param(request, visible_areas(request.user)) or chain.area
        if area is None:
            raise ValidationError({"area": [_("A template has no area of its own: give one.")]})
        year, on = _year_and_day(request)
        rows = targets.gaps_filled(chain, area, request.user, year=year or on.year)
        return Response(
            [
                {
                    "link": r["link"].pk,
                    "project": r["project"].pk,
                    "landed_on": r["landed_on"],
                    "before": r["before"],
                    "now": r["now"],
                }
                for r in rows
            ]
        )

    @extend_schema(
        summary="Coverage matrix: the area's chains × its parks",
        description="Each chain of the zone (and of the areas above it): each park's counts and gap score.",
        parameters=[
            OpenApiParameter("area", OpenApiTypes.INT, required=True, description="The zone."),
            YEAR,
            ON,
        ],
        responses={200: MATRIX},
        filters=False,
    )
    @action(
        detail=False, methods=["get"], url_path="coverage-matrix", pagination_class=None, filter_backends=[]
    )
    def coverage_matrix(self, request):
        area = area_param(request, visible_areas(request.user), required=True)
        year, on = _year_and_day(request)
        chains = scope(Chain.objects.filter(area__path__in=ancestor_paths(area.path)), request.user, VIEW)
        parks = scope(Area.objects.in_subtree(area).filter(kind=AreaKind.PARK), request.user, VIEW).order_by(
            "code"
        )
        return Response(cover.matrix(chains, parks, request.user, year=year or cover.latest_year(on), on=on))


class LinkViewSet(ScopedViewSet):
    queryset = Link.objects.select_related("chain").order_by("chain", "position", "code")
    serializer_class = LinkSerializer
    filterset_fields = ["chain", "segment", "parent"]

    def create_record(self, data):
        chain = data.pop("chain")
        return services.create_link(chain, by=self.request.user, **data)

    def update_record(self, instance, data):
        if "chain" in data and data.pop("chain") != instance.chain:
            raise ValidationError({"chain": [_("A link stays in its chain.")]})
        return services.update_link(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_link(instance, by=self.request.user)

    @extend_schema(
        summary="Ranked targets for the link",
        description=(
            "Candidates outside the zone that fit the link or a link below it and are not yet leads, best "
            "first: `points` is the sum of the reasons' points (fits the link, labels, size, already "
            "supplies or named by one of the chain's leaders in `area`)."
        ),
        parameters=[AREA],
        responses={200: TARGET},
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def targets(self, request, pk=None):
        link = self.get_object()
        area = area_param(request, visible_areas(request.user)) or link.chain.area
        if area is None:
            raise ValidationError({"area": [_("A template has no area of its own: give one.")]})
        ranked = targets.rank(link, area, request.user)
        context = self.get_serializer_context()
        return Response(
            [
                {
                    "candidate": CandidateSerializer(t["candidate"], context=context).data,
                    "points": t["points"],
                    "reasons": t["reasons"],
                }
                for t in ranked
            ]
        )


class PlacementViewSet(ScopedViewSet):
    queryset = Placement.objects.select_related("link").order_by("pk")
    serializer_class = PlacementSerializer
    filterset_fields = ["link", "link__chain", "enterprise", "project", "key_project", "role"]

    def create_record(self, data):
        return services.place(by=self.request.user, **data)

    def update_record(self, instance, data):
        for field in ("link", "enterprise", "project", "key_project"):
            if field in data and data[field] != getattr(instance, field):
                raise ValidationError(
                    {field: [_("Only the role changes; remove the placement and place again.")]}
                )
        return services.update_placement(instance, by=self.request.user, role=data.get("role", instance.role))

    def delete_record(self, instance):
        services.remove_placement(instance, by=self.request.user)


class StrengthRuleViewSet(ScopedViewSet):
    """When an area's links are strong, weak or missing, from a date on."""

    queryset = StrengthRule.objects.select_related("area").order_by("area", "-effective_from")
    serializer_class = StrengthRuleSerializer
    filterset_fields = ["area"]

    def create_record(self, data):
        return services.create_rule(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_rule(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_rule(instance, by=self.request.user)
