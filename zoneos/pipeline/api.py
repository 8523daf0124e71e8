"""REST API of the pipeline: projects (with stage moves, the funnel and export), follow-ups, signing
batches, the zone's industrial plan, conflicts between parks, and the stage names of an area."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from zoneos.accounts.models import User
from zoneos.accounts.scoping import scope
from zoneos.areas.models import Area
from zoneos.audit.history import as_row, entries_for
from zoneos.core import industries
from zoneos.core.api import HISTORY_PAGE, ScopedRelatedField, ScopedViewSet, area_param, load_related
from zoneos.core.rest import FormParser, JSONParser, MultiPartParser, Pagination, ReadListSerializer
from zoneos.core.roles import VIEW
from zoneos.enterprises.api import ExportMixin
from zoneos.enterprises.models import Enterprise

from . import services
from .exports import project_columns
from .filters import ConflictFilter, FollowUpFilter, ProjectFilter
from .funnel import funnel_for
from .models import FollowUp, IndustryGroup, InvestorConflict, Project, SigningBatch, StageEvent
from .moves import PROJECT_MOVES, allowed_moves, moves_from
from .stages import StageCategory


class StageNames:
    """Stage names per area, looked up once per area in a request."""

    def __init__(self):
        self._cache: dict[int, dict[str, str]] = {}

    def __call__(self, area: Area) -> dict[str, str]:
        if area.pk not in self._cache:
            self._cache[area.pk] = services.stage_names(area)
        return self._cache[area.pk]


class StageEventSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True, allow_null=True, default=None)
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = StageEvent
        list_serializer_class = ReadListSerializer
        fields = [
            "id",
            "from_category",
            "to_category",
            "on",
            "on_precision",
            "note",
            "evidence",
            "by",
            "at",
            "days",
        ]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_evidence(self, obj):
        """The evidence file, downloaded through a URL that checks the caller's scope; null if none."""
        if not obj.evidence:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(obj.evidence_url) if request else obj.evidence_url


class ProjectSerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(queryset=Area.objects.all())
    area_name = serializers.CharField(source="area.label", read_only=True)
    industry_code = serializers.CharField(max_length=8, required=False, allow_blank=True)
    industry_name = serializers.SerializerMethodField()
    investor_uscc = serializers.CharField(max_length=40, required=False, allow_blank=True)
    capital_country = CountryField(required=False, allow_blank=True)
    owner = ScopedRelatedField(queryset=User.objects.all(), allow_null=True, required=False)
    owner_name = serializers.SerializerMethodField()
    enterprise = ScopedRelatedField(queryset=Enterprise.objects.all(), allow_null=True, required=False)
    signing_batch = ScopedRelatedField(queryset=SigningBatch.objects.all(), allow_null=True, required=False)
    lead_on = serializers.DateField(required=False)
    stage_name = serializers.SerializerMethodField()
    allowed_moves = serializers.SerializerMethodField()
    plan_group_name = serializers.SerializerMethodField()
    conforms = serializers.SerializerMethodField()
    open_conflicts = serializers.SerializerMethodField()
    events = StageEventSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        list_serializer_class = ReadListSerializer
        fields = [
            "id",
            "name",
            "code",
            "area",
            "area_name",
            "investor_name",
            "investor_uscc",
            "investor_group",
            "capital_origin",
            "capital_country",
            "industry_code",
            "industry_section",
            "industry_name",
            "total_investment",
            "fixed_asset_investment",
            "expected_output",
            "expected_tax",
            "land_mu",
            "floor_space_m2",
            "floor_load",
            "clear_height",
            "jobs",
            "owner",
            "owner_name",
            "source",
            "description",
            "enterprise",
            "signing_batch",
            "stage",
            "stage_name",
            "stage_on",
            "stage_on_precision",
            "lead_on",
            "lead_on_precision",
            "allowed_moves",
            "plan_group",
            "plan_group_name",
            "conforms",
            "flagged",
            "open_conflicts",
            "events",
            "created_at",
            "updated_at",
        ]
        # What the method fields read: the owner's and the planned industry's names, open conflicts.
        select_related = ["owner", "plan_group"]
        prefetch_related = ["conflicts", Prefetch("events", queryset=StageEvent.objects.select_related("by"))]
        read_only_fields = [
            "industry_section",
            "stage",
            "stage_on",
            "plan_group",
            "flagged",
            "created_at",
            "updated_at",
        ]

    def _names(self, obj) -> dict[str, str]:
        names = self.context.setdefault("stage_names", StageNames())
        return names(obj.area)

    def get_stage_name(self, obj) -> str:
        return self._names(obj)[obj.stage]

    def get_allowed_moves(self, obj) -> list[str]:
        return moves_from(obj)

    def get_industry_name(self, obj) -> str:
        industry = industries.get(obj.industry_code) if obj.industry_code else None
        return industry.label if industry else ""

    def get_owner_name(self, obj) -> str:
        return str(obj.owner) if obj.owner else ""

    def get_plan_group_name(self, obj) -> str:
        return obj.plan_group.label if obj.plan_group else ""

    def get_conforms(self, obj) -> bool:
        return obj.plan_group_id is not None

    def get_open_conflicts(self, obj) -> list[int]:
        return [c.pk for c in obj.conflicts.all() if c.status == "open"]


