"""Who sees and keeps innovation points.

A zone's points system is seen by the management of the zone's subtree and from above, and kept by its
admins. A consent hangs on its enterprise: seen by the staff of the enterprise's area and by the
enterprise's own users, recorded by those who serve enterprises (admins, park staff, service officers),
and given or withdrawn by the enterprise's own users. The ranking and the bank export read the
figures of the enterprises in the caller's scope (`STAFF_ROLES`; the export: `EXPORTERS`).

Platforms (and their years) hang on their park or zone like space: seen by the staff of the area's
subtree and from above, kept by those who keep a park's enterprises (`KEEPERS`). Talents, teams and
the services they received hang on their enterprise: seen by its area's staff, kept by the same
keepers and the service officers. A fund is zone business: seen from its area's subtree and from above
(a park's staff read the zone's funds, as a catalogue), kept with its investments and exits by the
area's admins and investment officers (`FUND_KEEPERS`).
"""

from __future__ import annotations

from zoneos.core.roles import Role

# The management side: everyone but enterprise users.
STAFF_ROLES = frozenset(Role) - {Role.ENTERPRISE}
ADMINS = frozenset({Role.ADMIN})
CONSENT_KEEPERS = frozenset({Role.ADMIN, Role.PARK_STAFF, Role.SERVICE_OFFICER, Role.ENTERPRISE})
# Who hands a bank its file: the zone's admins and the officers who serve enterprises.
EXPORTERS = frozenset({Role.ADMIN, Role.SERVICE_OFFICER})
KEEPERS = frozenset({Role.ADMIN, Role.INVESTMENT_OFFICER, Role.PARK_STAFF})
TALENT_KEEPERS = KEEPERS | {Role.SERVICE_OFFICER}
FUND_KEEPERS = frozenset({Role.ADMIN, Role.INVESTMENT_OFFICER})


def register_all() -> None:
    from zoneos.accounts.scoping import AreaBoundPolicy, register
    from zoneos.policies.scoping import CataloguePolicy, EnterpriseFactPolicy

    from .models import (
        Consent,
        Exit,
        Fund,
        Investment,
        Platform,
        PlatformYear,
        PointsIndicator,
        PointsSystem,
        Talent,
        TalentService,
        TalentTeam,
    )

    for model in (PointsSystem, PointsIndicator):
        register(model, CataloguePolicy(write_roles=ADMINS, read_roles=STAFF_ROLES))
    register(
        Consent,
        EnterpriseFactPolicy(write_roles=CONSENT_KEEPERS, enterprise_lookup="enterprise_id"),
    )
    for model in (Platform, PlatformYear):
        register(model, AreaBoundPolicy(write_roles=KEEPERS, read_roles=STAFF_ROLES))
    for model in (Talent, TalentTeam, TalentService):
        register(model, AreaBoundPolicy(write_roles=TALENT_KEEPERS, read_roles=STAFF_ROLES))
    for model in (Fund, Investment, Exit):
        register(model, CataloguePolicy(write_roles=FUND_KEEPERS, read_roles=STAFF_ROLES))
