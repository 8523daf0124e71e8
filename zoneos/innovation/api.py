"""REST API of innovation points: points systems (CRUD by a zone's admins, read by its staff, with
history), consents (recorded by staff, given and withdrawn by the enterprise's own users), the ranking
of an area's enterprises with each one's points explained per indicator, and the file a partner bank
receives of the enterprises that consented to it. Thin: writes call `services`, points come from
`points`."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from zoneos.accounts.scoping import areas_for_roles, memberships, policy_for, scope
from zoneos.areas.models import Area
from zoneos.core.api import ScopedRelatedField, ScopedViewSet, WriteRolePermission, area_param
from zoneos.core.rest import Pagination
from zoneos.core.roles import VIEW
from zoneos.enterprises.models import Enterprise
from zoneos.tabular.export import ExportColumn, response

from . import points, services
from .models import Consent, PointsIndicator, PointsSystem
from .scoping import EXPORTERS, STAFF_ROLES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
POINTS = {"max_digits": 12, "decimal_places": 2}
SIX = Decimal("0.000001")


class PointsIndicatorSerializer(serializers.ModelSerializer):
    brackets = serializers.JSONField(
        required=False,
        help_text='Piecewise scoring: `[{"from": 0, "to": 0.03, "points": 5}, ...]`, `from` included, `to` '
        "excluded, null for an open end; rising and not overlapping.",
    )

    class Meta:
        model = PointsIndicator
        fields = ["id", "variable", "label", "weight", "brackets", "label_points"]
        read_only_fields = ["id"]
        validators = []  # each variable once per system: the service names the place


class PointsSystemSerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(queryset=Area.objects.all())
    area_name = serializers.CharField(source="area.label", read_only=True)
    indicators = PointsIndicatorSerializer(many=True, required=False)

    class Meta:
        model = PointsSystem
        fields = ["id", "area", "area_name", "name", "effective_from", "notes", "indicators", "created_at"]
        read_only_fields = ["created_at"]
        validators = []  # one system per zone and day: the service names `effective_from`


class SystemViewSet(ScopedViewSet):
    """A zone's innovation points system from a day on, with its indicators (written as a whole)."""

    queryset = (
        PointsSystem.objects.select_related("area")
        .prefetch_related("indicators")
        .order_by("area", "-effective_from")
    )
    serializer_class = PointsSystemSerializer
    filterset_fields = ["area"]

    def create_record(self, data):
        return services.create_system(by=self.request.user, **_plain(data))

    def update_record(self, instance, data):
        return services.update_system(instance, by=self.request.user, **_plain(data))

    def delete_record(self, instance):
        services.delete_system(instance, by=self.request.user)


def _plain(data: dict) -> dict:
    if "indicators" in data:
        data = {**data, "indicators": [dict(row) for row in data["indicators"]]}
    return data


class ConsentSerializer(serializers.ModelSerializer):
    enterprise = ScopedRelatedField(queryset=Enterprise.objects.all())
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True, allow_null=True)

    class Meta:
        model = Consent
        fields = [
            "id", "enterprise", "enterprise_name", "bank", "given_on", "withdrawn_on", "recorded_by",
            "created_at",
        ]  # fmt: skip
        read_only_fields = ["created_at"]


class ConsentPermission(WriteRolePermission):
    """Enterprise users give and withdraw their own consents (the default asks for a role on an area)."""

    def has_permission(self, request, view):
        if super().has_permission(request, view):
            return True
        if not request.user or not request.user.is_authenticated:
            return False
        writers = policy_for(Consent).write_roles
        return any(m.enterprise_id and m.role in writers for m in memberships(request.user))


