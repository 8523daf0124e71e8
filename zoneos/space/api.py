"""REST API of space: parcels, buildings, units and leases (CRUD over the caller's scope, with history),
the leases ending soon, vacancy by park with its rollups, and the space that fits an investment
project. Thin: every write calls `services`, every figure comes from `figures`."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from zoneos.accounts.scoping import areas_for_roles, scope
from zoneos.areas.models import Area
from zoneos.core.api import ScopedRelatedField, ScopedViewSet, area_param
from zoneos.core.filters import as_id
from zoneos.core.roles import VIEW
from zoneos.enterprises.models import Enterprise
from zoneos.pipeline.models import Project
from zoneos.supervision.models import KeyProject

from . import figures, services
from .filters import BuildingFilter, LeaseFilter, ParcelFilter, RenovationFilter, UnitFilter
from .models import Building, Lease, LeaseStatus, Parcel, Renovation, Unit
from .scoping import STAFF_ROLES

AREA = {"max_digits": 14, "decimal_places": 2}


def _today():
    return timezone.localdate()


class ParcelSerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(queryset=Area.objects.all())
    area_name = serializers.CharField(source="area.label", read_only=True)
    area_m2 = serializers.DecimalField(**AREA, required=False, help_text="Square metres.")
    area_mu = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="亩 (1 亩 = 10,000/15 m²): read from the area; on writes an alternative to `area_m2`.",
    )
    project = ScopedRelatedField(queryset=Project.objects.all(), allow_null=True, required=False)
    project_name = serializers.CharField(source="project.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Parcel
        fields = [
            "id", "area", "area_name", "code", "name", "land_use", "area_m2", "area_mu", "status",
            "plot_ratio", "project", "project_name", "notes", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        validators = []  # a code once per park: the service names `code`


class BuildingSerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(queryset=Area.objects.all())
    area_name = serializers.CharField(source="area.label", read_only=True)
    parcel = ScopedRelatedField(queryset=Parcel.objects.all(), allow_null=True, required=False)
    units = serializers.IntegerField(source="unit_count", read_only=True, default=0)
    leased_units = serializers.IntegerField(read_only=True, default=0, help_text="Units leased today.")

    class Meta:
        model = Building
        fields = [
            "id", "area", "area_name", "parcel", "code", "name", "kind", "floors", "floor_area_m2",
            "floor_load_kn", "clear_height_m", "completed_on", "notes", "units", "leased_units", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        validators = []
        annotate = {
            "unit_count": lambda: Count("units", distinct=True),
            "leased_units": lambda: Count(
                "units",
                filter=Q(units__leases__starts_on__lte=_today(), units__leases__ends_on__gte=_today()),
                distinct=True,
            ),
        }


def _current(field: str):
    return lambda: Subquery(
        Lease.objects.covering(_today())
        .filter(unit_id=OuterRef("pk"))
        .order_by("starts_on")
        .values(field)[:1]
    )


class UnitSerializer(serializers.ModelSerializer):
    building = ScopedRelatedField(queryset=Building.objects.all())
    building_code = serializers.CharField(source="building.code", read_only=True)
    area = serializers.SerializerMethodField()
    load = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="Its own, else the building's.",
    )
    height = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="Its own, else the building's.",
    )
    lease = serializers.IntegerField(
        source="current_lease",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="The lease in force today.",
    )
    tenant = serializers.IntegerField(source="current_tenant", read_only=True, allow_null=True, default=None)
    tenant_name = serializers.CharField(
        source="current_tenant_name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Unit
        fields = [
            "id", "building", "building_code", "area", "code", "floor", "floor_area_m2", "floor_load_kn",
            "clear_height_m", "load", "height", "lease", "tenant", "tenant_name", "notes", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        validators = []
        select_related = ["building"]
        annotate = {
            "current_lease": _current("pk"),
            "current_tenant": _current("tenant_id"),
            "current_tenant_name": _current("tenant__name"),
        }

    def get_area(self, obj) -> int:
        """The park's id."""
        return obj.building.area_id


