"""Recognitions that end soon, told once to the staff who keep the platform's area: the daily sweep
(`schedule.py`) claims each platform whose `valid_to` falls within `EXPIRING_DAYS` with one conditional
UPDATE of its `warned_on` (so two sweeps never warn of one platform twice) and sends each area one
notice (event "deadline_near") to the inbox and e-mail of its admins and park staff (memberships on the
area or above it) and to the channels of the area and the areas above it. A platform whose `valid_to`
moves is warned of again (`platform_services.update_platform`)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zoneos.accounts.models import Membership
from zoneos.core.roles import Role
from zoneos.notifications.services import Notice, notify_many

from .platform_models import EXPIRING_DAYS, Platform

TOLD = (Role.ADMIN, Role.PARK_STAFF)


def due(today: datetime.date):
    """Platforms valid today whose recognition ends within `EXPIRING_DAYS`, not yet warned of."""
    return Platform.objects.expiring(today, EXPIRING_DAYS).filter(warned_on__isnull=True)


@transaction.atomic
def sweep(today: datetime.date | None = None) -> dict:
    """Claim and tell in one transaction: a notice that cannot be written leaves the platforms unwarned."""
    today = today or timezone.localdate()
    claimed = [
        pk
        for pk in due(today).values_list("pk", flat=True)
        if Platform.objects.filter(pk=pk, warned_on__isnull=True).update(warned_on=today)
    ]
    if claimed:
        _tell(claimed, today)
    return {"warned": len(claimed)}


def _tell(ids: list[int], today: datetime.date) -> None:
    platforms = list(Platform.objects.filter(pk__in=ids).select_related("area").order_by("valid_to", "pk"))
    per_area: dict[int, list[Platform]] = defaultdict(list)
    for platform in platforms:
        per_area[platform.area_id].append(platform)
    areas = {p.area_id: p.area for p in platforms}
    reach = {pk: {pk, *area.ancestor_ids()} for pk, area in areas.items()}
    staff = (
        Membership.objects.filter(
            role__in=TOLD, user__is_active=True, area_id__in=set().union(*reach.values())
        )
        .select_related("user")
        .order_by("user_id")
    )
    people: dict[int, dict] = defaultdict(dict)
    for membership in staff:
        for area_id, above in reach.items():
            if membership.area_id in above:
                people[area_id][membership.user_id] = membership.user
    page = reverse("innovation:platforms")
    notices = []
    for area_id, rows in per_area.items():
        area = areas[area_id]
        lines = [
            _("%(platform)s (%(level)s) · valid to %(date)s (in %(days)s days)")
            % {
                "platform": p.name,
                "level": p.get_level_display(),
                "date": p.valid_to.isoformat(),
                "days": (p.valid_to - today).days,
            }
            for p in rows
        ]
        notices.append(
            Notice(
                "deadline_near",
                area,
                ngettext(
                    "%(n)s platform's recognition in %(area)s ends within %(days)s days",
                    "%(n)s platforms' recognitions in %(area)s end within %(days)s days",
                    len(rows),
                )
                % {"n": len(rows), "area": area.name, "days": EXPIRING_DAYS},
                "\n".join(lines),
                f"{page}?within={area_id}&expiring=true",
                tuple(people[area_id].values()),
            )
        )
    notify_many(notices)
