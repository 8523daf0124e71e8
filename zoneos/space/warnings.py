"""Leases that end soon, told to the park's staff once: the daily sweep (`schedule.py`) claims each
lease that ends within `EXPIRING_DAYS` with one conditional UPDATE of its `warned_on` (so two sweeps
never warn of one lease twice) and sends each park one notice (event "deadline_near") to its park
staff's inbox and e-mail and to the channels of the park and the areas above it. A lease whose unit is
already let again after it is not warned of; one whose end moves is warned of again (`services`)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zoneos.accounts.models import Membership
from zoneos.core.roles import Role
from zoneos.notifications.services import Notice, notify_many

from .figures import EXPIRING_DAYS
from .models import Lease


def due(today: datetime.date):
    """Leases in force today, ending within `EXPIRING_DAYS`, not yet warned of, whose unit is not let
    again after them."""
    let_again = Lease.objects.filter(unit_id=OuterRef("unit_id"), starts_on__gt=OuterRef("ends_on"))
    return (
        Lease.objects.ending_within(today, EXPIRING_DAYS)
        .filter(warned_on__isnull=True)
        .exclude(Exists(let_again))
    )


@transaction.atomic
def sweep(today: datetime.date | None = None) -> dict:
    """Claim and tell in one transaction: a notice that cannot be written leaves the leases unwarned,
    and a second sweep waits on the first's claimed rows, then finds them warned."""
    today = today or timezone.localdate()
    claimed = [
        pk
        for pk in due(today).values_list("pk", flat=True)
        if Lease.objects.filter(pk=pk, warned_on__isnull=True).update(warned_on=today)
    ]
    if claimed:
        _tell(claimed, today)
    return {"warned": len(claimed)}


def _tell(ids: list[int], today: datetime.date) -> None:
    leases = list(
        Lease.objects.filter(pk__in=ids)
        .select_related("unit__building__area", "tenant")
        .order_by("ends_on", "pk")
    )
    per_park: dict[int, list[Lease]] = defaultdict(list)
    for lease in leases:
        per_park[lease.unit.building.area_id].append(lease)
    parks = {lease.unit.building.area_id: lease.unit.building.area for lease in leases}
    # The park staff of each park (a membership on the park or on an area above it).
    reach = {pk: {pk, *park.ancestor_ids()} for pk, park in parks.items()}
    staff = (
        Membership.objects.filter(
            role=Role.PARK_STAFF, user__is_active=True, area_id__in=set().union(*reach.values())
        )
        .select_related("user")
        .order_by("user_id")
    )
    people: dict[int, dict] = defaultdict(dict)
    for membership in staff:
        for park_id, areas in reach.items():
            if membership.area_id in areas:
                people[park_id][membership.user_id] = membership.user
    page = reverse("space:home")
    notices = []
    for park_id, rows in per_park.items():
        park = parks[park_id]
        lines = [
            _("%(unit)s · %(tenant)s · ends %(date)s (in %(days)s days)")
            % {
                "unit": lease.unit,
                "tenant": lease.tenant.name,
                "date": lease.ends_on.isoformat(),
                "days": (lease.ends_on - today).days,
            }
            for lease in rows
        ]
        notices.append(
            Notice(
                "deadline_near",
                park,
                ngettext(
                    "%(n)s lease in %(park)s ends within %(days)s days",
                    "%(n)s leases in %(park)s end within %(days)s days",
                    len(rows),
                )
                % {"n": len(rows), "park": park.name, "days": EXPIRING_DAYS},
                "\n".join(lines),
                f"{page}?area={park_id}#expiring",
                tuple(people[park_id].values()),
            )
        )
    notify_many(notices)
