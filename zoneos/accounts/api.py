"""REST API of users, memberships and the caller's own profile (`/api/v1/me/`)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from zoneos.areas.models import Area, Department
from zoneos.core.api import ScopedRelatedField, ScopedViewSet

from . import services
from .filters import MembershipFilter, UserFilter
from .models import Membership, User
from .scoping import membership_roots, memberships


class UserSerializer(serializers.ModelSerializer):
    password = serializers.CharField(
        write_only=True, required=False, style={"input_type": "password"}, trim_whitespace=False
    )
    home_area = ScopedRelatedField(queryset=Area.objects.all(), allow_null=True, required=False)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "password",
            "display_name",
            "email",
            "home_area",
            "is_active",
            "is_superuser",
            "date_joined",
            "last_login",
        ]
        read_only_fields = ["is_superuser", "date_joined", "last_login"]

    def validate(self, attrs):
        if self.instance is None and not attrs.get("password"):
            raise serializers.ValidationError(
                {"password": [serializers.Field.default_error_messages["required"]]}
            )
        return attrs


class MembershipSerializer(serializers.ModelSerializer):
    user = ScopedRelatedField(queryset=User.objects.all())
    area = ScopedRelatedField(queryset=Area.objects.all(), allow_null=True, required=False)
    department = ScopedRelatedField(queryset=Department.objects.all(), allow_null=True, required=False)
    # The enterprise app sits above accounts: its model is reached through the membership's relation.
    enterprise = ScopedRelatedField(
        queryset=Membership.enterprise.field.related_model.objects.all(), allow_null=True, required=False
    )
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    target_name = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = [
            "id",
            "user",
            "role",
            "role_label",
            "area",
            "department",
            "enterprise",
            "target_name",
            "is_head",
            "created_at",
        ]
        read_only_fields = ["created_at"]
        # Role/target consistency and uniqueness are the model's rules, checked by the service.
        validators = []
        # `target_name` names the area, the department (with its area) or the enterprise.
        select_related = ["area", "department__area", "enterprise"]

    def get_target_name(self, obj) -> str:
        return obj.target_label


class UserViewSet(ScopedViewSet):
    """Users within the caller's scope. DELETE deactivates: history keeps its authors."""

    queryset = User.objects.select_related("home_area")
    serializer_class = UserSerializer
    filterset_class = UserFilter

    def create_record(self, data):
        return services.create_user(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_user(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.deactivate_user(instance, by=self.request.user)


class MembershipViewSet(ScopedViewSet):
    """Memberships (user, role, area | department | enterprise) within the caller's scope."""

    queryset = Membership.objects.select_related("user", "enterprise__area")
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter

    def create_record(self, data):
        return services.create_membership(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_membership(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_membership(instance, by=self.request.user)


class ScopeAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["id", "code", "name", "name_en", "kind"]


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    email = serializers.EmailField()
    is_superuser = serializers.BooleanField()
    roles = serializers.ListField(child=serializers.CharField())
    memberships = MembershipSerializer(many=True)
    scopes = ScopeAreaSerializer(many=True)


class MeView(APIView):
    """The signed-in user, their roles, memberships and the top areas of their scope."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        own = memberships(user)
        data = {
            "id": user.pk,
            "username": user.username,
            "display_name": user.display_name,
            "email": user.email,
            "is_superuser": user.is_superuser,
            "roles": sorted({m.role for m in own}),
            "memberships": own,
            "scopes": membership_roots(user),
        }
        return Response(MeSerializer(data, context={"request": request}).data)
