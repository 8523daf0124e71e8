"""Who sees and changes the calendar: it is national reference data, read by every signed-in user and
changed by administrators (the `admin` role of any area) and superusers."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from zoneos.core.roles import VIEW, Role

# Not `Q()`: an empty Q vanishes when `scope()` ORs it onto "nothing".
EVERYTHING = Q(pk__isnull=False)


@dataclass(frozen=True)
class NationalPolicy:
    """Records that belong to no area: everyone signed in reads them; `write_roles` change them."""

    write_roles: frozenset[str] = frozenset({Role.ADMIN})

    def grant(self, membership, action: str) -> Q | None:
        if action != VIEW and membership.role in self.write_roles and membership.area_id:
            return EVERYTHING
        return None

    def always(self, user, action: str) -> Q | None:
        return EVERYTHING if action == VIEW else None
