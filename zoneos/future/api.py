"""REST API of future industries: the catalogue, each zone's "Ten Ones" boards with their items,
readiness and missing items, the proofs that link items to records (or carry documents), and
application scenarios with their steps, the enterprises that fit and those confirmed. Thin: every write
calls `services` or `scenarios`, every state comes from `board` and the workflow table."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from zoneos.areas.models import Area, Department
from zoneos.core.api import ScopedRelatedField, ScopedViewSet
from zoneos.core.files import MAX_ATTACHMENT_BYTES
from zoneos.core.ids import MAX_ID
from zoneos.core.workflow import StepViewMixin
from zoneos.enterprises.models import Enterprise

from . import scenarios, services
from .board import readiness
from .filters import BoardFilter, IndustryFilter, ProofFilter, ScenarioFilter
from .models import Board, FutureIndustry, Proof, Scenario, ScenarioMatch


def _terms() -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField(max_length=40), required=False)


class FutureIndustrySerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(queryset=Area.objects.all(), allow_null=True, required=False)
    industry_codes = _terms()
    keywords = _terms()

    class Meta:
        model = FutureIndustry
        fields = [
            "id", "code", "name", "name_en", "area", "description", "industry_codes", "keywords", "position",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        validators = []


class FutureIndustryViewSet(ScopedViewSet):
    """Future industries: the shared list (Shenzhen's eight, kept by superusers) and a zone's own."""

    queryset = FutureIndustry.objects.order_by("position", "code", "pk")
    serializer_class = FutureIndustrySerializer
    filterset_class = IndustryFilter

    def create_record(self, data):
        return services.create_industry(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_industry(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_industry(instance, by=self.request.user)


PROOF_ROW = inline_serializer(
    name="BoardItemProof",
    fields={
        "id": serializers.IntegerField(),
        "kind": serializers.CharField(),
        "record": serializers.IntegerField(allow_null=True),
        "title": serializers.CharField(),
        "counts": serializers.BooleanField(help_text="Whether it counts today."),
        "document": serializers.CharField(allow_null=True),
    },
)
ITEM_ROW = inline_serializer(
    name="BoardItem",
    fields={
        "key": serializers.CharField(help_text="The item (plan, policies, working_group, roadmap...)."),
        "label": serializers.CharField(),
        "needed": serializers.IntegerField(),
        "count": serializers.IntegerField(),
        "state": serializers.CharField(help_text="proved, partly or missing"),
        "kinds": serializers.ListField(child=serializers.CharField()),
        "waiting": serializers.ListField(
            child=serializers.CharField(), help_text="Kinds the item accepts that no app keeps yet."
        ),
        "proofs": PROOF_ROW.__class__(many=True),
    },
    many=True,
)


class BoardSerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(queryset=Area.objects.all())
    area_name = serializers.CharField(source="area.label", read_only=True)
    industry = ScopedRelatedField(queryset=FutureIndustry.objects.all())
    industry_name = serializers.CharField(source="industry.label", read_only=True)
    readiness = serializers.SerializerMethodField()
    proved = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()

    class Meta:
        model = Board
        fields = [
            "id", "area", "area_name", "industry", "industry_name", "notes", "readiness", "proved", "missing",
            "items", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        validators = []

    def _state(self, obj):
        states = self.context.setdefault("readiness", {})
        if obj.pk not in states:
            request = self.context.get("request")
            states.update(readiness([obj], getattr(request, "user", None)))
        return states[obj.pk]

    @extend_schema_field(serializers.DecimalField(max_digits=5, decimal_places=4))
    def get_readiness(self, obj) -> str:
        """Items proved / 10, a fraction with four decimals."""
        return str(self._state(obj).ratio)

    def get_proved(self, obj) -> int:
        return self._state(obj).proved

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_missing(self, obj) -> list[str]:
        """The items not proved (partly or missing), in the table's order."""
        return [i.key for i in self._state(obj).missing]

    @extend_schema_field(ITEM_ROW)
    def get_items(self, obj) -> list[dict]:
        return [
            {
                "key": i.key,
                "label": str(i.one.label),
                "needed": i.one.needed,
                "count": i.count,
                "state": i.state,
                "kinds": list(i.one.kinds),
                "waiting": i.waiting,
                "proofs": [
                    {
                        "id": p.pk,
                        "kind": p.kind,
                        "record": p.record_id,
                        "title": p.shown or p.title,
                        "counts": p.live,
                        "document": p.get_document_url() or None,
                    }
                    for p in i.proofs
                ],
            }
            for i in self._state(obj).items
        ]


class BoardViewSet(ScopedViewSet):
    """A zone's "Ten Ones" board for a future industry: each item with its proofs, proved, partly or
    missing against the number it needs; the readiness (items proved / 10) and the missing items."""

    queryset = Board.objects.select_related("area", "industry").order_by(
        "area__path", "industry__position", "pk"
    )
    serializer_class = BoardSerializer
    filterset_class = BoardFilter

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["readiness"] = {}
        return context

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = self.get_serializer_context()
        context["readiness"] = readiness(page, request.user)
        return self.get_paginated_response(self.get_serializer(page, many=True, context=context).data)

    def create_record(self, data):
        return services.create_board(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_board(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_board(instance, by=self.request.user)


class ProofSerializer(serializers.ModelSerializer):
    board = ScopedRelatedField(queryset=Board.objects.all())
    record = serializers.IntegerField(
        source="record_id",
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text="The proving record's id.",
    )
    document = serializers.FileField(
        required=False,
        write_only=True,
        help_text=f"For kind `document`: the file (at most {MAX_ATTACHMENT_BYTES // 2**20} MB).",
    )
    document_url = serializers.SerializerMethodField()
    added_by = serializers.CharField(
        source="added_by.username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Proof
        fields = [
            "id", "board", "item", "kind", "record", "title", "document", "document_url", "note", "added_by",
            "created_at",
        ]  # fmt: skip
        read_only_fields = ["created_at"]
        validators = []
        extra_kwargs = {
            "kind": {"help_text": "document, policy, chain, label, scenario, area (and kinds apps add)"}
        }

    def get_document_url(self, obj) -> str | None:
        """The document's download, through a view that finds the proof in the caller's scope."""
        return obj.get_document_url() or None


class ProofViewSet(ScopedViewSet):
    """Proofs of board items: a record of a kind the item accepts (`record`), or a document (multipart,
    kind `document`, with `title`). Added and removed, never changed."""

    queryset = Proof.objects.select_related("added_by").order_by("board", "item", "created_at", "pk")
    serializer_class = ProofSerializer
    filterset_class = ProofFilter
    http_method_names = ["get", "post", "delete", "head", "options"]

    def create_record(self, data):
        board = data.pop("board")
        record = data.pop("record_id", None)
        return services.add_proof(board, by=self.request.user, record=record, **data)

    def delete_record(self, instance):
        services.remove_proof(instance, by=self.request.user)


class MatchSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    confirmed_by = serializers.CharField(
        source="confirmed_by.username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = ScenarioMatch
        fields = ["enterprise", "enterprise_name", "reasons", "confirmed_by", "confirmed_at"]
        read_only_fields = fields


class ScenarioSerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(queryset=Area.objects.all())
    area_name = serializers.CharField(source="area.label", read_only=True)
    industry = ScopedRelatedField(queryset=FutureIndustry.objects.all(), allow_null=True, required=False)
    owner_enterprise = ScopedRelatedField(queryset=Enterprise.objects.all(), allow_null=True, required=False)
    owner_department = ScopedRelatedField(queryset=Department.objects.all(), allow_null=True, required=False)
    owner_name = serializers.SerializerMethodField()
    industry_codes = _terms()
    keywords = _terms()
    matches = MatchSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Scenario
        fields = [
            "id", "area", "area_name", "industry", "owner_enterprise", "owner_department", "owner_name",
            "title", "description", "technology_sought", "industry_codes", "keywords", "budget", "status",
            "matches", "allowed_actions", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["status", "created_at", "updated_at"]
        validators = []
        select_related = ["owner_enterprise", "owner_department"]

    def get_owner_name(self, obj) -> str:
        return obj.owner.label if obj.owner is not None else ""

    def get_allowed_actions(self, obj) -> list[str]:
        """The steps the caller may take now (start_matching, match, start_pilot, complete, withdraw)."""
        request = self.context.get("request")
        return scenarios.WORKFLOW.allowed(request.user, obj) if request else []


SUGGESTION = inline_serializer(
    name="ScenarioSuggestion",
    fields={
        "enterprise": serializers.IntegerField(),
        "enterprise_name": serializers.CharField(),
        "reasons": serializers.ListField(child=serializers.CharField()),
    },
    many=True,
)


class ConfirmInput(serializers.Serializer):
    enterprises = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), min_length=1, max_length=500
    )


class UnmatchInput(serializers.Serializer):
    enterprise = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class ScenarioViewSet(scenarios.WORKFLOW.api_actions(ScenarioSerializer), StepViewMixin, ScopedViewSet):
    """Application scenarios (应用场景): an owner (an enterprise or a department) offers a place to use a
    technology; the enterprises of the zone that fit (`suggestions`, by industry codes and keywords in
    names and business scopes) are confirmed by staff (`confirm`), and the scenario moves through its
    steps (open, matching, matched, in pilot, done; or withdrawn)."""

    queryset = (
        Scenario.objects.select_related("area", "industry")
        .prefetch_related(
            Prefetch("matches", ScenarioMatch.objects.select_related("enterprise", "confirmed_by"))
        )
        .order_by("-created_at", "pk")
    )
    serializer_class = ScenarioSerializer
    filterset_class = ScenarioFilter
    workflow = scenarios.WORKFLOW

    def get_permissions(self):
        # The table says who takes each step, after the scenario is found (404 before 403).
        if self.action in self.workflow.action_names():
            return [IsAuthenticated()]
        return super().get_permissions()

    def create_record(self, data):
        return scenarios.create_scenario(by=self.request.user, **data)

    def update_record(self, instance, data):
        return scenarios.update_scenario(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        scenarios.delete_scenario(instance, by=self.request.user)

    @extend_schema(summary="Enterprises that fit the scenario", responses={200: SUGGESTION}, filters=False)
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def suggestions(self, request, pk=None):
        found = scenarios.suggestions(self.get_object(), request.user)
        return Response(
            [
                {
                    "enterprise": s["enterprise"].pk,
                    "enterprise_name": s["enterprise"].name,
                    "reasons": s["reasons"],
                }
                for s in found
            ]
        )

    @extend_schema(
        summary="Confirm enterprises as matches", request=ConfirmInput, responses={200: ScenarioSerializer}
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        scenario = self.get_object()
        body = ConfirmInput(data=request.data)
        body.is_valid(raise_exception=True)
        scenarios.confirm_matches(scenario, body.validated_data["enterprises"], by=request.user)
        return Response(self.read_back(scenario))

    @extend_schema(
        summary="Remove a confirmed match", request=UnmatchInput, responses={200: ScenarioSerializer}
    )
    @action(detail=True, methods=["post"])
    def unmatch(self, request, pk=None):
        scenario = self.get_object()
        body = UnmatchInput(data=request.data)
        body.is_valid(raise_exception=True)
        scenarios.remove_match(scenario, body.validated_data["enterprise"], by=request.user)
        return Response(self.read_back(scenario))
