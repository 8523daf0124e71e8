"""The automatic track (免申即享): for an item delivered automatically, the platform finds the
enterprises its rule says are eligible and makes each an application that waits for the enterprise to
confirm the account to be paid into; review then runs as for any application.

`offer(item, on=...)` runs when an automatic item's rule is published and every night for every
automatic item (`schedule.py`); an enterprise that already has a live application for the item and
year is left alone, so a second run offers nothing twice. The enterprises' users are told at once,
their chief service officers in one digest each.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneos.accounts.models import User
from zoneos.audit.context import acting
from zoneos.core.roles import Role
from zoneos.notifications.services import Notice, notify_many

from . import criteria
from .applications import _estimate, frozen_trace
from .matching import eligible_enterprises, rule_in_force
from .models import ApplicationStatus, ApplicationStep, PolicyApplication, PolicyItem, StepKind

AUTOMATIC = "automatic"


def _eligible(item, on: datetime.date) -> list[int]:
    """The ids of the enterprises the item's rule in force on `on` finds eligible (in the database)."""
    return list(eligible_enterprises(item, on).values_list("pk", flat=True))


@transaction.atomic
def offer(item, *, on: datetime.date | None = None, by=None) -> list[PolicyApplication]:
    """Offer the item to every eligible enterprise without a live application for it this year."""
    if getattr(item, "mode", None) != AUTOMATIC:
        return []
    on = on or timezone.localdate()
    taken = set(
        PolicyApplication.objects.filter(item=item, year=on.year)
        .exclude(status__in=[ApplicationStatus.REJECTED, ApplicationStatus.CLOSED])
        .values_list("enterprise_id", flat=True)
    )
    made = []
    # One rule and one set of parameters for every enterprise judged (each offer keeps its trace).
    known = {"rule": rule_in_force(item, on), "parameters": criteria.parameters_on(on)}
    for enterprise_id in _eligible(item, on):
        if enterprise_id in taken:
            continue
        taken.add(enterprise_id)
        application = PolicyApplication(
            item=item,
            enterprise_id=enterprise_id,
            year=on.year,
            status=ApplicationStatus.OFFERED,
            automatic=True,
            created_by=by,
        )
        application.trace = frozen_trace(application, on, **known)
        application.requested_amount = _estimate(application)
        with acting(by):
            application.save()
        made.append(application)
    ApplicationStep.objects.bulk_create(
        ApplicationStep(application=a, kind=StepKind.OFFER, to_status=a.status, on=on, by=by) for a in made
    )
    if made:
        _tell(item, made)
    return made


def offer_all(on: datetime.date | None = None) -> dict:
    """The nightly run: offer every automatic item to the enterprises newly eligible."""
    counts = {"items": 0, "offered": 0}
    for item in PolicyItem.objects.filter(mode=AUTOMATIC).select_related("policy"):
        counts["items"] += 1
        counts["offered"] += len(offer(item, on=on))
    return counts


def _tell(item, made: list[PolicyApplication]) -> None:
    rows = list(
        PolicyApplication.objects.filter(pk__in=[a.pk for a in made]).select_related(
            "enterprise__area", "enterprise__service_officer"
        )
    )
    members = defaultdict(list)
    for user_id, enterprise_id in User.objects.filter(
        is_active=True,
        memberships__role=Role.ENTERPRISE,
        memberships__enterprise_id__in=[a.enterprise_id for a in rows],
    ).values_list("pk", "memberships__enterprise_id"):
        members[enterprise_id].append(user_id)
    people = User.objects.in_bulk({u for ids in members.values() for u in ids})
    notices = []
    officers: dict[tuple, list] = defaultdict(list)
    for a in rows:
        users = tuple(people[u] for u in members.get(a.enterprise_id, ()))
        amount = f" · {a.requested_amount}" if a.requested_amount is not None else ""
        notices.append(
            Notice(
                "assigned",
                a.enterprise.area,
                _("A policy benefit awaits your confirmation: %(item)s") % {"item": item},
                _(
                    "The platform finds %(enterprise)s eligible for %(item)s%(amount)s. "
                    "Confirm the bank account "
                    "to be paid into."
                )
                % {"enterprise": a.enterprise.name, "item": item, "amount": amount},
                a.get_absolute_url(),
                users,
            )
        )
        if a.enterprise.service_officer_id:
            officers[(a.enterprise.service_officer_id, a.enterprise.area_id)].append(a)
    for (_officer, _area), served in officers.items():
        notices.append(
            Notice(
                "assigned",
                served[0].enterprise.area,
                _("%(n)s enterprises you serve are offered %(item)s") % {"n": len(served), "item": item},
                "\n".join(a.enterprise.name for a in served),
                f"/policies/applications/?item={item.pk}&status=offered",
                (served[0].enterprise.service_officer,),
            )
        )
    notify_many(notices)


def on_published(sender, rule, **kwargs) -> None:
    """A rule version of an automatic item, published and in force today: offer the item now (after the
    publication's commit) rather than at the next nightly run."""
    today = timezone.localdate()
    if rule.effective_from > today or (rule.effective_to is not None and rule.effective_to < today):
        return
    offer(rule.item, on=today, by=rule.published_by)
