"""Who sees and keeps research projects.

A project hangs on an area (a park, or a zone without parks); its budget lines, adjustments, reviewers,
scores and expenditures reach the area through it. The staff of the area's subtree read them (a park's
staff their park's projects, a zone's officers their zone's); they are kept by the area's admins and
park staff (the zone's science and technology office), and only admins approve, accept and decide
budget adjustments over the PI's share (`workflow`). A zone's programmes are read by its staff and
the staff of its parks, and kept by its admins.

Enterprise users read the projects their enterprise undertakes, with the budget, the adjustments and
the expenditures, but never the reviewers or their scores (experts stay anonymous to the applicant;
the evaluation's result is on the project). They change nothing: the zone's office keeps the files.
"""

from __future__ import annotations

from zoneos.core.roles import Role

STAFF_ROLES = frozenset(Role) - {Role.ENTERPRISE}
KEEPERS = frozenset({Role.ADMIN, Role.PARK_STAFF})
ADMINS = frozenset({Role.ADMIN})


def register_all() -> None:
    from zoneos.accounts.scoping import AreaBoundPolicy, register
    from zoneos.policies.scoping import CataloguePolicy

    from .models import (
        BudgetAdjustment,
        BudgetLine,
        Expenditure,
        Programme,
        ProjectStep,
        ResearchProject,
        Reviewer,
        Score,
    )

    # A zone's programme is read by the staff of its parks too (a park's projects are run under it).
    register(Programme, CataloguePolicy(write_roles=ADMINS, read_roles=STAFF_ROLES))
    for model in (ResearchProject, ProjectStep, BudgetLine, BudgetAdjustment, Expenditure):
        lookup = "enterprise_id" if model is ResearchProject else "project__enterprise_id"
        register(model, AreaBoundPolicy(write_roles=KEEPERS, enterprise_lookup=lookup))
    for model in (Reviewer, Score):
        register(model, AreaBoundPolicy(write_roles=KEEPERS, read_roles=STAFF_ROLES))
