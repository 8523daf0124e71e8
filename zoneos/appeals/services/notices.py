"""Who hears of an appeal (its department's handlers or heads, the zone's supervisors, the
enterprise's users) and how a step's notice is sent."""

from __future__ import annotations

from django.db.models import Q

from zoneos.accounts.models import User
from zoneos.core.roles import Role
from zoneos.notifications.services import notify

from ..models import Appeal


def _users(q: Q):
    return list(User.objects.filter(q, is_active=True).distinct())


def department_handlers(department_id: int, *, heads_only: bool = False) -> list:
    q = Q(memberships__role=Role.HANDLER, memberships__department_id=department_id)
    if heads_only:
        q &= Q(memberships__is_head=True)
    return _users(q)


def zone_supervisors(area) -> list:
    return _users(
        Q(memberships__role=Role.SUPERVISOR, memberships__area_id__in=[*area.ancestor_ids(), area.pk])
    )


def enterprise_users(appeal: Appeal) -> list:
    found = _users(Q(memberships__role=Role.ENTERPRISE, memberships__enterprise_id=appeal.enterprise_id))
    if appeal.submitter_id and all(u.pk != appeal.submitter_id for u in found):
        found.append(appeal.submitter)
    return found


def tell(event: str, appeal: Appeal, users, text: str) -> None:
    notify(
        event,
        area=appeal.area,
        subject=f"[{appeal.get_category_display()}] {appeal.title}",
        text=text,
        url=appeal.get_absolute_url(),
        users=users,
    )


def assignees(appeal: Appeal) -> list:
    if appeal.handler_id:
        return [appeal.handler]
    return department_handlers(appeal.department_id) if appeal.department_id else []
