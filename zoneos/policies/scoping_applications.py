"""Applications in the app's registries: publishing an automatic item's rule offers it at once, and who
sees applications and budgets: the zone's staff those of their areas' enterprises, a
department's handlers those for their department's items (their review queue), an enterprise's users
their own enterprise's applications (never its budgets)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from zoneos.accounts.scoping import AreaBoundPolicy, register
from zoneos.core.roles import VIEW, Role

from .review_parties import APPLYING_ROLES

STAFF = frozenset(Role) - {Role.ENTERPRISE}


@dataclass(frozen=True)
class ApplicationPolicy(AreaBoundPolicy):
    def grant(self, membership, action: str) -> Q | None:
        if action == VIEW and membership.department_id:
            return Q(item__department_id=membership.department_id)
        return super().grant(membership, action)


def register_applications() -> None:
    from .applications_automatic import on_published
    from .models import Budget, Payment, PolicyApplication
    from .services import published

    published.connect(on_published, dispatch_uid="policies.automatic_offers")

    # Writes to applications go through the step services, which check who takes each step.
    register(
        PolicyApplication, ApplicationPolicy(write_roles=APPLYING_ROLES, enterprise_lookup="enterprise_id")
    )
    register(
        Payment, AreaBoundPolicy(write_roles=frozenset(), enterprise_lookup="application__enterprise_id")
    )
    register(Budget, AreaBoundPolicy(write_roles=frozenset({Role.ADMIN}), read_roles=STAFF))
