"""Who takes part in an appeal: the role sets of the service desk and the four parties of its steps
(the zone's dispatchers, the department's handlers and heads, the enterprise), each a check of a
user against one appeal."""

from __future__ import annotations

from zoneos.accounts.scoping import memberships
from zoneos.core.roles import Role
from zoneos.core.workflow import Party

from ..models import Appeal

# Staff who route, close and speak for the zone (on the appeal's area or above it).
DISPATCH_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.SERVICE_OFFICER})
# Staff who may record an appeal received by hotline, visit or symposium.
RECORDING_ROLES = DISPATCH_ROLES | {Role.PARK_STAFF}
SUBMITTING_ROLES = RECORDING_ROLES | {Role.ENTERPRISE}


def _area_roles(user, appeal: Appeal, roles) -> bool:
    return any(
        m.role in roles and m.area_id and appeal.area.path.startswith(m.area.path) for m in memberships(user)
    )


def is_dispatcher(user, appeal: Appeal) -> bool:
    return user.is_superuser or _area_roles(user, appeal, DISPATCH_ROLES)


def is_handler(user, appeal: Appeal) -> bool:
    return user.is_superuser or (
        appeal.department_id is not None
        and any(m.role == Role.HANDLER and m.department_id == appeal.department_id for m in memberships(user))
    )


def is_head(user, appeal: Appeal) -> bool:
    return user.is_superuser or (
        appeal.department_id is not None
        and any(
            m.role == Role.HANDLER and m.department_id == appeal.department_id and m.is_head
            for m in memberships(user)
        )
    )


def is_enterprise(user, appeal: Appeal) -> bool:
    return any(
        m.role == Role.ENTERPRISE and m.enterprise_id == appeal.enterprise_id for m in memberships(user)
    )


DISPATCHER = Party("dispatcher", is_dispatcher)
HANDLER = Party("handler", is_handler)
HEAD = Party("head", is_head)
ENTERPRISE = Party("enterprise", is_enterprise)


def may_attach(user, appeal: Appeal) -> bool:
    """Files are added by the enterprise, the zone's dispatchers and the department's handlers."""
    return any(party(user, appeal) for party in (ENTERPRISE, DISPATCHER, HANDLER))
