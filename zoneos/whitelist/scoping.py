"""Who sees and keeps the whitelist.

Everything hangs on an area (an entity on its own, an application on the zone or park that reviews it,
items and movements through their application). The staff of the area's subtree read it (a zone's
leaders, officers, handlers, statisticians); the applicant enterprise's own users read their own
entities, applications, items and movements and keep them as the applicant. Those who apply for an
enterprise (`APPLYING_ROLES`: admins, park staff, service officers) keep them too. Which steps of an
application each takes is the workflow's (`parties`): the zone's admins review and speak for customs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from zoneos.accounts.scoping import AreaBoundPolicy
from zoneos.core.roles import Role

APPLYING_ROLES = frozenset({Role.ADMIN, Role.PARK_STAFF, Role.SERVICE_OFFICER})
KEEPERS = APPLYING_ROLES | {Role.ENTERPRISE}
REVIEW_ROLES = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class ApplicantPolicy(AreaBoundPolicy):
    """Staff of the area as usual; the applicant enterprise's users read and keep its own records."""

    def grant(self, membership, action: str) -> Q | None:
        if membership.enterprise_id and membership.role == Role.ENTERPRISE and self.enterprise_lookup:
            return Q(**{self.enterprise_lookup: membership.enterprise_id})
        return super().grant(membership, action)


def register_all() -> None:
    from zoneos.accounts.scoping import register

    from .models import Entity, Item, Movement, RefusedMovement, WhitelistApplication

    for model, lookup in (
        (Entity, "enterprise_id"),
        (WhitelistApplication, "enterprise_id"),
        (Item, "application__enterprise_id"),
        (Movement, "item__application__enterprise_id"),
        (RefusedMovement, "item__application__enterprise_id"),
    ):
        register(model, ApplicantPolicy(write_roles=APPLYING_ROLES, enterprise_lookup=lookup))
