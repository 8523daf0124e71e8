"""Who reads what in supervision: the areas whose aggregate figures (summary, ranking, briefings) a
user may read, and who sees supervision orders (the readers of the project's area, and the handlers of
the department an order is addressed to, who otherwise see no key projects)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from zoneos.accounts.scoping import AreaBoundPolicy, areas_for_roles
from zoneos.core.roles import VIEW, Role

# The roles that read key projects and the figures made from them.
SUMMARY_ROLES = frozenset(Role) - {Role.ENTERPRISE, Role.HANDLER}


def readable_areas(user):
    """Areas whose supervision figures the user may read."""
    return areas_for_roles(user, SUMMARY_ROLES)


@dataclass(frozen=True)
class OrderPolicy(AreaBoundPolicy):
    def grant(self, membership, action: str) -> Q | None:
        if action == VIEW and membership.department_id:
            return Q(to_department_id=membership.department_id)
        return super().grant(membership, action)
