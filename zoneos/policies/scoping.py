"""Who sees and changes the catalogue and the declared facts.

A policy applies to its area's subtree, so it is seen from there and from above: a park's staff and
its enterprises read the zone's policies, a zone's staff read the parks' own. Writing the catalogue
needs an admin (or another `write_roles`) on an area above the record, as elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from zoneos.accounts.scoping import AreaBoundPolicy
from zoneos.core.roles import VIEW


def ancestor_paths(path: str) -> list[str]:
    """'/1/7/42/' → ['/1/', '/1/7/', '/1/7/42/']."""
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


@dataclass(frozen=True)
class CataloguePolicy(AreaBoundPolicy):
    """Seen from the area's subtree and from above; `read_roles` narrows who reads (drafts of rules
    are not shown to enterprise users)."""

    def grant(self, membership, action: str) -> Q | None:
        if action != VIEW:
            return super().grant(membership, action)
        if membership.role not in self.read_roles:
            return None
        path = membership.scope_area.path
        lookup = self.path_lookup
        return Q(**{f"{lookup}__in": ancestor_paths(path)}) | Q(**{f"{lookup}__startswith": path})

    def view_path(self, membership):  # not a union of subtrees: no rollup reads it per area
        from zoneos.accounts.scoping import NotAreaShaped

        raise NotAreaShaped


@dataclass(frozen=True)
class EnterpriseFactPolicy(AreaBoundPolicy):
    """Facts of an enterprise: staff of its area as usual; its own users read and declare them."""

    def grant(self, membership, action: str) -> Q | None:
        if membership.enterprise_id and membership.role in self.write_roles:
            return Q(enterprise_id=membership.enterprise_id)
        return super().grant(membership, action)
