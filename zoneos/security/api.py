"""REST API of API tokens (`/api/v1/tokens/`) and of the security log (`/api/v1/security-events/`).

Tokens: everyone lists their own, and admins also those of the users they manage; a POST creates one
for the caller and answers with its secret, the only time it is shown; `revoke` ends one. A token is
created from a signed-in session, never with another token, so a leaked token cannot prolong itself.
The security log is read by admins and superusers (403 for everyone else), filtered and exported
like the page.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from zoneos.accounts.scoping import scope
from zoneos.core.roles import VIEW
from zoneos.tabular import export

from . import services
from .exports import event_columns
from .filters import ApiTokenFilter, SecurityEventFilter
from .models import ApiToken, SecurityEvent, TokenState
from .scoping import may_read_log


class ApiTokenSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    revoked_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    state = serializers.ChoiceField(choices=TokenState.choices, read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "user",
            "username",
            "name",
            "prefix",
            "state",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "revoked_by",
        ]
        read_only_fields = fields


class NewApiTokenSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    expires_at = serializers.DateTimeField(
        required=False, help_text="Default: 90 days from now (ZONEOS_API_TOKEN_DAYS); at most the maximum."
    )


class CreatedApiTokenSerializer(ApiTokenSerializer):
    key = serializers.CharField(read_only=True, help_text="The secret: shown this once, never again.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]
        read_only_fields = fields


class ApiTokenViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """The caller's API tokens (and, for admins, those of the users they manage); never the secret."""

    serializer_class = ApiTokenSerializer
    filterset_class = ApiTokenFilter
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        tokens = ApiToken.objects.select_related("user", "revoked_by")
        return scope(tokens, self.request.user, VIEW)

    @extend_schema(
        summary="Create an API token for the caller",
        description="Answers with the secret (`key`) once; it cannot be read again.",
        request=NewApiTokenSerializer,
        responses={201: CreatedApiTokenSerializer},
    )
    def create(self, request, *args, **kwargs):
        if isinstance(request.auth, ApiToken):
            raise PermissionDenied(_("Create API tokens from a signed-in session, not with another token."))
        data = NewApiTokenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, secret = services.create_token(by=request.user, request=request, **data.validated_data)
        token.key = secret
        return Response(CreatedApiTokenSerializer(token).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Revoke the token", request=None, responses={200: ApiTokenSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        token = services.revoke_token(self.get_object(), by=request.user, request=request)
        return Response(ApiTokenSerializer(token).data)


class SecurityEventSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    detail = serializers.DictField(read_only=True)

    class Meta:
        model = SecurityEvent
        fields = [
            "id",
            "kind",
            "kind_label",
            "at",
            "user",
            "username",
            "address",
            "user_agent",
            "path",
            "detail",
        ]
        read_only_fields = fields


class ReadsTheLog(permissions.IsAuthenticated):
    message = gettext_lazy("Only admins and superusers read the security log.")

    def has_permission(self, request, view):
        return super().has_permission(request, view) and may_read_log(request.user)


EXPORT_PARAMETER = OpenApiParameter(
    "as", OpenApiTypes.STR, enum=["xlsx", "csv"], description="File format (default xlsx)."
)


class SecurityEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Security events of the users the caller administers (superusers: all), newest first."""

    serializer_class = SecurityEventSerializer
    filterset_class = SecurityEventFilter
    permission_classes = [ReadsTheLog]
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return scope(SecurityEvent.objects.all(), self.request.user, VIEW)

    @extend_schema(
        summary="Export the filtered log",
        parameters=[EXPORT_PARAMETER],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def export(self, request):
        rows = self.filter_queryset(self.get_queryset()).iterator(chunk_size=2000)
        fmt = "csv" if request.query_params.get("as") == "csv" else "xlsx"
        return export.response(rows, event_columns(), "security-events", fmt, request=request)
