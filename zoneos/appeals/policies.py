"""Who sees which appeals: the zone's staff those of their areas, a department's handlers those routed
to their department (their queue), an enterprise's users their own enterprise's. Everyone else: none."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from zoneos.accounts.scoping import AreaBoundPolicy
from zoneos.core.roles import VIEW


@dataclass(frozen=True)
class AppealPolicy(AreaBoundPolicy):
    def grant(self, membership, action: str) -> Q | None:
        if action == VIEW and membership.department_id:
            return Q(department_id=membership.department_id)
        return super().grant(membership, action)


@dataclass(frozen=True)
class SlaPolicyPolicy(AreaBoundPolicy):
    """Deadline policies of the areas in reach, and the platform's default (no area), which every
    member of the staff reads and only superusers change."""

    def grant(self, membership, action: str) -> Q | None:
        granted = super().grant(membership, action)
        if action == VIEW and granted is not None:
            return granted | Q(area__isnull=True)
        return granted
