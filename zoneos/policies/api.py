"""REST API of the catalogue and matching: policies, items (with their rules, matches and counts), rule
versions (publish, try a draft), parameters, declared facts, the variables, and an enterprise's
eligibility. Thin: every write calls `services`, every answer about eligibility calls `matching`."""

from __future__ import annotations

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from zoneos.accounts.scoping import memberships, policy_for, scope
from zoneos.areas.models import Area, Department
from zoneos.core.api import ScopedRelatedField, ScopedViewSet, WriteRolePermission, area_param
from zoneos.core.files import MAX_ATTACHMENT_BYTES
from zoneos.core.rest import DownloadURL, FormParser, MultiPartParser, Pagination
from zoneos.core.roles import VIEW
from zoneos.enterprises.models import Enterprise
from zoneos.tabular import export

from . import criteria as c
from . import matching, services
from .models import Attachment, DeclaredFact, Parameter, Policy, PolicyItem, Rule
from .scoping import ancestor_paths
from .variables import VARIABLES

ON = OpenApiParameter("on", OpenApiTypes.DATE, description="The date (default today).")
RESULT_CHOICES = ["eligible", "not_eligible", "unknown", "manual_review"]
LEAF_RESULTS = ["met", "unmet", "unknown", "manual_review", "not_applicable"]
CRITERION = inline_serializer(
    "EligibilityCriterion",
    {
        "id": serializers.CharField(),
        "label": serializers.CharField(),
        "var": serializers.CharField(allow_null=True),
        "op": serializers.CharField(allow_null=True),
        "result": serializers.ChoiceField(LEAF_RESULTS),
        "actual": serializers.CharField(allow_null=True),
        "required": serializers.CharField(allow_null=True),
        "missing": serializers.ListField(child=serializers.CharField()),
    },
    many=True,
)
ELIGIBILITY = inline_serializer(
    "Eligibility",
    {
        "item": serializers.IntegerField(),
        "item_code": serializers.CharField(),
        "rule": serializers.IntegerField(allow_null=True),
        "result": serializers.ChoiceField(RESULT_CHOICES),
        "amount": serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True),
        "criteria": CRITERION,
    },
)


def on_param(request) -> datetime.date:
    raw = request.query_params.get("on", "")
    if not raw:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({"on": [_("Give a date as YYYY-MM-DD.")]}) from None


def applicable_items(enterprise):
    """The items of the policies that apply where the enterprise is (its area and the areas above)."""
    return PolicyItem.objects.filter(policy__area__path__in=ancestor_paths(enterprise.area.path))


# Catalogue -----------------------------------------------------------------------------------------
class PolicySerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(queryset=Area.objects.all())
    category_label = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = Policy
        fields = [
            "id",
            "title",
            "title_en",
            "issuer",
            "document_no",
            "issued_on",
            "effective_from",
            "effective_to",
            "area",
            "category",
            "category_label",
            "summary",
            "source_url",
        ]


class PolicyDocumentSerializer(serializers.ModelSerializer):
    url = DownloadURL()
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True, allow_null=True)

    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "url", "uploaded_by", "uploaded_at"]


class PolicyDocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)


