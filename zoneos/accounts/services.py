"""Every change to users and memberships.

Users are never deleted: history must keep its authors, so "deleting" a user deactivates them.
Only superusers create superusers (and only through Django's own commands).
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zoneos.audit.context import acting
from zoneos.core.errors import Conflict
from zoneos.core.roles import CHANGE, Role
from zoneos.core.services import apply_changes

from .models import Membership, User
from .scoping import memberships, require

USER_FIELDS = ("username", "display_name", "email", "home_area", "is_active")
MEMBERSHIP_FIELDS = ("user", "role", "area", "department", "enterprise", "is_head")


def _admin_areas(by) -> list:
    return [m.area for m in memberships(by) if m.role == Role.ADMIN and m.area_id]


def _set_password(user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)


@transaction.atomic
def create_user(
    *,
    by,
    username: str,
    password: str,
    display_name: str = "",
    email: str = "",
    home_area=None,
    is_active: bool = True,
) -> User:
    if not by.is_superuser:
        admin_areas = _admin_areas(by)
        if not admin_areas:
            raise PermissionDenied(_("Only area admins can create users."))
        if home_area is None:
            home_area = min(admin_areas, key=lambda a: a.depth)
    if home_area is not None:
        require(home_area, by, CHANGE, _("You may not create users in %(area)s.") % {"area": home_area})
    user = User(
        username=username, display_name=display_name, email=email, home_area=home_area, is_active=is_active
    )
    _set_password(user, password)
    user.full_clean()
    with acting(by):
        user.save()
    return user


@transaction.atomic
def update_user(user: User, *, by, password: str | None = None, **changes) -> User:
    require(user, by, CHANGE)
    apply_changes(user, changes, USER_FIELDS)
    if "home_area" in changes and user.home_area is not None:
        require(user.home_area, by, CHANGE, _("You may not move users to that area."))
    if user.pk == by.pk and changes.get("is_active") is False:
        raise ValidationError({"is_active": _("You cannot deactivate yourself.")})
    if password:
        _set_password(user, password)
    user.full_clean()
    with acting(by):
        user.save()
    return user


@transaction.atomic
def deactivate_user(user: User, *, by) -> User:
    if user.pk == by.pk:
        raise Conflict(_("You cannot deactivate yourself."))
    return update_user(user, by=by, is_active=False)


def _require_target(membership: Membership, by) -> None:
    area = membership.scope_area
    require(area, by, CHANGE, _("You may not grant roles in %(area)s.") % {"area": area})


@transaction.atomic
def create_membership(
    *, by, user: User, role: str, area=None, department=None, enterprise=None, is_head: bool = False
) -> Membership:
    membership = Membership(
        user=user, role=role, area=area, department=department, enterprise=enterprise, is_head=is_head
    )
    membership.full_clean()
    _require_target(membership, by)
    with acting(by):
        membership.save()
    return membership


@transaction.atomic
def update_membership(membership: Membership, *, by, **changes) -> Membership:
    require(membership, by, CHANGE)
    apply_changes(membership, changes, MEMBERSHIP_FIELDS)
    membership.full_clean()
    _require_target(membership, by)
    with acting(by):
        membership.save()
    return membership


@transaction.atomic
def delete_membership(membership: Membership, *, by) -> None:
    require(membership, by, CHANGE)
    with acting(by):
        membership.delete()
