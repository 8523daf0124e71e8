import django_filters
from django.utils.translation import gettext_lazy as _

from zoneos.core.filters import IdFilter, WithinAreaFilter, search_q
from zoneos.core.roles import Role

from .models import Membership, User


class UserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    is_active = django_filters.BooleanFilter(label=_("Active"))
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=Role.choices, field_name="memberships__role", distinct=True
    )
    within = WithinAreaFilter()

    class Meta:
        model = User
        fields = ["q", "is_active", "role", "within"]

    def search(self, queryset, name, value):
        return queryset.filter(search_q(value, ["username", "display_name", "email"]))


class MembershipFilter(django_filters.FilterSet):
    user = IdFilter(label=_("User"), field_name="user_id")
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices)
    area = IdFilter(label=_("Area"), field_name="area_id")
    department = IdFilter(label=_("Department"), field_name="department_id")
    enterprise = IdFilter(label=_("Enterprise"), field_name="enterprise_id")
    within = WithinAreaFilter()

    class Meta:
        model = Membership
        fields = ["user", "role", "area", "department", "enterprise", "within"]
