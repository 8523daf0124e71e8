"""Who sees and changes chains.

A zone's chain is seen from the zone's subtree and from above, like its policies; a shared template
(no area) by every member of staff. Only the area's admins change a chain and its links (superusers the
templates). A placement hangs on the placed record's area: seen by the staff of that area's subtree,
kept by those who keep its enterprises and projects. A chain's targets (enterprises outside the zone)
are seen by the zone's staff and kept by its admins and investment officers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from zoneos.core.roles import VIEW, Role
from zoneos.policies.scoping import CataloguePolicy

# The management side: everyone but enterprise users.
STAFF_ROLES = frozenset(Role) - {Role.ENTERPRISE}
ADMINS = frozenset({Role.ADMIN})
PLACERS = frozenset({Role.ADMIN, Role.INVESTMENT_OFFICER, Role.PARK_STAFF})
# Who keeps a chain's target list: the zone's investment side.
TARGETERS = frozenset({Role.ADMIN, Role.INVESTMENT_OFFICER})


@dataclass(frozen=True)
class ChainPolicy(CataloguePolicy):
    """A chain's own records: seen from their area's subtree and above; templates by all staff."""

    def grant(self, membership, action: str) -> Q | None:
        granted = super().grant(membership, action)
        if action != VIEW or membership.role not in self.read_roles:
            return granted
        area = self.path_lookup.removesuffix("__path")
        template = Q(**{f"{area}__isnull": True})
        return template if granted is None else granted | template


def register_all() -> None:
    from zoneos.accounts.scoping import AreaBoundPolicy, register

    from .models import (
        Candidate,
        Chain,
        ChainLabel,
        ChainMembers,
        ChainYear,
        Link,
        Placement,
        Rejection,
        StrengthRule,
        SupplyEdge,
    )

    for model in (Chain, Link, SupplyEdge):
        register(model, ChainPolicy(write_roles=ADMINS, read_roles=STAFF_ROLES))
    register(StrengthRule, CataloguePolicy(write_roles=ADMINS, read_roles=STAFF_ROLES))
    register(Placement, AreaBoundPolicy(write_roles=PLACERS, read_roles=STAFF_ROLES))
    register(Rejection, AreaBoundPolicy(write_roles=PLACERS, read_roles=STAFF_ROLES))
    # The cells that sum the placements are read as the placements are.
    for model in (ChainMembers, ChainYear, ChainLabel):
        register(model, AreaBoundPolicy(write_roles=frozenset(), read_roles=STAFF_ROLES))
    # A zone's targets: seen by its staff (a park courts them too), kept by its investment side.
    register(Candidate, CataloguePolicy(write_roles=TARGETERS, read_roles=STAFF_ROLES))
