"""The nightly sweep of research projects' warnings (a category over budget, spending lagging time;
see `figures`): each project whose contract runs is read, and a warning not yet told is told once to
the staff of its area: one notice per area (event "deadline_near") to the park staff's inbox and e-mail
and the channels of the area and those above it. What was told is kept on the project (`warned`), and
claimed with a conditional UPDATE, so two sweeps never tell one warning twice; a warning that clears
and comes back is told again."""

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

from . import figures
from .models import RUNNING, ResearchProject


def _keys(text: str) -> set[str]:
    return {k for k in text.split(",") if k}


@transaction.atomic
def sweep(today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    projects = list(ResearchProject.objects.filter(status__in=RUNNING).select_related("area"))
    told: dict[int, list] = defaultdict(list)
    for pk, standing in figures.standings(projects, today).items():
        project = standing.project
        now = {w.key: w for w in standing.warnings}
        keys = ",".join(sorted(now))[:200]
        if keys == project.warned:
            continue
        # Claimed only if no other sweep changed it meanwhile.
        if not ResearchProject.objects.filter(pk=pk, warned=project.warned).update(warned=keys):
            continue
        fresh = [w for k, w in now.items() if k not in _keys(project.warned)]
        if fresh:
            told[project.area_id].append((project, fresh))
    if told:
        _tell(told)
    return {"warned": sum(len(rows) for rows in told.values())}


def _tell(told: dict) -> None:
    areas = {area_id: rows[0][0].area for area_id, rows in told.items()}
    reach = {pk: {pk, *area.ancestor_ids()} for pk, area in areas.items()}
    staff = (
        Membership.objects.filter(
            role__in=[Role.PARK_STAFF, Role.ADMIN],
            user__is_active=True,
            area_id__in=set().union(*reach.values()),
        )
        .select_related("user")
        .order_by("user_id")
    )
    people: dict[int, dict] = defaultdict(dict)
    for membership in staff:
        for area_id, ids in reach.items():
            if membership.area_id in ids:
                people[area_id][membership.user_id] = membership.user
    notices = []
    for area_id, rows in told.items():
        area = areas[area_id]
        lines = [f"{project.code} {project.title}: {w.text}" for project, warnings in rows for w in warnings]
        first = rows[0][0]
        url = first.get_absolute_url() if len(rows) == 1 else reverse("research:list") + "?warned=1"
        notices.append(
            Notice(
                "deadline_near",
                area,
                ngettext(
                    "%(n)s research project in %(area)s needs attention",
                    "%(n)s research projects in %(area)s need attention",
                    len(rows),
                )
                % {"n": len(rows), "area": area.name},
                "\n".join(lines) or _("See the project."),
                url,
                tuple(people[area_id].values()),
            )
        )
    notify_many(notices)
