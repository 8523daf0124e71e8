"""Who sees and revokes tokens, who reads the security log (registered with the one scoping function).

A token is seen and revoked by its owner, and by the admins who may change its owner (a user every
membership of whom lies in the admin's subtree: the rule of user administration, so an admin never
reaches a superuser's or another area's tokens). The security log is read by admins: the events of
the users of their subtree; events without a known user (a failed sign-in under an unknown name)
only by superusers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from zoneos.accounts.models import User
from zoneos.accounts.scoping import UserPolicy, register
from zoneos.core.roles import CHANGE, VIEW, Role

from .models import ApiToken, SecurityEvent


def managed_users(membership, action: str = CHANGE):
    """The users this admin membership manages (CHANGE) or sees (VIEW), as a subquery of ids."""
    condition = UserPolicy().grant(membership, action)
    return None if condition is None else User.objects.filter(condition).values("pk")


@dataclass(frozen=True)
class ApiTokenPolicy:
    write_roles: frozenset[str] = frozenset({Role.ADMIN})

    def grant(self, membership, action: str) -> Q | None:
        if membership.role not in self.write_roles or not membership.area_id:
            return None
        users = managed_users(membership)
        return None if users is None else Q(user_id__in=users)

    def always(self, user, action: str) -> Q | None:
        return Q(user_id=user.pk)


@dataclass(frozen=True)
class SecurityEventPolicy:
    read_roles: frozenset[str] = frozenset({Role.ADMIN})
    write_roles: frozenset[str] = frozenset()  # written by the platform only

    def grant(self, membership, action: str) -> Q | None:
        if action != VIEW or membership.role not in self.read_roles or not membership.area_id:
            return None
        users = managed_users(membership, VIEW)
        return None if users is None else Q(user_id__in=users)

    def always(self, user, action: str) -> Q | None:
        return None


def may_read_log(user) -> bool:
    """Superusers and area admins (the security log's page and API are theirs alone)."""
    from zoneos.accounts.scoping import memberships

    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or any(m.role == Role.ADMIN and m.area_id for m in memberships(user))


register(ApiToken, ApiTokenPolicy())
register(SecurityEvent, SecurityEventPolicy())
