"""Who sees and keeps innovation points.

A zone's points system is seen by the management of the zone's subtree and from above, and kept by its
admins. A consent hangs on its enterprise: seen by the staff of the enterprise's area and by the
enterprise's own users, recorded by those who serve enterprises (admins, park staff, service officers),
and given or withdrawn by the enterprise's own users. The ranking and the bank export read the
figures of the enterprises in the caller's scope (`STAFF_ROLES`; the export: `EXPORTERS`).
"""

from __future__ import annotations

from zoneos.core.roles import Role

# The management side: everyone but enterprise users.
STAFF_ROLES = frozenset(Role) - {Role.ENTERPRISE}
ADMINS = frozenset({Role.ADMIN})
CONSENT_KEEPERS = frozenset({Role.ADMIN, Role.PARK_STAFF, Role.SERVICE_OFFICER, Role.ENTERPRISE})
# Who hands a bank its file: the zone's admins and the officers who serve enterprises.
EXPORTERS = frozenset({Role.ADMIN, Role.SERVICE_OFFICER})


def register_all() -> None:
    from zoneos.accounts.scoping import register
    from zoneos.policies.scoping import CataloguePolicy, EnterpriseFactPolicy

    from .models import Consent, PointsIndicator, PointsSystem

    for model in (PointsSystem, PointsIndicator):
        register(model, CataloguePolicy(write_roles=ADMINS, read_roles=STAFF_ROLES))
    register(
        Consent,
        EnterpriseFactPolicy(write_roles=CONSENT_KEEPERS, enterprise_lookup="enterprise_id"),
    )
