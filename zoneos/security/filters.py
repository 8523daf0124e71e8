"""Filters of the token list and of the security log (shared by the pages and the API)."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zoneos.core.filters import IdFilter

from .models import ApiToken, EventKind, SecurityEvent, TokenState


class ApiTokenFilter(django_filters.FilterSet):
    user = IdFilter(field_name="user_id", label=_("User"))
    state = django_filters.ChoiceFilter(label=_("State"), choices=TokenState.choices, method="filter_state")

    class Meta:
        model = ApiToken
        fields = ["user", "state"]

    def filter_state(self, queryset, name, value):
        now = timezone.now()
        if value == TokenState.REVOKED:
            return queryset.filter(revoked_at__isnull=False)
        if value == TokenState.EXPIRED:
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        return queryset.filter(revoked_at__isnull=True, expires_at__gt=now)


class SecurityEventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EventKind.choices)
    user = django_filters.CharFilter(label=_("User"), method="filter_user")
    address = django_filters.CharFilter(label=_("IP address"), method="filter_address")
    since = django_filters.DateFilter(label=_("From"), field_name="at", lookup_expr="date__gte")
    until = django_filters.DateFilter(label=_("To"), field_name="at", lookup_expr="date__lte")

    class Meta:
        model = SecurityEvent
        fields = ["kind", "user", "address", "since", "until"]

    def filter_address(self, queryset, name, value):
        """The start of an address (`10.1.` finds a subnet)."""
        if "\x00" in value:  # no stored address holds one, and PostgreSQL refuses it in a query
            return queryset.none()
        return queryset.filter(address__startswith=value.strip())

    def filter_user(self, queryset, name, value):
        """A username (the one tried, for failed sign-ins) or a user's id."""
        value = value.strip()
        if "\x00" in value:
            return queryset.none()
        condition = Q(username__iexact=value)
        if value.isascii() and value.isdigit() and len(value) <= 18:
            condition |= Q(user_id=int(value))
        return queryset.filter(condition)
