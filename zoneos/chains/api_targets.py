"""The chains' target routes: a chain's targets (enterprises outside the zone that could fill its gaps),
a link's ranked targets and a target turned into a lead, and the schemas the chain routes share for them.
Thin: every write calls `services`, every rank comes from `targets`."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from zoneos.areas.models import Area
from zoneos.core.api import ScopedRelatedField, ScopedViewSet
from zoneos.core.filters import IdFilter
from zoneos.enterprises.models import Enterprise, LabelKind

from . import services, targets
from .models import Candidate, Chain, Link, Strength


class CandidateSerializer(serializers.ModelSerializer):
    chain = ScopedRelatedField(queryset=Chain.objects.all())
    links = ScopedRelatedField(queryset=Link.objects.all(), many=True, required=False)
    supplies = ScopedRelatedField(queryset=Enterprise.objects.all(), many=True, required=False)
    labels = serializers.ListField(
        child=serializers.ChoiceField(LabelKind.choices), required=False, help_text="Label kinds it holds."
    )
    area = serializers.PrimaryKeyRelatedField(read_only=True)
    project = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Candidate
        fields = [
            "id", "chain", "area", "name", "short_name", "uscc", "province", "city", "industry_code",
            "revenue", "labels", "links", "supplies", "note", "project", "created_at",
        ]  # fmt: skip
        read_only_fields = ["created_at"]
        validators = []  # names and codes once per chain: the service names the field


class LeadSerializer(serializers.Serializer):
    link = ScopedRelatedField(queryset=Link.objects.all())
    area = ScopedRelatedField(queryset=Area.objects.all(), help_text="The park (or zone) that courts it.")


TARGET = inline_serializer(
    "ChainTarget",
    {
        "candidate": CandidateSerializer(),
        "points": serializers.IntegerField(),
        "reasons": inline_serializer(
            "ChainTargetReason",
            {
                "factor": serializers.ChoiceField(list(targets.FACTORS)),
                "points": serializers.IntegerField(),
                "text": serializers.CharField(),
            },
            many=True,
        ),
    },
    many=True,
)
LEAD = inline_serializer(
    "ChainTargetLead",
    {"project": serializers.IntegerField(), "conflict": serializers.IntegerField(allow_null=True)},
)
FILLED = inline_serializer(
    "ChainGapFilled",
    {
        "link": serializers.IntegerField(),
        "project": serializers.IntegerField(),
        "landed_on": serializers.DateField(),
        "before": serializers.ChoiceField(Strength.choices),
        "now": serializers.ChoiceField(Strength.choices),
    },
    many=True,
)


class CandidateFilter(django_filters.FilterSet):
    chain = IdFilter()
    area = IdFilter()
    links = IdFilter(label="A link it fits")

    class Meta:
        model = Candidate
        fields = ["chain", "area", "links"]


class CandidateViewSet(ScopedViewSet):
    """A chain's targets: enterprises outside the zone that could fill its gaps."""

    queryset = Candidate.objects.select_related("chain").prefetch_related("links", "supplies").order_by("pk")
    serializer_class = CandidateSerializer
    filterset_class = CandidateFilter
    search_fields = ["name", "short_name", "uscc"]

    def create_record(self, data):
        return services.create_candidate(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_candidate(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_candidate(instance, by=self.request.user)

    @extend_schema(
        summary="Turn the target into a pipeline lead",
        description=(
            "Creates the lead in `area` (the pipeline's checks apply, the conflict check with the zone's "
            "other parks included), places it on `link`, and links the target to it. `conflict` is the "
            "conflict opened when another park already courts the investor."
        ),
        request=LeadSerializer,
        responses={201: LEAD},
    )
    @action(detail=True, methods=["post"])
    def lead(self, request, pk=None):
        candidate = self.get_object()
        serializer = LeadSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        project, conflict = services.make_lead(candidate, by=request.user, **serializer.validated_data)
        return Response(
            {"project": project.pk, "conflict": conflict.pk if conflict else None},
            status=status.HTTP_201_CREATED,
        )