class PolicyViewSet(ScopedViewSet):
    queryset = Policy.objects.select_related("area").order_by("-issued_on", "pk")
    serializer_class = PolicySerializer
    filterset_fields = ["category", "area"]
    search_fields = ["title", "title_en", "document_no"]

    def create_record(self, data):
        return services.create_policy(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_policy(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_policy(instance, by=self.request.user)

    @extend_schema(
        methods=["GET"],
        summary="The policy's documents",
        description="Each with `url`, its download through a view that checks the caller's scope.",
        responses={200: PolicyDocumentSerializer(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Attach a document to the policy",
        description=f"Multipart: `file` (at most {MAX_ATTACHMENT_BYTES // 2**20} MB) and an optional `name` "
        "(default: the file's name).",
        request={"multipart/form-data": PolicyDocumentUploadSerializer},
        responses={201: PolicyDocumentSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
        filter_backends=[],
        pagination_class=None,
    )
    def attachments(self, request, pk=None):
        policy = self.get_object()
        context = self.get_serializer_context()
        if request.method == "POST":
            upload = PolicyDocumentUploadSerializer(data=request.data)
            upload.is_valid(raise_exception=True)
            made = services.add_attachment(by=request.user, policy=policy, **upload.validated_data)
            return Response(PolicyDocumentSerializer(made, context=context).data, status=201)
        found = policy.attachments.select_related("uploaded_by")
        return Response(PolicyDocumentSerializer(found, many=True, context=context).data)

    @extend_schema(summary="Remove a document of the policy", responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"attachments/(?P<attachment>[0-9]{1,18})")
    def remove_attachment(self, request, pk=None, attachment=None):
        found = get_object_or_404(self.get_object().attachments, pk=attachment)
        services.delete_attachment(found, by=request.user)
        return Response(status=204)


class PolicyItemSerializer(serializers.ModelSerializer):
    policy = ScopedRelatedField(queryset=Policy.objects.all())
    department = ScopedRelatedField(queryset=Department.objects.all(), required=False, allow_null=True)
    mode_label = serializers.CharField(source="get_mode_display", read_only=True)

    class Meta:
        model = PolicyItem
        fields = [
            "id",
            "policy",
            "code",
            "name",
            "name_en",
            "department",
            "mode",
            "mode_label",
            "window_opens",
            "window_closes",
            "payment_days",
            "budget_per_year",
            "materials",
            "contact",
        ]


class RuleSerializer(serializers.ModelSerializer):
    item = ScopedRelatedField(queryset=PolicyItem.objects.all())
    published_by = serializers.CharField(source="published_by.username", read_only=True, default=None)

    class Meta:
        model = Rule
        fields = [
            "id",
            "item",
            "effective_from",
            "effective_to",
            "criteria",
            "benefit",
            "notes",
            "status",
            "published_at",
            "published_by",
        ]
        read_only_fields = ["status", "published_at", "published_by"]


class RuleInItemSerializer(RuleSerializer):
    item = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta(RuleSerializer.Meta):
        read_only_fields = ["item", "status", "published_at", "published_by"]


MATCH = inline_serializer(
    "PolicyMatch",
    {
        "enterprise": serializers.IntegerField(),
        "name": serializers.CharField(),
        "uscc": serializers.CharField(allow_null=True),
        "area": serializers.IntegerField(),
        "result": serializers.ChoiceField(RESULT_CHOICES),
        "amount": serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True),
    },
)
RESULT_CODE = {v: k for k, v in c.RESULT_NAMES.items()}


def match_rows(queryset):
    for e in queryset:
        yield {
            "enterprise": e.pk,
            "name": e.name,
            "uscc": e.uscc,
            "area": e.area_id,
            "area_name": e.area.label,
            "result": c.RESULT_NAMES[e.policy_code],
            "amount": None if e.policy_amount is None else f"{e.policy_amount:.2f}",
        }


def match_columns():
    return [
        export.ExportColumn(_("USCC"), lambda r: r["uscc"]),
        export.ExportColumn(_("Name"), lambda r: r["name"]),
        export.ExportColumn(_("Area"), lambda r: r["area_name"]),
        export.ExportColumn(_("Result"), lambda r: r["result"]),
        export.ExportColumn(_("Estimated amount (yuan)"), lambda r: r["amount"]),
    ]


class PolicyItemViewSet(ScopedViewSet):
    queryset = PolicyItem.objects.select_related("policy", "department").order_by("policy", "code")
    serializer_class = PolicyItemSerializer
    filterset_fields = ["policy", "mode", "department"]
    search_fields = ["code", "name", "name_en"]

    def create_record(self, data):
        return services.create_item(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_item(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_item(instance, by=self.request.user)

    @extend_schema(
        summary="The item's rule versions, or add a draft",
        request=RuleInItemSerializer,
        responses={200: RuleInItemSerializer(many=True), 201: RuleInItemSerializer},
        filters=False,
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def rules(self, request, pk=None):
        item = self.get_object()
        if request.method == "GET":
            rules = scope(item.rules.select_related("published_by"), request.user, VIEW)
            return Response(RuleInItemSerializer(rules, many=True).data)
        serializer = RuleInItemSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        rule = services.create_rule(by=request.user, item=item, **serializer.validated_data)
        return Response(RuleInItemSerializer(rule).data, status=201)

    def _matches(self, request):
        item = self.get_object()
        on = on_param(request)
        enterprises = Enterprise.objects.scope(request.user).select_related("area")
        area = area_param(request, Area.objects.scope(request.user))
        if area is not None:
            enterprises = enterprises.in_subtree(area)
        return item, on, enterprises

    @extend_schema(
        summary="Enterprises and their result for the item",
        parameters=[
            ON,
            OpenApiParameter("area", OpenApiTypes.INT),
            OpenApiParameter("result", OpenApiTypes.STR, enum=RESULT_CHOICES),
            OpenApiParameter("as", OpenApiTypes.STR, enum=["json", "xlsx"]),
        ],
        responses={200: MATCH},
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=Pagination)
    def matches(self, request, pk=None):
        item, on, enterprises = self._matches(request)
        found = matching.results(item, on, enterprises).order_by("name", "pk")
        wanted = request.query_params.get("result")
        if wanted:
            if wanted not in RESULT_CODE:
                raise ValidationError({"result": [_("Not a result.")]})
            found = found.filter(policy_code=RESULT_CODE[wanted])
        if request.query_params.get("as") == "xlsx":
            return export.response(
                match_rows(found.iterator()),
                match_columns(),
                f"matches-{item.code}"[:40],
                "xlsx",
                request=request,
            )
        page = self.paginate_queryset(found)
        return self.get_paginated_response(list(match_rows(page)))

    @extend_schema(
        summary="Per-criterion counts: why the others fall short",
        parameters=[ON, OpenApiParameter("area", OpenApiTypes.INT)],
        responses={200: OpenApiTypes.OBJECT},
        filters=False,
    )
    @action(detail=True, methods=["get"], url_path="match-counts", filter_backends=[], pagination_class=None)
    def match_counts(self, request, pk=None):
        item, on, enterprises = self._matches(request)
        return Response(matching.criterion_counts(item, on, enterprises))


class RuleViewSet(ScopedViewSet):
    queryset = Rule.objects.select_related("item", "published_by").order_by("item", "-effective_from", "pk")
    serializer_class = RuleSerializer
    filterset_fields = ["item", "status"]
    http_method_names = ["get", "patch", "delete", "post", "head", "options"]

    def create_record(self, data):
        return services.create_rule(by=self.request.user, **data)

    def update_record(self, instance, data):
        data.pop("item", None)
        return services.update_rule(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_rule(instance, by=self.request.user)

    @extend_schema(
        summary="Publish a draft version (it never changes after)",
        request=None,
        responses={200: RuleSerializer},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        rule = services.publish_rule(self.get_object(), by=request.user)
        return Response(self._read_back(rule))

    @extend_schema(
        summary="Try this version (a draft, say) on one enterprise",
        parameters=[ON, OpenApiParameter("enterprise", OpenApiTypes.INT, required=True)],
        responses={200: ELIGIBILITY},
        filters=False,
    )
    @action(detail=True, methods=["get"], url_path="try", filter_backends=[])
    def try_on(self, request, pk=None):
        rule = self.get_object()
        raw = request.query_params.get("enterprise", "")
        if not raw.isdigit() or len(raw) > 18:
            raise ValidationError({"enterprise": [_("Give the id of an enterprise.")]})
        enterprise = get_object_or_404(
            Enterprise.objects.scope(request.user).select_related("area"), pk=int(raw)
        )
        return Response(matching.eligibility(enterprise, rule.item, on_param(request), rule=rule))


class ParameterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Parameter
        fields = ["id", "code", "value", "valid_from", "valid_to", "source", "last_verified", "note"]


class ParameterViewSet(ScopedViewSet):
    queryset = Parameter.objects.order_by("code", "-valid_from")
    serializer_class = ParameterSerializer
    filterset_fields = ["code"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create_record(self, data):
        return services.create_parameter(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_parameter(instance, by=self.request.user, **data)


class EvidenceField(serializers.FileField):
    """Written as a file (multipart), read as the download through the view that finds the fact in the
    caller's scope (null without a file): never the file's media URL. The size check is the project's
    one upload check, in the service."""

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_empty_file=True, use_url=False, **kwargs)

    def to_representation(self, value):
        if not value:
            return None
        url = value.instance.get_evidence_url()
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class DeclaredFactSerializer(serializers.ModelSerializer):
    enterprise = ScopedRelatedField(queryset=Enterprise.objects.all())
    variable = serializers.ChoiceField(choices=sorted(services.DECLARABLE))
    evidence = EvidenceField()
    declared_by = serializers.CharField(source="declared_by.username", read_only=True, default=None)
    verified_by = serializers.CharField(source="verified_by.username", read_only=True, default=None)

    class Meta:
        model = DeclaredFact
        fields = [
            "id",
            "enterprise",
            "variable",
            "year",
            "value",
            "evidence",
            "note",
            "declared_by",
            "verified_by",
            "verified_at",
        ]
        read_only_fields = ["verified_at"]


class FactPermission(WriteRolePermission):
    """Enterprise users declare their own facts too (the default asks for a role on an area)."""

    def has_permission(self, request, view):
        if super().has_permission(request, view):
            return True
        if not request.user or not request.user.is_authenticated:
            return False
        writers = policy_for(DeclaredFact).write_roles
        return any(m.enterprise_id and m.role in writers for m in memberships(request.user))


FACT_WRITE = (
    "JSON, or multipart with `evidence`, the supporting file (at most "
    f"{MAX_ATTACHMENT_BYTES // 2**20} MB; a refused file answers 400 naming `evidence`). The answer's "
    "`evidence` is its download through a view that checks the caller's scope. A declared or corrected "
    "fact counts in matching once staff verify it."
)


@extend_schema_view(
    create=extend_schema(description=FACT_WRITE), partial_update=extend_schema(description=FACT_WRITE)
)
class DeclaredFactViewSet(ScopedViewSet):
    permission_classes = [FactPermission]
    queryset = DeclaredFact.objects.select_related("enterprise__area", "declared_by", "verified_by").order_by(
        "pk"
    )
    serializer_class = DeclaredFactSerializer
    filterset_fields = ["enterprise", "variable", "year"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def create_record(self, data):
        return services.declare_fact(by=self.request.user, **data)

    def update_record(self, instance, data):
        values = {
            "variable": instance.variable,
            "year": instance.year,
            "value": instance.value,
            "note": instance.note,
        }
        changeable = {"value", "note", "evidence"}
        values.update({k: v for k, v in data.items() if k in changeable})
        if set(data) - changeable:
            raise ValidationError(
                {f: [_("This field cannot be changed here.")] for f in set(data) - changeable}
            )
        return services.declare_fact(by=self.request.user, enterprise=instance.enterprise, **values)

    def delete_record(self, instance):
        services.withdraw_fact(instance, by=self.request.user)

    @extend_schema(summary="Verify the fact (staff)", request=None, responses={200: DeclaredFactSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return Response(self._read_back(services.verify_fact(self.get_object(), by=request.user)))


# Reference and matching ----------------------------------------------------------------------------
class VariablesView(APIView):
    """The variables rules may use, each with its kind, operators, documentation and SQL form."""

    @extend_schema(summary="The variables of the criteria language", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response({"results": [v.describe() for v in VARIABLES.values()]})


class EligibilityView(APIView):
    """What one enterprise qualifies for on a date, item by item, with the trace of each criterion."""

    @extend_schema(
        summary="An enterprise's eligibility for the items that apply to it",
        parameters=[ON, OpenApiParameter("item", OpenApiTypes.INT)],
        responses={200: ELIGIBILITY(many=True) if callable(ELIGIBILITY) else ELIGIBILITY},
    )
    def get(self, request, pk: int):
        enterprise = Enterprise.objects.scope(request.user).select_related("area").filter(pk=pk).first()
        if enterprise is None:
            raise Http404
        items = applicable_items(enterprise).order_by("policy", "code")
        raw = request.query_params.get("item", "")
        if raw:
            if not raw.isdigit() or len(raw) > 18:
                raise ValidationError({"item": [_("Give the id of an item.")]})
            items = items.filter(pk=int(raw))
        return Response(matching.eligibility_list(enterprise, items, on_param(request)))
