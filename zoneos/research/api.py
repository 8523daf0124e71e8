"""REST API of research projects: programmes with their rules, projects with their budget, standing,
warnings, evaluation result and one POST action per step of the workflow table; reviewers with their
conflict-of-interest declaration and scores; budget adjustments (409 naming the category that breaks a
rule; approval of those beyond the PI's share); expenditures with their vouchers; the auditors' workbook.
Thin: every write calls `services` or `workflow`, every figure comes from `figures`."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from zoneos.areas.models import Area
from zoneos.core.api import ScopedRelatedField, ScopedViewSet
from zoneos.core.files import MAX_ATTACHMENT_BYTES
from zoneos.core.workflow import StepViewMixin
from zoneos.enterprises.models import Enterprise

from . import figures, services
from .export import workbook
from .filters import ProjectFilter
from .models import BudgetAdjustment, Category, Expenditure, Programme, ProjectStep, ResearchProject, Reviewer
from .workflow import PROJECT_WORKFLOW

MONEY = {"max_digits": 18, "decimal_places": 2}


class ResearchProgrammeSerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(queryset=Area.objects.all())
    frozen = serializers.ListField(
        child=serializers.ChoiceField(choices=Category.choices), required=False,
        help_text="Budget categories no adjustment may move money into.",
    )  # fmt: skip
    criteria = serializers.JSONField(
        required=False, help_text='The criteria experts score: [{"code", "name", "max"}].'
    )
    # Fractions, as every ratio of the API (the pages take and show per cent): 10 is refused naming the field.
    pi_share = serializers.DecimalField(
        max_digits=5, decimal_places=4, min_value=0, max_value=1, required=False,
        help_text="The share of a project's total budget the PI may move alone, over all its adjustments "
        "made without approval; a fraction from 0 to 1: 0.1 is 10 %.",
    )  # fmt: skip
    indirect_cap = serializers.DecimalField(
        max_digits=5, decimal_places=4, min_value=0, max_value=1, required=False,
        help_text="Indirect costs at most this share of the total budget; a fraction from 0 to 1: 0.2 is "
        "20 %.",
    )  # fmt: skip

    class Meta:
        model = Programme
        fields = [
            "id", "area", "code", "name", "year", "frozen", "pi_share", "indirect_cap", "criteria", "notes",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        validators = []  # a code once per area: the service names `code`


class BudgetField(serializers.Field):
    """The budget as {category: yuan}; written only while the application is open."""

    def __init__(self, **kwargs):
        super().__init__(source="*", required=False, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError("Give the budget as categories and amounts in yuan.")
        return {"budget": data}

    def to_representation(self, obj) -> dict:
        return {line.category: str(line.amount) for line in obj.budget_lines.all()}


BudgetField = extend_schema_field(
    {"type": "object", "additionalProperties": {"type": "string", "format": "decimal"},
     "example": {"equipment": "500000.00", "labour": "300000.00"}}
)(BudgetField)  # fmt: skip

LINE = inline_serializer(
    "ResearchBudgetLine",
    {
        "category": serializers.ChoiceField(choices=Category.choices),
        "label": serializers.CharField(),
        "budget": serializers.DecimalField(**MONEY),
        "spent": serializers.DecimalField(**MONEY),
        "left": serializers.DecimalField(**MONEY),
        "spent_rate": serializers.DecimalField(max_digits=8, decimal_places=4, allow_null=True),
        "over": serializers.BooleanField(),
    },
    many=True,
)
STANDING = inline_serializer(
    "ResearchStanding",
    {
        "on": serializers.DateField(),
        "budget": serializers.DecimalField(**MONEY),
        "spent": serializers.DecimalField(**MONEY),
        "spent_rate": serializers.DecimalField(max_digits=8, decimal_places=4, allow_null=True),
        "time_rate": serializers.DecimalField(max_digits=6, decimal_places=4),
        "gap_pp": serializers.DecimalField(max_digits=10, decimal_places=2),
        "lines": LINE,
        "warnings": inline_serializer(
            "ResearchWarning",
            {
                "kind": serializers.ChoiceField(choices=["over", "lag"]),
                "category": serializers.CharField(),
                "text": serializers.CharField(),
            },
            many=True,
        ),
    },
)
EVALUATION = inline_serializer(
    "ResearchEvaluationResult",
    {
        "result": serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True),
        "counted": serializers.IntegerField(),
        "reviewers_missing": serializers.IntegerField(),
    },
)


def _dec(value) -> str | None:
    return None if value is None else str(value)


def standing_json(standing) -> dict:
    return {
        "on": standing.on,
        "budget": str(standing.budget),
        "spent": str(standing.spent),
        "spent_rate": _dec(standing.spent_rate),
        "time_rate": str(standing.time_rate),
        "gap_pp": str(standing.gap_pp),
        "lines": [
            {
                "category": line.category,
                "label": line.label,
                "budget": str(line.budget),
                "spent": str(line.spent),
                "left": str(line.left),
                "spent_rate": _dec(line.spent_rate),
                "over": line.over,
            }
            for line in standing.lines
        ],
        "warnings": [{"kind": w.kind, "category": w.category, "text": w.text} for w in standing.warnings],
    }


class ResearchStepSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True, allow_null=True)

    class Meta:
        model = ProjectStep
        fields = ["kind", "from_status", "to_status", "opinion", "by", "at"]


class ResearchProjectSerializer(serializers.ModelSerializer):
    programme = ScopedRelatedField(queryset=Programme.objects.all())
    area = ScopedRelatedField(queryset=Area.objects.all())
    enterprise = ScopedRelatedField(queryset=Enterprise.objects.all(), allow_null=True, required=False)
    enterprise_name = serializers.CharField(
        source="enterprise.name", read_only=True, default=None, allow_null=True
    )
    partners = serializers.JSONField(
        required=False, help_text='[{"name", "region"}], region one of mainland, hk, mo, tw, abroad.'
    )
    budget = BudgetField()
    standing = serializers.SerializerMethodField()
    evaluation = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    steps = ResearchStepSerializer(many=True, read_only=True)

    class Meta:
        model = ResearchProject
        fields = [
            "id", "programme", "area", "code", "title", "enterprise", "enterprise_name", "institution",
            "partners", "pi_name", "pi_contact", "starts_on", "ends_on", "status", "contract_no", "summary",
            "budget", "standing", "evaluation", "allowed_actions", "steps", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["status", "contract_no", "created_at", "updated_at"]
        validators = []
        select_related = ["programme", "area"]
        prefetch_related = ["budget_lines", "reviewers__scores"]

    def _standing(self, obj):
        cached = self.context.get("standings", {})
        return cached.get(obj.pk) or figures.standing(obj, timezone.localdate())

    @extend_schema_field(STANDING)
    def get_standing(self, obj) -> dict:
        """Budget against spending per category today, time and spending progress, the warnings."""
        return standing_json(self._standing(obj))

    @extend_schema_field(EVALUATION)
    def get_evaluation(self, obj) -> dict:
        """The mean of the reviewers' totals without the highest and lowest (null with fewer than 3)."""
        found = figures.evaluation(obj)
        return {"result": _dec(found.result), "counted": found.counted, "reviewers_missing": found.missing}

    def get_allowed_actions(self, obj) -> list[str]:
        """The steps the caller may take on the project now."""
        request = self.context.get("request")
        return PROJECT_WORKFLOW.allowed(request.user, obj) if request else []