# `to` chooses the move (the table's step into that category); the other fields are the inputs the
# table declares for the moves.
TransitionSerializer = type(
    "TransitionSerializer",
    (serializers.Serializer,),
    {
        "to": serializers.ChoiceField(choices=StageCategory.choices),
        **{spec.name: spec.api_field() for step in PROJECT_MOVES for spec in step.inputs},
    },
)


def _date_param(request, name: str) -> datetime.date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationError({name: [_("Give a date as YYYY-MM-DD.")]}) from exc


FUNNEL_ROW = inline_serializer(
    name="FunnelBreakdown",
    fields={
        "key": serializers.CharField(allow_null=True),
        "label": serializers.CharField(),
        "count": serializers.IntegerField(),
        "total_investment": serializers.DecimalField(max_digits=20, decimal_places=2),
        "signed": serializers.IntegerField(),
        "dropped": serializers.IntegerField(),
    },
    many=True,
)
FUNNEL = inline_serializer(
    name="Funnel",
    fields={
        "area": serializers.IntegerField(allow_null=True),
        "stages": inline_serializer(
            name="FunnelStage",
            fields={
                "category": serializers.ChoiceField(choices=StageCategory.choices),
                "label": serializers.CharField(),
                "count": serializers.IntegerField(),
                "total_investment": serializers.DecimalField(max_digits=20, decimal_places=2),
                "entered": serializers.IntegerField(),
                "moved_on": serializers.IntegerField(allow_null=True),
                "conversion_rate": serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True),
                "median_days": serializers.FloatField(allow_null=True),
            },
            many=True,
        ),
        "total": serializers.IntegerField(),
        "total_investment": serializers.DecimalField(max_digits=20, decimal_places=2),
        "signed": serializers.IntegerField(),
        "signed_investment": serializers.DecimalField(max_digits=20, decimal_places=2),
        "over_100m": serializers.IntegerField(),
        "over_1b": serializers.IntegerField(),
        "by_area": FUNNEL_ROW,
        "by_officer": FUNNEL_ROW,
        "by_capital_origin": FUNNEL_ROW,
        "by_industry": FUNNEL_ROW,
    },
)


def _area_param(request) -> Area | None:
    """`?area=<id>`: an area the caller sees (404 otherwise), or None when not given."""
    return area_param(request, scope(Area.objects.all(), request.user, VIEW))


