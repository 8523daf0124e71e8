"""Who takes part in a whitelist application, each a check of a user against one application: the
applicant (the enterprise's own users, and the staff who apply for it: its area's admins, park staff
and service officers) and the zone (the admins of the application's area or above it), who reviews the
application, hands it to customs and records customs' answer. Superusers are every party."""

from __future__ import annotations

from zoneos.accounts.scoping import memberships
from zoneos.core.roles import Role
from zoneos.core.workflow import Party

from .scoping import APPLYING_ROLES, REVIEW_ROLES


def _over(user, area, roles) -> bool:
    return any(m.role in roles and m.area_id and area.path.startswith(m.area.path) for m in memberships(user))


def is_applicant(user, application) -> bool:
    if user.is_superuser:
        return True
    if any(
        m.role == Role.ENTERPRISE and m.enterprise_id == application.enterprise_id for m in memberships(user)
    ):
        return True
    return _over(user, application.area, APPLYING_ROLES)


def is_zone(user, application) -> bool:
    return user.is_superuser or _over(user, application.area, REVIEW_ROLES)


def may_see_document(user, entity) -> bool:
    """Whether `user` needs an entity's document number in full: those who keep the entity (the staff
    who apply over its area, the users of the enterprise it works with). Everyone else sees it masked."""
    if user.is_superuser:
        return True
    for m in memberships(user):
        if m.role == Role.ENTERPRISE and entity.enterprise_id and m.enterprise_id == entity.enterprise_id:
            return True
        if m.role in APPLYING_ROLES and m.area_id and entity.area.path.startswith(m.area.path):
            return True
    return False


APPLICANT = Party("applicant", is_applicant)
ZONE = Party("zone", is_zone)