class ProjectViewSet(PROJECT_WORKFLOW.api_actions(ResearchProjectSerializer), StepViewMixin, ScopedViewSet):
    """科研项目: research projects of the caller's scope, with their budget by category, today's
    standing (spent per category, time and spending progress, warnings) and the evaluation's result.

    Each step of the workflow is a POST to `/api/v1/research-projects/{id}/<step>/`: a step the state
    does not allow answers 409, a step the caller does not take 403. Enterprise users read the projects
    their enterprise undertakes. `budget` is written while the application is open (409 afterwards:
    adjust it through `research-adjustments`)."""

    queryset = ResearchProject.objects.order_by("-starts_on", "code", "pk")
    serializer_class = ResearchProjectSerializer
    filterset_class = ProjectFilter
    workflow = PROJECT_WORKFLOW

    def get_permissions(self):
        if self.action in self.workflow.action_names() or self.action == "export":
            return [IsAuthenticated()]
        return super().get_permissions()

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {
            **self.get_serializer_context(),
            "standings": figures.standings(page, timezone.localdate()),
        }
        return self.get_paginated_response(self.get_serializer_class()(page, many=True, context=context).data)

    def create_record(self, data):
        return services.create_project(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_project(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_project(instance, by=self.request.user)

    @extend_schema(
        summary="The project's workbook for auditors (xlsx)",
        description="Sheets: the project, its budget against spending, the adjustments, the expenditures "
        "with their voucher numbers, and (for staff) the evaluation.",
        responses={
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY
        },
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def export(self, request, pk=None):
        return workbook(self.get_object(), request)


class ResearchReviewerSerializer(serializers.ModelSerializer):
    project = ScopedRelatedField(queryset=ResearchProject.objects.all())
    scores = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()

    class Meta:
        model = Reviewer
        fields = [
            "id", "project", "name", "organisation", "conflict", "conflict_note", "declared_on", "scored_on",
            "scores", "total",
        ]  # fmt: skip
        read_only_fields = ["declared_on", "scored_on"]
        validators = []
        prefetch_related = ["scores"]

    @extend_schema_field(
        serializers.DictField(child=serializers.DecimalField(max_digits=6, decimal_places=2))
    )
    def get_scores(self, obj) -> dict:
        """Points per criterion code."""
        return {s.criterion: str(s.points) for s in obj.scores.all()}

    @extend_schema_field(serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True))
    def get_total(self, obj):
        scores = list(obj.scores.all())
        return str(sum(s.points for s in scores)) if scores else None


SCORE_INPUT = inline_serializer(
    "ResearchScoreInput",
    {"points": serializers.DictField(child=serializers.DecimalField(max_digits=6, decimal_places=2))},
)


class ReviewerViewSet(ScopedViewSet):
    """Experts assigned to evaluate a project (while it is in expert evaluation), with their
    conflict-of-interest declaration (PATCH `conflict` and `conflict_note`). Seen by staff only."""

    queryset = Reviewer.objects.select_related("project").order_by("project", "pk")
    serializer_class = ResearchReviewerSerializer
    filterset_fields = ["project", "conflict"]

    def create_record(self, data):
        project = data.pop("project")
        return services.assign_reviewer(project, by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_reviewer(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.remove_reviewer(instance, by=self.request.user)

    @extend_schema(
        summary="Record the expert's points per criterion",
        description="`points` maps each criterion code of the programme to 0..max (400 naming a missing or "
        "out-of-range criterion). An expert who declared a conflict of interest cannot score (409).",
        request=SCORE_INPUT,
        responses={200: ResearchReviewerSerializer},
    )
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        reviewer = self.get_object()
        points = request.data.get("points") if hasattr(request.data, "get") else None
        services.score(reviewer, by=request.user, points=points)
        return Response(self._read_back(reviewer))


class ResearchAdjustmentSerializer(serializers.ModelSerializer):
    project = ScopedRelatedField(queryset=ResearchProject.objects.all())
    amount = serializers.DecimalField(**MONEY, min_value=0)
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    decided_by = serializers.CharField(
        source="decided_by.username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = BudgetAdjustment
        fields = [
            "id", "project", "from_category", "to_category", "amount", "reason", "status", "needs_approval",
            "requested_by", "requested_on", "decided_by", "decided_on", "opinion",
        ]  # fmt: skip
        read_only_fields = ["status", "needs_approval", "requested_on", "decided_on", "opinion"]


DECISION = inline_serializer("ResearchAdjustmentDecision", {"opinion": serializers.CharField(required=False)})


@extend_schema_view(
    create=extend_schema(
        description="Move money between two categories of a running project. A move that breaks a rule of "
        "the programme answers 409 naming the category (one that may not rise, the indirect-cost cap, a "
        "category below what is spent on it). Within the PI's share of the total it is in effect at once "
        "(`status` effective); beyond it, it awaits an admin's approval (`pending`)."
    )
)
class AdjustmentViewSet(ScopedViewSet):
    """Budget adjustments of research projects: made, then (beyond the PI's share) approved or refused."""

    queryset = BudgetAdjustment.objects.select_related("requested_by", "decided_by").order_by("-pk")
    serializer_class = ResearchAdjustmentSerializer
    filterset_fields = ["project", "status"]
    http_method_names = ["get", "post", "head", "options"]

    def create_record(self, data):
        project = data.pop("project")
        return services.request_adjustment(project, by=self.request.user, **data)

    def _decide(self, request, approve: bool):
        opinion = request.data.get("opinion", "") if hasattr(request.data, "get") else ""
        done = services.decide_adjustment(
            self.get_object(), by=request.user, approve=approve, opinion=opinion
        )
        return Response(self._read_back(done))

    @extend_schema(
        summary="Approve a pending adjustment (admins)",
        request=DECISION,
        responses={200: ResearchAdjustmentSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, True)

    @extend_schema(
        summary="Refuse a pending adjustment (admins)",
        request=DECISION,
        responses={200: ResearchAdjustmentSerializer},
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._decide(request, False)


class VoucherField(serializers.FileField):
    """Written as a file (multipart), read as its download through the view that finds the expenditure
    in the caller's scope (null without a file); never a media URL."""

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_empty_file=True, use_url=False, **kwargs)

    def to_representation(self, value):
        if not value:
            return None
        url = value.instance.get_voucher_url()
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ResearchExpenditureSerializer(serializers.ModelSerializer):
    project = ScopedRelatedField(queryset=ResearchProject.objects.all())
    amount = serializers.DecimalField(**MONEY, min_value=0)
    voucher = VoucherField()

    class Meta:
        model = Expenditure
        fields = [
            "id", "project", "category", "amount", "spent_on", "description", "voucher_no", "voucher",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]


EXPENDITURE_WRITE = (
    "JSON, or multipart with `voucher`, the voucher's scan (at most "
    f"{MAX_ATTACHMENT_BYTES // 2**20} MB; a refused file answers 400 naming `voucher`). Spending is "
    "recorded while the contract runs (409 otherwise); spending over a category's budget is recorded and "
    "warned of on the project."
)


@extend_schema_view(
    create=extend_schema(description=EXPENDITURE_WRITE),
    partial_update=extend_schema(description=EXPENDITURE_WRITE),
    update=extend_schema(description=EXPENDITURE_WRITE),
)
class ExpenditureViewSet(ScopedViewSet):
    """Expenditures of research projects against their budget categories, with their vouchers."""

    queryset = Expenditure.objects.order_by("project", "-spent_on", "-pk")
    serializer_class = ResearchExpenditureSerializer
    filterset_fields = ["project", "category"]

    def create_record(self, data):
        project = data.pop("project")
        return services.record_expenditure(project, by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_expenditure(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_expenditure(instance, by=self.request.user)


class ProgrammeViewSet(ScopedViewSet):
    """Research programmes of a zone, with their budget rules and evaluation criteria as data."""

    queryset = Programme.objects.order_by("-year", "code", "pk")
    serializer_class = ResearchProgrammeSerializer
    filterset_fields = ["area", "year"]

    def create_record(self, data):
        return services.create_programme(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_programme(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_programme(instance, by=self.request.user)
