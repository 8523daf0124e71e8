"""Who takes part in an application's review, each a check of a user against one application: the
enterprise, staff applying for it, the zone's window that accepts (受理), the park that reviews first
(初审) and the item's department that reviews, publicizes, approves and pays. Superusers are every
party."""

from __future__ import annotations

from zoneos.accounts.scoping import memberships
from zoneos.core.roles import Role
from zoneos.core.workflow import Party

# Staff who apply for an enterprise, or hand in its papers: its park, its service officer, admins.
APPLYING_ROLES = frozenset({Role.ADMIN, Role.PARK_STAFF, Role.SERVICE_OFFICER})
WINDOW_ROLES = frozenset({Role.ADMIN, Role.PARK_STAFF, Role.SERVICE_OFFICER})
PARK_ROLES = frozenset({Role.ADMIN, Role.PARK_STAFF})


def _over_enterprise(user, application, roles) -> bool:
    path = application.enterprise.area.path
    return any(m.role in roles and m.area_id and path.startswith(m.area.path) for m in memberships(user))


def is_enterprise(user, application) -> bool:
    return user.is_superuser or any(
        m.role == Role.ENTERPRISE and m.enterprise_id == application.enterprise_id for m in memberships(user)
    )


def is_applicant(user, application) -> bool:
    return is_enterprise(user, application) or _over_enterprise(user, application, APPLYING_ROLES)


def is_window(user, application) -> bool:
    return user.is_superuser or _over_enterprise(user, application, WINDOW_ROLES)


def is_park(user, application) -> bool:
    return user.is_superuser or _over_enterprise(user, application, PARK_ROLES)


def is_department(user, application) -> bool:
    """The handlers of the item's department, and the admins of the area the department is on."""
    if user.is_superuser:
        return True
    department = application.item.department
    if department is None:
        return _over_enterprise(user, application, {Role.ADMIN})
    for m in memberships(user):
        if m.role == Role.HANDLER and m.department_id == department.pk:
            return True
        if m.role == Role.ADMIN and m.area_id and department.area.path.startswith(m.area.path):
            return True
    return False


ENTERPRISE = Party("enterprise", is_enterprise)
APPLICANT = Party("applicant", is_applicant)
WINDOW = Party("window", is_window)
PARK = Party("park", is_park)
DEPARTMENT = Party("department", is_department)
REVIEWERS = (WINDOW, PARK, DEPARTMENT)