class LeaseSerializer(serializers.ModelSerializer):
    unit = ScopedRelatedField(queryset=Unit.objects.all())
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    building = serializers.SerializerMethodField()
    area = serializers.SerializerMethodField()
    tenant = ScopedRelatedField(queryset=Enterprise.objects.all())
    tenant_name = serializers.CharField(source="tenant.name", read_only=True)
    status = serializers.SerializerMethodField()
    rent_per_m2 = serializers.SerializerMethodField()

    class Meta:
        model = Lease
        fields = [
            "id", "unit", "unit_code", "building", "area", "tenant", "tenant_name", "starts_on", "ends_on",
            "status", "monthly_rent", "rent_per_m2", "notes", "warned_on", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["warned_on", "created_at", "updated_at"]
        select_related = ["unit__building"]

    def get_building(self, obj) -> int:
        return obj.unit.building_id

    def get_area(self, obj) -> int:
        """The park's id."""
        return obj.unit.building.area_id

    @extend_schema_field(serializers.ChoiceField(choices=LeaseStatus.choices))
    def get_status(self, obj) -> str:
        """Upcoming, active or ended, read from the dates today."""
        return obj.status_on(_today())

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True))
    def get_rent_per_m2(self, obj) -> str | None:
        """The monthly rent per m² of the unit, in yuan (two decimals); null without a rent."""
        if obj.monthly_rent is None:
            return None
        per = obj.monthly_rent / obj.unit.floor_area_m2
        return str(per.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


class RenovationSerializer(serializers.ModelSerializer):
    building = ScopedRelatedField(queryset=Building.objects.all())
    building_name = serializers.CharField(source="building.name", read_only=True)
    key_project = ScopedRelatedField(queryset=KeyProject.objects.all())
    key_project_name = serializers.CharField(source="key_project.name", read_only=True)
    year = serializers.IntegerField(source="key_project.year", read_only=True)

    class Meta:
        model = Renovation
        fields = [
            "id", "building", "building_name", "key_project", "key_project_name", "year", "floor_area_m2",
            "purpose", "notes", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        select_related = ["building", "key_project"]
        validators = []  # a key project tracks a building once: the service names `key_project`


class ParcelViewSet(ScopedViewSet):
    """Land parcels: area in m² (`area_m2`) or 亩 (`area_mu`), status reserve, supplied or built."""

    queryset = Parcel.objects.order_by("area__path", "code", "pk")
    serializer_class = ParcelSerializer
    filterset_class = ParcelFilter

    def create_record(self, data):
        return services.create_parcel(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_parcel(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_parcel(instance, by=self.request.user)


class BuildingViewSet(ScopedViewSet):
    """Buildings of a park: standard factories, incubators, offices... with their units counted."""

    queryset = Building.objects.order_by("area__path", "code", "pk")
    serializer_class = BuildingSerializer
    filterset_class = BuildingFilter

    def create_record(self, data):
        return services.create_building(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_building(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_building(instance, by=self.request.user)


class UnitViewSet(ScopedViewSet):
    """Units let on their own, with the lease in force today (if any) and their effective load and height."""

    queryset = Unit.objects.order_by("building", "floor", "code", "pk")
    serializer_class = UnitSerializer
    filterset_class = UnitFilter

    def create_record(self, data):
        building = data.pop("building")
        return services.create_unit(building, by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_unit(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_unit(instance, by=self.request.user)


DAYS = OpenApiParameter(
    "days", OpenApiTypes.INT, description=f"Within this many days (default {figures.EXPIRING_DAYS}, 1-366)."
)
AREA_PARAMETER = OpenApiParameter(
    "area", OpenApiTypes.INT, description="An area's subtree (default: all you see)."
)
ON = OpenApiParameter("on", OpenApiTypes.DATE, description="The day (default today).")


def _day(request, name: str = "on") -> datetime.date | None:
    raw = request.query_params.get(name, "")
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({name: [_("Give a date as YYYY-MM-DD.")]}) from None


def _staff_area(request):
    """`?area=`: an area where the caller holds a staff role (404 otherwise), or None."""
    return area_param(request, areas_for_roles(request.user, STAFF_ROLES))


class LeaseViewSet(ScopedViewSet):
    """Leases of units to enterprises. Leases of one unit never overlap (400 naming `starts_on` or
    `ends_on`); the tenant is an enterprise registered in the park's zone."""

    queryset = Lease.objects.order_by("unit", "-starts_on", "pk")
    serializer_class = LeaseSerializer
    filterset_class = LeaseFilter

    def create_record(self, data):
        unit = data.pop("unit")
        return services.create_lease(unit, by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_lease(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_lease(instance, by=self.request.user)

    @extend_schema(
        summary="Leases ending soon",
        description="Leases in force today that end within `days` days, soonest first.",
        parameters=[DAYS, AREA_PARAMETER],
        responses={200: LeaseSerializer(many=True)},
        filters=False,
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def expiring(self, request):
        raw = request.query_params.get("days", "")
        days = as_id(raw) if raw else figures.EXPIRING_DAYS
        if days is None or not 1 <= days <= 366:
            raise ValidationError({"days": [_("Give a number of days from 1 to 366.")]})
        leases = figures.expiring(request.user, _staff_area(request), days=days)
        return Response(LeaseSerializer(leases, many=True, context=self.get_serializer_context()).data)


class RenovationViewSet(ScopedViewSet):
    """Buildings renovated under key projects (旧改: old factories made research space, incubators, new
    standard factories): the building, the key project (of the building's park or an area above it;
    its plan and monthly progress are supervision's), the floor area renovated and its purpose. A key
    project tracks one building once (400 naming `key_project`); the area is at most the building's."""

    queryset = Renovation.objects.select_related("building", "key_project").order_by("building", "pk")
    serializer_class = RenovationSerializer
    filterset_class = RenovationFilter

    def create_record(self, data):
        building = data.pop("building")
        return services.create_renovation(building, by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_renovation(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_renovation(instance, by=self.request.user)


# Figures -------------------------------------------------------------------------------------------
def _area_fields():
    return {
        "area": serializers.IntegerField(),
        "area_name": serializers.CharField(),
        "kind": serializers.CharField(),
        "units": serializers.IntegerField(),
        "leased": serializers.IntegerField(),
        "vacant": serializers.IntegerField(),
        "floor_area_m2": serializers.DecimalField(max_digits=18, decimal_places=2),
        "leased_m2": serializers.DecimalField(max_digits=18, decimal_places=2),
        "vacant_m2": serializers.DecimalField(max_digits=18, decimal_places=2),
        "vacancy_rate": serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True),
    }


VACANCY_ROW = inline_serializer("SpaceVacancyRow", _area_fields(), many=True)
TOTALS = {k: v for k, v in _area_fields().items() if k not in ("area", "area_name", "kind")}
VACANCY = inline_serializer(
    "SpaceVacancy",
    {
        "on": serializers.DateField(),
        "area": serializers.IntegerField(allow_null=True),
        "totals": inline_serializer("SpaceVacancyTotals", TOTALS),
        "parks": VACANCY_ROW,
        "rollups": VACANCY_ROW,
    },
)


def _text(value, places: str = "0.01") -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal(places), rounding=ROUND_HALF_UP))


def figures_json(row: dict) -> dict:
    out = {k: row[k] for k in ("units", "leased", "vacant")}
    out.update({k: _text(row[k]) for k in ("floor_area_m2", "leased_m2", "vacant_m2")})
    out["vacancy_rate"] = _text(row["vacancy_rate"], "0.0001")
    if "area" in row:
        area = row["area"]
        out = {"area": area.pk, "area_name": area.label, "kind": area.kind, **out}
    return out


class VacancyView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Vacancy by park",
        description=(
            "On `on` (default today): per park (each area holding buildings) the units, those leased (a "
            "lease covers the day) and vacant, their floor areas in m² and the vacancy rate (vacant floor "
            "area / floor area, a fraction); `rollups` sums the parks of each zone or region whose whole "
            "subtree the caller sees. Only the units the caller sees are counted."
        ),
        parameters=[AREA_PARAMETER, ON],
        responses={200: VACANCY},
    )
    def get(self, request):
        result = figures.vacancy(request.user, _staff_area(request), _day(request))
        return Response(
            {
                "on": result["on"],
                "area": result["area"].pk if result["area"] else None,
                "totals": figures_json(result["totals"]),
                "parks": [figures_json(r) for r in result["parks"]],
                "rollups": [figures_json(r) for r in result["rollups"]],
            }
        )


NEEDS = inline_serializer(
    "SpaceNeeds",
    {
        "land_mu": serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True),
        "land_m2": serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True),
        "floor_space_m2": serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True),
        "floor_load": serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True),
        "clear_height": serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True),
    },
)
MATCH = inline_serializer(
    "SpaceMatch",
    {
        "project": serializers.IntegerField(),
        "zone": serializers.IntegerField(),
        "on": serializers.DateField(),
        "needs": NEEDS,
        "parcels": inline_serializer(
            "SpaceMatchParcel",
            {
                "id": serializers.IntegerField(),
                "code": serializers.CharField(),
                "name": serializers.CharField(),
                "area": serializers.IntegerField(),
                "area_name": serializers.CharField(),
                "land_use": serializers.CharField(),
                "area_m2": serializers.DecimalField(max_digits=14, decimal_places=2),
                "area_mu": serializers.DecimalField(max_digits=12, decimal_places=2),
                "spare_mu": serializers.DecimalField(max_digits=12, decimal_places=2),
                "plot_ratio": serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True),
            },
            many=True,
        ),
        "units": inline_serializer(
            "SpaceMatchUnit",
            {
                "id": serializers.IntegerField(),
                "code": serializers.CharField(),
                "building": serializers.IntegerField(),
                "building_code": serializers.CharField(),
                "building_name": serializers.CharField(),
                "area": serializers.IntegerField(),
                "area_name": serializers.CharField(),
                "floor": serializers.IntegerField(),
                "floor_area_m2": serializers.DecimalField(max_digits=14, decimal_places=2),
                "load": serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True),
                "height": serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True),
            },
            many=True,
        ),
    },
)


class MatchView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Space that fits an investment project",
        description=(
            "The project's needs (land in 亩, floor space in m², floor load in kN/m², clear height in m) "
            "against the space of its zone the caller sees: parcels in reserve at least as large as the land "
            "needed, smallest first; units free from `on` on (no lease covers the day or starts after it) "
            "whose floor area, load and height each meet the stated needs, smallest first. At most "
            f"{figures.MATCH_LIMIT} of each."
        ),
        parameters=[
            OpenApiParameter("project", OpenApiTypes.INT, required=True, description="The project's id."),
            ON,
        ],
        responses={200: MATCH},
    )
    def get(self, request):
        project_id = as_id(request.query_params.get("project", ""))
        if project_id is None:
            raise ValidationError({"project": [_("Give the id of an investment project.")]})
        project = (
            scope(Project.objects.select_related("area"), request.user, VIEW).filter(pk=project_id).first()
        )
        if project is None:
            raise Http404
        found = figures.match(project, request.user, on=_day(request))
        return Response(
            {
                "project": project.pk,
                "zone": found["zone"].pk,
                "on": found["on"],
                "needs": {k: _text(v) for k, v in found["needs"].items()},
                "parcels": [
                    {
                        "id": p.pk,
                        "code": p.code,
                        "name": p.name,
                        "area": p.area_id,
                        "area_name": p.area.label,
                        "land_use": p.land_use,
                        "area_m2": _text(p.area_m2),
                        "area_mu": _text(p.area_mu),
                        "spare_mu": _text(p.spare_mu),
                        "plot_ratio": _text(p.plot_ratio),
                    }
                    for p in found["parcels"]
                ],
                "units": [
                    {
                        "id": u.pk,
                        "code": u.code,
                        "building": u.building_id,
                        "building_code": u.building.code,
                        "building_name": u.building.name,
                        "area": u.building.area_id,
                        "area_name": u.building.area.label,
                        "floor": u.floor,
                        "floor_area_m2": _text(u.floor_area_m2),
                        "load": _text(u.eff_load),
                        "height": _text(u.eff_height),
                    }
                    for u in found["units"]
                ],
            }
        )
