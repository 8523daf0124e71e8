"""REST API of the zone's statistics: the overview of an area's subtree, and targets."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from zoneos.accounts.scoping import areas_for_roles
from zoneos.areas.models import Area
from zoneos.core.api import ScopedRelatedField, ScopedViewSet, area_param
from zoneos.core.filters import as_number
from zoneos.core.replica import reading_from_replica
from zoneos.enterprises.models import CapitalOrigin

from . import services
from .apps import STATS_ROLES
from .highlights import highlights
from .models import Target


def readable_areas(user):
    """Areas whose aggregate figures the user may read (management roles, within their subtree)."""
    return areas_for_roles(user, STATS_ROLES)


def money(value) -> str:
    return f"{value:.2f}"


def figures_payload(f: services.Figures, total=None) -> dict:
    payload = {
        "enterprises": f.enterprises,
        "above_designated_size": f.above_designated_size,
        "high_tech": f.high_tech,
        "specialized_sme": f.specialized_sme,
        "little_giant": f.little_giant,
        "output_value": money(f.output_value),
        "output_value_prev": money(f.output_value_prev),
        "output_yoy": services.four(f.output_yoy),
        "output_yoy_comparable": services.four(f.output_yoy_comparable),
        "revenue": money(f.revenue),
        "tax_paid": money(f.tax_paid),
    }
    if total is not None:
        payload["share"] = services.four(services.ratio(f.output_value, total))
    return payload


def overview_payload(o: services.Overview, user=None) -> dict:
    total = o.figures.output_value
    return {
        "area": {"id": o.area.pk, "name": o.area.name, "name_en": o.area.name_en, "kind": o.area.kind},
        "year": o.year,
        **figures_payload(o.figures),
        "parent": {"id": o.parent.pk, "name": o.parent.name, "name_en": o.parent.name_en}
        if o.parent
        else None,
        "share_of_parent": services.four(o.share_of_parent),
        "by_child": [
            {"id": p.key, "name": p.name, "name_en": p.name_en, **figures_payload(p.figures, total)}
            for p in o.by_child
        ],
        "by_industry_section": [
            {"section": p.key, "name": p.name, "name_en": p.name_en, **figures_payload(p.figures, total)}
            for p in o.by_industry_section
        ],
        "by_capital_origin": [
            {
                "capital_origin": p.key,
                "name": p.name,
                "name_en": p.name_en,
                **figures_payload(p.figures, total),
            }
            for p in o.by_capital_origin
        ],
        "targets": [
            {
                "id": t["target"].pk,
                "metric": t["target"].metric,
                "year": t["target"].year,
                "value": money(t["target"].value),
                "actual": money(t["actual"]),
                "progress": services.four(t["progress"]),
                "gap": money(t["gap"]),
            }
            for t in o.targets
        ],
        "highlights": highlights(o, user),
    }


RATIO = {"allow_null": True, "help_text": "Fraction as a decimal string with four decimals."}


class FiguresSchema(serializers.Serializer):
    enterprises = serializers.IntegerField()
    above_designated_size = serializers.IntegerField()
    high_tech = serializers.IntegerField()
    specialized_sme = serializers.IntegerField()
    little_giant = serializers.IntegerField()
    output_value = serializers.DecimalField(max_digits=22, decimal_places=2)
    output_value_prev = serializers.DecimalField(max_digits=22, decimal_places=2)
    output_yoy = serializers.DecimalField(max_digits=12, decimal_places=4, **RATIO)
    output_yoy_comparable = serializers.DecimalField(max_digits=12, decimal_places=4, **RATIO)
    revenue = serializers.DecimalField(max_digits=22, decimal_places=2)
    tax_paid = serializers.DecimalField(max_digits=22, decimal_places=2)


class PartSchema(FiguresSchema):
    name = serializers.CharField()
    name_en = serializers.CharField()
    share = serializers.DecimalField(max_digits=12, decimal_places=4, **RATIO)


class ChildSchema(PartSchema):
    id = serializers.IntegerField()


class SectionSchema(PartSchema):
    section = serializers.CharField()


class OriginSchema(PartSchema):
    capital_origin = serializers.ChoiceField(choices=CapitalOrigin.choices)  # every origin the registry has


class AreaRefSchema(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    kind = serializers.CharField(required=False)


class TargetProgressSchema(serializers.Serializer):
    id = serializers.IntegerField()
    metric = serializers.CharField()
    year = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=22, decimal_places=2)
    actual = serializers.DecimalField(max_digits=22, decimal_places=2)
    progress = serializers.DecimalField(max_digits=12, decimal_places=4, **RATIO)
    gap = serializers.DecimalField(max_digits=22, decimal_places=2)


class OverviewSchema(FiguresSchema):
    area = AreaRefSchema()
    year = serializers.IntegerField()
    parent = AreaRefSchema(allow_null=True)
    share_of_parent = serializers.DecimalField(max_digits=12, decimal_places=4, **RATIO)
    by_child = ChildSchema(many=True)
    by_industry_section = SectionSchema(many=True)
    by_capital_origin = OriginSchema(many=True)
    targets = TargetProgressSchema(many=True)
    highlights = serializers.DictField(child=serializers.CharField())


def resolve_area_year(request) -> tuple[Area, int]:
    """The `area` and `year` query parameters, checked (400 naming the parameter; 404 out of scope)."""
    raw_year = request.query_params.get("year", "")
    area = area_param(request, readable_areas(request.user).select_related("parent"), required=True)
    if raw_year:
        if not 1949 <= (as_number(raw_year) or 0) <= 2100:
            raise ValidationError({"year": [_("Give a year between 1949 and 2100.")]})
        year = int(raw_year)
    else:
        year = services.latest_year(area) or datetime.date.today().year - 1
    return area, year


class OverviewView(APIView):
    """The headline figures of an area's subtree for a year, with breakdowns and data highlights."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Overview of an area's subtree for a year",
        parameters=[
            OpenApiParameter("area", OpenApiTypes.INT, required=True, description="Area id"),
            OpenApiParameter("year", OpenApiTypes.INT, description="Year (default: the latest with figures)"),
        ],
        responses={200: OverviewSchema},
    )
    @reading_from_replica()
    def get(self, request):
        area, year = resolve_area_year(request)
        return Response(overview_payload(services.overview(area, year), request.user))


class TargetSerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(queryset=Area.objects.all())
    area_name = serializers.CharField(source="area.name", read_only=True)
    metric_label = serializers.CharField(source="get_metric_display", read_only=True)
    year = serializers.IntegerField(min_value=1949, max_value=2100)

    class Meta:
        model = Target
        fields = ["id", "area", "area_name", "metric", "metric_label", "year", "value", "note"]
        validators = []


class TargetViewSet(ScopedViewSet):
    """Targets of areas: a metric to reach by a year."""

    queryset = Target.objects.all()
    serializer_class = TargetSerializer

    def create_record(self, data):
        return services.create_target(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_target(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_target(instance, by=self.request.user)
