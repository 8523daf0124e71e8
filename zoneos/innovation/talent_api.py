"""REST API of talents, talent teams and the services they received (CRUD over the caller's scope,
with history). Thin: every write calls `talent_services`."""

from __future__ import annotations

from django.db.models import Count
from rest_framework import serializers

from zoneos.core.api import ScopedRelatedField, ScopedViewSet
from zoneos.enterprises.models import Enterprise

from . import talent_services as services
from .filters import TalentFilter, TalentServiceFilter, TalentTeamFilter
from .talent_models import Talent, TalentService, TalentTeam


class TalentTeamSerializer(serializers.ModelSerializer):
    enterprise = ScopedRelatedField(queryset=Enterprise.objects.all())
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    services_received = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = TalentTeam
        fields = [
            "id", "enterprise", "enterprise_name", "name", "level", "programme", "leader", "members",
            "recognised_on", "notes", "services_received", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        annotate = {"services_received": lambda: Count("services", distinct=True)}


class TalentSerializer(serializers.ModelSerializer):
    enterprise = ScopedRelatedField(queryset=Enterprise.objects.all())
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    team = ScopedRelatedField(queryset=TalentTeam.objects.all(), allow_null=True, required=False)
    services_received = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Talent
        fields = [
            "id", "enterprise", "enterprise_name", "team", "name", "category", "title", "field",
            "recognised_on", "notes", "services_received", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        annotate = {"services_received": lambda: Count("services", distinct=True)}


class TalentServiceSerializer(serializers.ModelSerializer):
    talent = ScopedRelatedField(queryset=Talent.objects.all(), allow_null=True, required=False)
    team = ScopedRelatedField(queryset=TalentTeam.objects.all(), allow_null=True, required=False)

    class Meta:
        model = TalentService
        fields = [
            "id", "talent", "team", "enterprise", "kind", "received_on", "amount", "notes", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = ["enterprise", "created_at", "updated_at"]


class TalentTeamViewSet(ScopedViewSet):
    """Talent teams of the zone's enterprises: level, programme, leader, members."""

    queryset = TalentTeam.objects.order_by("enterprise__name", "name", "pk")
    serializer_class = TalentTeamSerializer
    filterset_class = TalentTeamFilter

    def create_record(self, data):
        return services.create_team(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_team(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_team(instance, by=self.request.user)


class TalentViewSet(ScopedViewSet):
    """High-level talents of the zone's enterprises by category, with the number of services received."""

    queryset = Talent.objects.order_by("enterprise__name", "name", "pk")
    serializer_class = TalentSerializer
    filterset_class = TalentFilter

    def create_record(self, data):
        return services.create_talent(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_talent(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_talent(instance, by=self.request.user)


class TalentServiceViewSet(ScopedViewSet):
    """Services a talent or a team received (one of the two): housing, subsidies, schooling...; amount in
    yuan."""

    queryset = TalentService.objects.order_by("-received_on", "pk")
    serializer_class = TalentServiceSerializer
    filterset_class = TalentServiceFilter

    def create_record(self, data):
        return services.record_service(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_service(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_service(instance, by=self.request.user)
