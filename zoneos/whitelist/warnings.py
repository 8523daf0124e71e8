"""The whitelist's warnings, read live by the pages and the API (`found`) and told once a night by the
sweep (`sweep`, run by `schedule.py`):

- approvals that end within `EXPIRING_DAYS` days;
- approvals that have ended while goods of an item are still in the zone (in minus out above zero);
- movements refused for going beyond the approved quantity or outside the validity.

The sweep claims each application (its `expiry_warned_on` or `holding_warned_on`) and each refused
movement (`told_on`) with one conditional UPDATE, so two sweeps never tell of one twice, and sends each
application one notice (event "deadline_near") to the inboxes of the zone's admins and applying staff
over its area and of the applicant's own users, and to the channels of its area and those above it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneos.accounts.models import Membership
from zoneos.accounts.scoping import scope
from zoneos.core.roles import VIEW, Role
from zoneos.notifications.services import Notice, notify_many

from .models import Item, RefusedMovement, Status, WhitelistApplication
from .scoping import APPLYING_ROLES
from .services import with_balances

EXPIRING_DAYS = 30
REFUSALS_SHOWN_DAYS = 30


def expiring_q_kwargs(today: datetime.date) -> dict:
    return {
        "status": Status.APPROVED,
        "valid_to__gte": today,
        "valid_to__lte": today + datetime.timedelta(days=EXPIRING_DAYS),
    }


def expiring(applications, today: datetime.date):
    """Approved applications whose validity ends within `EXPIRING_DAYS` days, soonest first."""
    return applications.filter(**expiring_q_kwargs(today)).order_by("valid_to", "pk")


def holding(items, today: datetime.date):
    """Items of approvals that ended before `today` with goods still in the zone."""
    return (
        with_balances(items.filter(application__status=Status.APPROVED, application__valid_to__lt=today))
        .annotate(in_zone=F("imported") - F("exported"))
        .filter(in_zone__gt=0)
        .order_by("application__valid_to", "pk")
    )


def found(user, today: datetime.date | None = None, area=None) -> dict:
    """The warnings `user` may see (in `area`'s subtree when given)."""
    today = today or timezone.localdate()
    applications = scope(WhitelistApplication.objects.select_related("enterprise", "area"), user, VIEW)
    items = scope(Item.objects.select_related("application__enterprise"), user, VIEW)
    refusals = scope(RefusedMovement.objects.select_related("item__application", "by"), user, VIEW)
    if area is not None:
        applications, items, refusals = (q.in_subtree(area) for q in (applications, items, refusals))
    since = timezone.now() - datetime.timedelta(days=REFUSALS_SHOWN_DAYS)
    return {
        "on": today,
        "expiring": list(expiring(applications, today)),
        "holding": list(holding(items, today)),
        "refused": list(refusals.filter(at__gte=since)[:200]),
    }


@transaction.atomic
def sweep(today: datetime.date | None = None) -> dict:
    """Claim and tell in one transaction: a notice that cannot be written leaves the warnings untold."""
    today = today or timezone.localdate()
    base = WhitelistApplication.objects.all()
    ending = [
        pk
        for pk in expiring(base, today).filter(expiry_warned_on__isnull=True).values_list("pk", flat=True)
        if WhitelistApplication.objects.filter(pk=pk, expiry_warned_on__isnull=True).update(
            expiry_warned_on=today
        )
    ]
    stuck_ids = set(holding(Item.objects.all(), today).values_list("application_id", flat=True))
    stuck = [
        pk
        for pk in sorted(stuck_ids)
        if WhitelistApplication.objects.filter(pk=pk, holding_warned_on__isnull=True).update(
            holding_warned_on=today
        )
    ]
    refused = [
        pk
        for pk in RefusedMovement.objects.filter(told_on__isnull=True).values_list("pk", flat=True)
        if RefusedMovement.objects.filter(pk=pk, told_on__isnull=True).update(told_on=today)
    ]
    if ending or stuck or refused:
        _tell(ending, stuck, refused, today)
    return {"expiring": len(ending), "holding": len(stuck), "refused": len(refused)}


def _people(applications) -> dict[int, list]:
    """Per application: the zone's applying staff over its area and the applicant's own users."""
    reach = {a.pk: {a.area_id, *a.area.ancestor_ids()} for a in applications}
    staff = Membership.objects.filter(
        role__in=APPLYING_ROLES, user__is_active=True, area_id__in=set().union(*reach.values())
    ).select_related("user")
    own = Membership.objects.filter(
        role=Role.ENTERPRISE, user__is_active=True, enterprise_id__in={a.enterprise_id for a in applications}
    ).select_related("user")
    people: dict[int, dict] = defaultdict(dict)
    for a in applications:
        for m in staff:
            if m.area_id in reach[a.pk]:
                people[a.pk][m.user_id] = m.user
        for m in own:
            if m.enterprise_id == a.enterprise_id:
                people[a.pk][m.user_id] = m.user
    return {pk: list(users.values()) for pk, users in people.items()}


def _tell(ending: list[int], stuck: list[int], refused: list[int], today: datetime.date) -> None:
    lines: dict[int, list[str]] = defaultdict(list)
    for a in WhitelistApplication.objects.filter(pk__in=ending):
        lines[a.pk].append(
            _("The approval %(number)s ends on %(date)s (in %(days)s days).")
            % {"number": a.approval_number, "date": a.valid_to.isoformat(), "days": (a.valid_to - today).days}
        )
    for item in holding(Item.objects.filter(application_id__in=stuck), today).select_related("application"):
        lines[item.application_id].append(
            _("%(item)s: %(quantity)s %(unit)s still in the zone after the approval ended on %(date)s.")
            % {
                "item": item.name,
                "quantity": format(item.in_zone.normalize(), "f"),
                "unit": item.unit,
                "date": item.application.valid_to.isoformat(),
            }
        )
    for r in RefusedMovement.objects.filter(pk__in=refused).select_related("item"):
        lines[r.item.application_id].append(_("Refused: %(reason)s") % {"reason": r.reason})
    applications = list(
        WhitelistApplication.objects.filter(pk__in=lines).select_related("area", "enterprise").order_by("pk")
    )
    people = _people(applications)
    notify_many(
        [
            Notice(
                "deadline_near",
                a.area,
                _("Whitelist of %(enterprise)s: %(n)s warning(s)")
                % {"enterprise": a.enterprise.name, "n": len(lines[a.pk])},
                "\n".join(lines[a.pk]),
                reverse("whitelist:application", args=[a.pk]),
                tuple(people.get(a.pk, ())),
            )
            for a in applications
        ]
    )
