"""REST API of the map: the shapes staff upload (CRUD over the caller's scope with history, and a
FeatureCollection uploaded for a park at once), and the map of an area (`maps.map_data`). Thin: every
write calls `services`."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from zoneos.accounts.scoping import areas_for_roles
from zoneos.areas.models import Area
from zoneos.core.api import ScopedRelatedField, ScopedViewSet, area_param
from zoneos.core.filters import as_id

from . import geo, maps, services
from .models import Building, Crs, Parcel, Shape
from .scoping import STAFF_ROLES


class ShapeSerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(queryset=Area.objects.all())
    area_name = serializers.CharField(source="area.label", read_only=True)
    parcel = ScopedRelatedField(queryset=Parcel.objects.all(), allow_null=True, required=False)
    building = ScopedRelatedField(queryset=Building.objects.all(), allow_null=True, required=False)
    geometry = serializers.JSONField(
        help_text=(
            "GeoJSON Point, Polygon or MultiPolygon (or a Feature), [lng, lat] positions, at most "
            f"{geo.MAX_VERTICES:,} of them and 2 MB."
        )
    )

    class Meta:
        model = Shape
        fields = [
            "id", "area", "area_name", "kind", "parcel", "building", "name", "geometry", "crs", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]


UPLOAD = inline_serializer(
    "SpaceShapeUpload",
    {
        "area": serializers.IntegerField(help_text="The park (or zone) the shapes belong to."),
        "crs": serializers.ChoiceField(choices=Crs.choices, default=Crs.GCJ02),
        "file": serializers.FileField(required=False, help_text="A GeoJSON FeatureCollection file."),
        "geojson": serializers.JSONField(required=False, help_text="Or the FeatureCollection itself."),
    },
)


class ShapeViewSet(ScopedViewSet):
    """Shapes on the map: a park's boundary, a parcel's outline, a building's footprint, in GeoJSON, stored
    with the datum they were entered in (`crs`: wgs84 or gcj02)."""

    queryset = Shape.objects.order_by("area__path", "kind", "pk")
    serializer_class = ShapeSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def create_record(self, data):
        return services.create_shape(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_shape(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_shape(instance, by=self.request.user)

    @extend_schema(
        summary="Upload a park's shapes",
        description=(
            "A GeoJSON FeatureCollection, as a file (`file`, multipart) or in the body (`geojson`): each "
            "feature's `properties.kind` is boundary (default), parcel or building, `properties.code` the "
            "parcel's or building's code in the park. All or nothing; an error names the feature."
        ),
        request=UPLOAD,
        responses={201: ShapeSerializer(many=True)},
        filters=False,
    )
    @action(detail=False, methods=["post"], pagination_class=None, filter_backends=[])
    def upload(self, request):
        area_id = as_id(str(request.data.get("area") or ""))
        if not area_id:
            raise ValidationError({"area": [_("Give the id of an area.")]})
        area = areas_for_roles(request.user, STAFF_ROLES).filter(pk=area_id).first()
        if area is None:
            raise Http404
        crs = request.data.get("crs") or Crs.GCJ02
        upload = request.data.get("file")
        body = upload.read(geo.MAX_BYTES + 1) if upload is not None else request.data.get("geojson")
        if body is None:
            raise ValidationError({"file": [_("Give the shapes as a GeoJSON FeatureCollection.")]})
        try:
            shapes = services.upload_shapes(area, body, by=request.user, crs=crs)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        context = self.get_serializer_context()
        return Response(ShapeSerializer(shapes, many=True, context=context).data, status=201)


POINT = {
    "id": serializers.IntegerField(),
    "name": serializers.CharField(),
    "where": serializers.CharField(),
    "value": serializers.ListField(child=serializers.FloatField(), help_text="[lng, lat]"),
    "url": serializers.CharField(),
}
MAP = inline_serializer(
    "SpaceMap",
    {
        "area": serializers.IntegerField(allow_null=True),
        "area_name": serializers.CharField(),
        "crs": serializers.ChoiceField(choices=Crs.choices),
        "geojson": serializers.JSONField(help_text="A FeatureCollection of the shapes."),
        "enterprises": inline_serializer("SpaceMapEnterprise", POINT, many=True),
        "projects": inline_serializer("SpaceMapProject", POINT, many=True),
        "vacant": inline_serializer(
            "SpaceMapVacancy", {**POINT, "count": serializers.IntegerField()}, many=True
        ),
        "appeals": inline_serializer("SpaceMapAppeal", POINT, many=True),
        "layers": inline_serializer(
            "SpaceMapLayer",
            {
                "key": serializers.CharField(),
                "label": serializers.CharField(),
                "symbol": serializers.CharField(),
                "color": serializers.CharField(),
                "points": inline_serializer("SpaceMapLayerPoint", POINT, many=True),
            },
            many=True,
        ),
    },
)


class MapView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="The map of an area",
        description=(
            "The shapes of the area's subtree the caller sees as a GeoJSON FeatureCollection (properties: "
            "kind, label, url; parcels their status and colour), and points on them: enterprises at the "
            "building of their lease in force today, projects at the parcel supplied to them, vacant units "
            "at their building, and the open appeals (newest 500) whose caller gave a point (Open311 "
            "`lat`/`long`), and the layers the apps above space add (innovation platforms at their host "
            "enterprise's building). Every coordinate in one datum (`crs`, default gcj02)."
        ),
        parameters=[
            OpenApiParameter(
                "area", OpenApiTypes.INT, description="An area's subtree (default: all you see)."
            ),
            OpenApiParameter(
                "crs", OpenApiTypes.STR, enum=Crs.values, description="The datum (default gcj02)."
            ),
        ],
        responses={200: MAP},
    )
    def get(self, request):
        area = area_param(request, areas_for_roles(request.user, STAFF_ROLES))
        crs = request.query_params.get("crs") or Crs.GCJ02
        if crs not in Crs.values:
            raise ValidationError({"crs": [_("Give the coordinates as wgs84 or gcj02.")]})
        return Response(maps.map_data(request.user, area, crs))