class ConsentViewSet(ScopedViewSet):
    """Consents to hand an enterprise's innovation points to a partner bank; withdrawn by setting
    `withdrawn_on` (kept, never deleted: the bank's files are explained by them)."""

    permission_classes = [ConsentPermission]
    queryset = Consent.objects.select_related("enterprise__area", "recorded_by").order_by("pk")
    serializer_class = ConsentSerializer
    filterset_fields = ["enterprise", "bank"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create_record(self, data):
        return services.give_consent(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_consent(instance, by=self.request.user, **data)


# The ranking and the bank's file -----------------------------------------------------------------
AREA = OpenApiParameter("area", OpenApiTypes.INT, required=True, description="The area ranked (its subtree).")
YEAR = OpenApiParameter("year", OpenApiTypes.INT, description="The year scored (default: last year).")
LINE = inline_serializer(
    "InnovationPointsLine",
    {
        "indicator": serializers.CharField(),
        "variable": serializers.CharField(),
        "value": serializers.JSONField(
            help_text="The variable's value (a ratio as a fraction); null: unknown."
        ),
        "missing": serializers.ListField(
            child=serializers.CharField(), help_text="The facts that are unknown."
        ),
        "bracket": serializers.JSONField(
            allow_null=True, help_text="The bracket scored: index, from, to, points."
        ),
        "points": serializers.DecimalField(**POINTS),
        "weight": serializers.DecimalField(max_digits=6, decimal_places=3),
        "weighted": serializers.DecimalField(**POINTS),
    },
    many=True,
)
RANKED = inline_serializer(
    "InnovationPointsRanking",
    {
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "year": serializers.IntegerField(),
        "system": serializers.JSONField(
            allow_null=True, help_text="The system applied: id, name, effective_from."
        ),
        "results": inline_serializer(
            "InnovationPointsRow",
            {
                "rank": serializers.IntegerField(),
                "enterprise": serializers.IntegerField(),
                "name": serializers.CharField(),
                "uscc": serializers.CharField(),
                "area": serializers.IntegerField(),
                "total": serializers.DecimalField(**POINTS),
                "indicators": LINE,
            },
            many=True,
        ),
    },
)


def year_param(request) -> int:
    raw = request.query_params.get("year", "")
    if not raw:
        return timezone.localdate().year - 1
    if not raw.isdigit() or not 1990 <= int(raw) <= 2100:
        raise ValidationError({"year": [_("Give a year.")]})
    return int(raw)


def ranked(request, roles) -> tuple[Area, int, PointsSystem | None, list[points.Score]]:
    """The area asked for (among those `roles` reach: out of reach is 404), the year and its ranking of
    the enterprises the caller sees."""
    area = area_param(request, areas_for_roles(request.user, roles), required=True)
    year = year_param(request)
    system, scores = points.ranking(area, year, scope(Enterprise.objects.all(), request.user, VIEW))
    return area, year, system, scores


def row_json(s: points.Score) -> dict:
    e = s.enterprise
    return {
        "rank": s.rank,
        "enterprise": e.pk,
        "name": e.name,
        "uscc": e.uscc,
        "area": e.area_id,
        "total": str(s.total),
        "indicators": [_line_json(line.as_dict()) for line in s.lines],
    }


def _line_json(line: dict) -> dict:
    """Decimals as strings, as every decimal of the API; a value to six places at most."""
    value = line["value"]
    if isinstance(value, Decimal):
        value = format(value.quantize(SIX).normalize(), "f")
    return {
        **line,
        "value": value,
        "points": str(line["points"]),
        "weight": str(line["weight"]),
        "weighted": str(line["weighted"]),
    }


def system_json(system: PointsSystem | None) -> dict | None:
    if system is None:
        return None
    return {"id": system.pk, "name": system.name, "effective_from": system.effective_from}


class PointsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Innovation points of an area's enterprises, ranked",
        description=(
            "Every active enterprise of the area that the caller sees, scored for `year` by the points "
            "system in force on 1 January of the next year (the area's or the nearest above it; "
            "`system` null: none, and no results), best first; ties share a rank. Each row explains "
            "its points per indicator: the value read, the bracket scored, the points, the weight and "
            "the weighted points (their sum is `total`)."
        ),
        parameters=[AREA, YEAR],
        responses={200: RANKED},
        filters=False,
    )
    def get(self, request):
        _area, year, system, scores = ranked(request, STAFF_ROLES)
        paginator = Pagination()
        page = paginator.paginate_queryset(scores, request, view=self)
        answer = paginator.get_paginated_response([row_json(s) for s in page])
        answer.data["year"] = year
        answer.data["system"] = system_json(system)
        return answer


class BankExportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Innovation points for a partner bank (创新积分贷), as xlsx",
        description=(
            "The ranking of the area for `year`, only of the enterprises whose consent to `bank` is in "
            "force on `on` (default today): USCC, name, total points, rank in the area, and the "
            "weighted points of each indicator. For the zone's admins and service officers; each "
            "export is written to the security log."
        ),
        parameters=[
            AREA,
            YEAR,
            OpenApiParameter("bank", OpenApiTypes.STR, required=True, description="The partner bank."),
            OpenApiParameter(
                "on", OpenApiTypes.DATE, description="The day consents must hold (default today)."
            ),
        ],
        responses={(200, XLSX): OpenApiTypes.BINARY},
        filters=False,
    )
    def get(self, request):
        bank = request.query_params.get("bank", "").strip()
        if not bank:
            raise ValidationError({"bank": [_("Name the bank.")]})
        on = _day(request)
        _area, year, system, scores = ranked(request, EXPORTERS)
        consenting = set(
            Consent.objects.valid_on(on)
            .filter(bank=bank, enterprise__in=[s.enterprise.pk for s in scores])
            .values_list("enterprise_id", flat=True)
        )
        rows = [s for s in scores if s.enterprise.pk in consenting]
        return response(rows, bank_columns(system), "innovation-points", "xlsx", request=request)


def bank_columns(system: PointsSystem | None) -> list[ExportColumn]:
    columns = [
        ExportColumn(_("USCC"), lambda s: s.enterprise.uscc),
        ExportColumn(_("Enterprise"), lambda s: s.enterprise.name),
        ExportColumn(_("Innovation points"), lambda s: s.total),
        ExportColumn(_("Rank"), lambda s: s.rank),
    ]
    for i, indicator in enumerate(system.indicators.all() if system else []):
        columns.append(ExportColumn(indicator.title, lambda s, i=i: s.lines[i].weighted))
    return columns


def _day(request) -> datetime.date:
    raw = request.query_params.get("on", "")
    if not raw:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({"on": [_("Give a date as YYYY-MM-DD.")]}) from None