def funnel_of_request(request) -> dict:
    """The funnel the query string asks for (`area`, `from`, `to`), over the caller's projects."""
    area = _area_param(request)
    start, end = _date_param(request, "from"), _date_param(request, "to")
    if start and end and end < start:
        raise ValidationError({"to": [_("The end of the period comes before its start.")]})
    return funnel_for(request.user, area, start, end)


class ProjectViewSet(ExportMixin, ScopedViewSet):
    """Investment projects within the caller's scope. A new project starts as a lead; its stage
    changes only through `transition`."""

    export_columns = staticmethod(project_columns)
    export_name = "projects"

    queryset = Project.objects.all()
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def create_record(self, data):
        return services.create_project(by=self.request.user, **data)

    def update_record(self, instance, data):
        data.pop("lead_on", None)
        return services.update_project(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_project(instance, by=self.request.user)

    @extend_schema(
        summary="Move the project to another stage",
        description=(
            "`to` is a stage category; `on` the day of the move (today unless given; may be in the "
            "past). A move the table of allowed moves forbids answers 409 and changes nothing. "
            "`evidence` (multipart) is an optional file: agreement, land certificate, permit."
        ),
        request={"application/json": TransitionSerializer, "multipart/form-data": TransitionSerializer},
        responses={200: ProjectSerializer},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        project = self.get_object()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        inputs = dict(serializer.validated_data)
        PROJECT_MOVES.take(inputs.pop("to"), project, by=request.user, **inputs)
        return Response(self._read_back(project))

    @extend_schema(
        summary="The funnel of the projects in an area's subtree",
        description=(
            "Per stage category: the projects now in it and their total investment, how many ever "
            "entered it, the share of those that moved on to a later category, and the median days a "
            "project stayed in it. `from`/`to` select the projects that became leads in that period."
        ),
        parameters=[
            OpenApiParameter("area", OpenApiTypes.INT, description="An area id (default: all you see)."),
            OpenApiParameter("from", OpenApiTypes.DATE),
            OpenApiParameter("to", OpenApiTypes.DATE),
        ],
        responses={200: FUNNEL},
        filters=False,
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def funnel(self, request):
        return Response(funnel_of_request(request))


class FollowUpSerializer(serializers.ModelSerializer):
    project = ScopedRelatedField(queryset=Project.objects.all())
    project_name = serializers.CharField(source="project.name", read_only=True)
    by = serializers.CharField(source="by.username", read_only=True, allow_null=True, default=None)
    on = serializers.DateField(required=False)

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "project",
            "project_name",
            "kind",
            "on",
            "summary",
            "next_action",
            "next_action_on",
            "next_action_done",
            "by",
            "created_at",
        ]


class FollowUpViewSet(ScopedViewSet):
    """Visits, calls, meetings and ceremonies of a project, each with its next action."""

    queryset = FollowUp.objects.select_related("project__area", "by")
    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilter

    def create_record(self, data):
        return services.create_follow_up(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_follow_up(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_follow_up(instance, by=self.request.user)


class SigningBatchSerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(queryset=Area.objects.all())
    area_name = serializers.CharField(source="area.label", read_only=True)
    projects = serializers.SerializerMethodField()
    project_count = serializers.SerializerMethodField()
    total_investment = serializers.SerializerMethodField()

    class Meta:
        model = SigningBatch
        fields = [
            "id",
            "area",
            "area_name",
            "name",
            "held_on",
            "mode",
            "note",
            "projects",
            "project_count",
            "total_investment",
        ]

    def _projects(self, obj) -> list[Project]:
        return list(obj.projects.all())

    def get_projects(self, obj) -> list[int]:
        return [p.pk for p in self._projects(obj)]

    def get_project_count(self, obj) -> int:
        return len(self._projects(obj))

    def get_total_investment(self, obj) -> str:
        total = sum((p.total_investment or 0 for p in self._projects(obj)), 0)
        return f"{total:.2f}"


class SigningBatchViewSet(ScopedViewSet):
    """Signing events (集中签约) with their projects and totals."""

    queryset = SigningBatch.objects.select_related("area").prefetch_related("projects")
    serializer_class = SigningBatchSerializer

    def create_record(self, data):
        return services.create_batch(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_batch(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_batch(instance, by=self.request.user)


class IndustryGroupSerializer(serializers.ModelSerializer):
    zone = ScopedRelatedField(queryset=Area.objects.all())
    zone_name = serializers.CharField(source="zone.label", read_only=True)
    codes = serializers.ListField(child=serializers.CharField(max_length=8), allow_empty=False)

    class Meta:
        model = IndustryGroup
        fields = ["id", "zone", "zone_name", "name", "name_en", "category", "codes"]
        validators = []


class IndustryGroupViewSet(ScopedViewSet):
    """The zone's industrial plan ("3+3+X"): named groups of industry codes with a category."""

    queryset = IndustryGroup.objects.all()
    serializer_class = IndustryGroupSerializer

    def create_record(self, data):
        return services.create_group(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_group(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_group(instance, by=self.request.user)


class ConflictSerializer(serializers.ModelSerializer):
    zone_name = serializers.CharField(source="zone.label", read_only=True)
    projects = serializers.SerializerMethodField()
    chosen_area_name = serializers.SerializerMethodField()
    resolved_by = serializers.CharField(source="resolved_by.username", read_only=True, allow_null=True)

    class Meta:
        model = InvestorConflict
        fields = [
            "id",
            "zone",
            "zone_name",
            "projects",
            "investor_key",
            "status",
            "chosen_area",
            "chosen_area_name",
            "opened_at",
            "resolved_at",
            "resolved_by",
            "note",
        ]

    def get_projects(self, obj) -> list[int]:
        return sorted(p.pk for p in obj.projects.all())

    def get_chosen_area_name(self, obj) -> str:
        return obj.chosen_area.label if obj.chosen_area else ""


class ResolveSerializer(serializers.Serializer):
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.all())
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ConflictViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Conflicts between the parks of a zone over one investor, for the zone's coordinators.
    Opened by the platform when a project is created or its investor changes; resolved by choosing
    the park that goes on (the other parks' projects are dropped)."""

    queryset = InvestorConflict.objects.select_related("zone", "chosen_area", "resolved_by").prefetch_related(
        "projects"
    )
    serializer_class = ConflictSerializer
    filterset_class = ConflictFilter
    permission_classes = [IsAuthenticated]
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return load_related(
            scope(super().get_queryset(), self.request.user, VIEW), self.get_serializer_class()
        )

    @extend_schema(summary="Resolve the conflict by choosing the park", request=ResolveSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        conflict = self.get_object()
        serializer = ResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.resolve_conflict(conflict, by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=conflict.pk)).data)

    @extend_schema(
        summary="History of the record",
        responses={200: HISTORY_PAGE},
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=Pagination, filter_backends=[])
    def history(self, request, pk=None):
        entries = entries_for(self.get_object())
        page = self.paginate_queryset(entries)
        return self.get_paginated_response([as_row(e) for e in page])


STAGE_ROW = inline_serializer(
    name="StageName",
    fields={
        "category": serializers.ChoiceField(choices=StageCategory.choices),
        "name": serializers.CharField(),
        "allowed_moves": serializers.ListField(child=serializers.CharField()),
    },
    many=True,
)


class StageListView(APIView):
    """The stages as an area calls them, in order, with the moves allowed from each."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="The stages of an area",
        parameters=[OpenApiParameter("area", OpenApiTypes.INT, description="An area id (default: none).")],
        responses={200: STAGE_ROW},
    )
    def get(self, request):
        names = services.stage_names(_area_param(request))
        return Response(
            [
                {"category": c.value, "name": names[c.value], "allowed_moves": sorted(allowed_moves(c.value))}
                for c in StageCategory
            ]
        )
