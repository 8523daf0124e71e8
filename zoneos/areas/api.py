"""REST API of the area tree and departments (thin: serializers validate, services write)."""

from rest_framework import serializers

from zoneos.core.api import ScopedRelatedField, ScopedViewSet

from . import services
from .filters import AreaFilter, DepartmentFilter
from .models import Area, Department


class AreaSerializer(serializers.ModelSerializer):
    parent = ScopedRelatedField(queryset=Area.objects.all(), allow_null=True, required=False)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Area
        fields = ["id", "code", "name", "name_en", "aliases", "kind", "kind_label", "parent", "depth"]
        read_only_fields = ["depth"]


class DepartmentSerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(queryset=Area.objects.all())
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = Department
        fields = ["id", "area", "area_name", "name", "name_en"]
        # Uniqueness of the name within the area is checked by the model, with the field named.
        validators = []


class AreaViewSet(ScopedViewSet):
    """Areas of the tree (regions, zones, parks) within the caller's scope."""

    queryset = Area.objects.all()
    serializer_class = AreaSerializer
    filterset_class = AreaFilter

    def create_record(self, data):
        return services.create_area(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_area(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_area(instance, by=self.request.user)


class DepartmentViewSet(ScopedViewSet):
    """Departments of the areas within the caller's scope."""

    queryset = Department.objects.all()
    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilter

    def create_record(self, data):
        return services.create_department(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_department(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_department(instance, by=self.request.user)
