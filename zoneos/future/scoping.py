"""Who sees and keeps future industries, their boards and scenarios.

The shared list of future industries is read by every member of staff, a zone's own industries from
the zone's subtree and above (as chains' templates and a zone's chains); a zone's admins keep its own,
superusers the shared list. A board and its proofs are seen from the zone's subtree and above (a park's
staff read their zone's board) and kept by the zone's admins and investment officers. A scenario is
seen by the staff of its area's subtree and by its owner enterprise's own users, and kept by those who
keep the area's enterprises and projects: admins, investment officers and park staff.
"""

from __future__ import annotations

from zoneos.core.roles import ALL_ROLES, Role

STAFF_ROLES = frozenset(Role) - {Role.ENTERPRISE}
ADMINS = frozenset({Role.ADMIN})
BOARD_KEEPERS = frozenset({Role.ADMIN, Role.INVESTMENT_OFFICER})
SCENARIO_KEEPERS = frozenset({Role.ADMIN, Role.INVESTMENT_OFFICER, Role.PARK_STAFF})


def register_all() -> None:
    from zoneos.accounts.scoping import AreaBoundPolicy, register
    from zoneos.chains.scoping import ChainPolicy
    from zoneos.policies.scoping import CataloguePolicy

    from .models import Board, FutureIndustry, Proof, Scenario, ScenarioEvent, ScenarioMatch

    register(FutureIndustry, ChainPolicy(write_roles=ADMINS, read_roles=STAFF_ROLES))
    for model in (Board, Proof):
        register(model, CataloguePolicy(write_roles=BOARD_KEEPERS, read_roles=STAFF_ROLES))
    register(
        Scenario,
        AreaBoundPolicy(
            write_roles=SCENARIO_KEEPERS, read_roles=ALL_ROLES, enterprise_lookup="owner_enterprise_id"
        ),
    )
    for model in (ScenarioMatch, ScenarioEvent):
        register(
            model,
            AreaBoundPolicy(
                write_roles=SCENARIO_KEEPERS,
                read_roles=ALL_ROLES,
                enterprise_lookup="scenario__owner_enterprise_id",
            ),
        )
