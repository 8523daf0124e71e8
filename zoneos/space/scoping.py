"""Who sees and keeps space.

Parcels, buildings, units and leases are seen by the staff of their park's subtree and from above (a
park's staff their park, a zone's admins and officers their zone); enterprise users see none of it,
their own lease included (the lease is the park's record; the enterprise has its contract). They are
kept by those who keep a park's enterprises and projects: the area's admins, investment officers and
park staff.
"""

from __future__ import annotations

from zoneos.core.roles import Role

# The management side: everyone but enterprise users.
STAFF_ROLES = frozenset(Role) - {Role.ENTERPRISE}
KEEPERS = frozenset({Role.ADMIN, Role.INVESTMENT_OFFICER, Role.PARK_STAFF})


def register_all() -> None:
    from zoneos.accounts.scoping import AreaBoundPolicy, register

    from .models import Building, Lease, Parcel, Renovation, Shape, Unit

    for model in (Parcel, Building, Unit, Lease, Shape, Renovation):
        register(model, AreaBoundPolicy(write_roles=KEEPERS, read_roles=STAFF_ROLES))
