"""REST API of innovation platforms and their yearly figures (CRUD over the caller's scope, with
history). A year's figures are one row per platform and year: a POST for a year already recorded fills
in the figures it gives (200) and keeps the others, as a PATCH does; a blank never erases a figure.
Occupancy, like the funds' shares, is a fraction from 0 to 1 with four decimals ("0.8500" is 85 %); a
request still naming the old percentage field (`occupancy_pct`) is refused with the field named rather
than have its value silently ignored. Thin: every write calls `platform_services`."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from zoneos.areas.models import Area
from zoneos.core.api import ScopedRelatedField, ScopedViewSet
from zoneos.enterprises.models import Enterprise

from . import platform_services as services
from .filters import PlatformFilter, PlatformYearFilter
from .platform_models import EXPIRING_DAYS, Platform, PlatformYear

COUNT = {"required": False, "allow_null": True, "min_value": 0, "max_value": 10_000_000}


def share_field(help_text: str) -> serializers.DecimalField:
    # Wide enough that 35 reaches the service, which refuses it naming the field (as a fraction).
    return serializers.DecimalField(
        max_digits=12, decimal_places=4, allow_null=True, required=False, help_text=help_text
    )


class RenamedShares:
    """Refuses the percentage fields of before (renamed when they became fractions), naming them."""

    renamed: dict[str, str] = {}

    def to_internal_value(self, data):
        old = [name for name in self.renamed if hasattr(data, "keys") and name in data]
        if old:
            raise serializers.ValidationError(
                {
                    name: [
                        _("Renamed to %(field)s, a fraction from 0 to 1 (0.35 is 35 %%).")
                        % {"field": self.renamed[name]}
                    ]
                    for name in old
                }
            )
        return super().to_internal_value(data)


class PlatformSerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(queryset=Area.objects.all())
    area_name = serializers.CharField(source="area.label", read_only=True)
    host_enterprise = ScopedRelatedField(queryset=Enterprise.objects.all(), allow_null=True, required=False)
    host = serializers.CharField(
        read_only=True, help_text="The host enterprise's name, else the institution."
    )
    host_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    expiring = serializers.SerializerMethodField()

    class Meta:
        model = Platform
        fields = [
            "id", "area", "area_name", "name", "kind", "level", "host_kind", "host_enterprise", "host_name",
            "host", "recognised_on", "valid_to", "expiring", "recognised_by", "notes", "warned_on",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["warned_on", "created_at", "updated_at"]
        select_related = ["host_enterprise"]

    @extend_schema_field(serializers.BooleanField())
    def get_expiring(self, obj) -> bool:
        """The recognition ends within 90 days (and has not ended)."""
        days = obj.days_left(timezone.localdate())
        return days is not None and 0 <= days <= EXPIRING_DAYS


class PlatformViewSet(ScopedViewSet):
    """Innovation platforms: kind, level, host (an enterprise of the registry or an institution),
    recognised on and valid to; `?expiring=true` for those whose recognition ends within 90 days."""

    queryset = Platform.objects.order_by("area__path", "name", "pk")
    serializer_class = PlatformSerializer
    filterset_class = PlatformFilter

    def create_record(self, data):
        return services.create_platform(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_platform(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_platform(instance, by=self.request.user)


class PlatformYearSerializer(RenamedShares, serializers.ModelSerializer):
    renamed = {"occupancy_pct": "occupancy"}
    platform = ScopedRelatedField(queryset=Platform.objects.all())
    platform_name = serializers.CharField(source="platform.name", read_only=True)
    year = serializers.IntegerField(min_value=1990, max_value=2100)
    rd_staff = serializers.IntegerField(**COUNT)
    projects = serializers.IntegerField(**COUNT)
    patents = serializers.IntegerField(**COUNT)
    incubated = serializers.IntegerField(**COUNT)
    graduated = serializers.IntegerField(**COUNT)
    occupancy = share_field("The share of the platform's space taken, a fraction: 0.85 is 85 %.")

    class Meta:
        model = PlatformYear
        fields = [
            "id", "platform", "platform_name", "year", "rd_staff", "projects", "patents", "incubated",
            "graduated", "occupancy", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        validators = []  # one row per platform and year: a second POST fills the row in


class PlatformYearViewSet(ScopedViewSet):
    """A platform's figures of a year: R&D staff, projects, patents, incubated and graduated
    enterprises, occupancy (a fraction: 0.85 is 85 %)."""

    queryset = PlatformYear.objects.order_by("platform", "-year", "pk")
    serializer_class = PlatformYearSerializer
    filterset_class = PlatformYearFilter

    @extend_schema(
        summary="Record a platform's figures of a year",
        description=(
            "Creates the platform's row of `year` (201) or, when it exists, fills in the figures given "
            "and keeps the others (200): a blank or null never erases a stored figure."
        ),
        responses={201: PlatformYearSerializer, 200: OpenApiResponse(PlatformYearSerializer)},
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        platform, year = data.pop("platform"), data.pop("year")
        row, created = services.record_platform_year(platform, year, by=request.user, **data)
        answer = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(self._read_back(row), status=answer)

    def update_record(self, instance, data):
        return services.update_platform_year(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_platform_year(instance, by=self.request.user)
