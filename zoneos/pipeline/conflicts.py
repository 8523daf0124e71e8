"""Conflicts between the parks of a zone over one investor: found when a project is created or its
investor changes, and settled when only one park still follows the investor. The zone's choice of the
park that goes on is a verb of `services` (`resolve_conflict`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneos.areas.models import Area, AreaKind

from .models import ConflictStatus, InvestorConflict, Project
from .stages import ACTIVE


def zone_of(area: Area) -> Area | None:
    """The zone a project's conflicts are judged in: the outermost zone above (or at) its area, so
    that the parks of a zone's sub-zones are compared with each other too."""
    ids = [int(part) for part in area.path.strip("/").split("/") if part]
    return Area.objects.filter(pk__in=ids, kind=AreaKind.ZONE).order_by("depth").first()


def rivals(project: Project) -> tuple[Area | None, list[Project]]:
    """Active projects in other parks of the project's zone with the same investor."""
    zone = zone_of(project.area)
    if zone is None or project.stage not in ACTIVE:
        return zone, []
    same = Q(investor_key=project.investor_key) if project.investor_key else Q(pk__in=[])
    if project.investor_uscc:
        same |= Q(investor_uscc=project.investor_uscc)
    query = (
        Project.objects.in_subtree(zone)
        .filter(same, stage__in=ACTIVE)
        .exclude(pk=project.pk)
        .exclude(area_id=project.area_id)
    )
    return zone, list(query)


def detect_conflicts(project: Project) -> InvestorConflict | None:
    """Open (or widen) the zone's conflict when other parks follow the same investor; flag them all."""
    zone, others = rivals(project)
    if not others:
        return None
    group = [project, *others]
    conflict = (
        InvestorConflict.objects.filter(zone=zone, status=ConflictStatus.OPEN, projects__in=group)
        .distinct()
        .first()
    )
    if conflict is None:
        conflict = InvestorConflict.objects.create(
            zone=zone, investor_key=project.investor_uscc or project.investor_key
        )
    conflict.projects.add(*group)
    Project.objects.filter(pk__in=[p.pk for p in group]).update(flagged=True)
    project.flagged = True
    return conflict


def refresh_flags(project_ids: Iterable[int]) -> None:
    ids = list(project_ids)
    open_ids = set(
        InvestorConflict.projects.through.objects.filter(
            project_id__in=ids, investorconflict__status=ConflictStatus.OPEN
        ).values_list("project_id", flat=True)
    )
    Project.objects.filter(pk__in=ids).exclude(pk__in=open_ids).update(flagged=False)


def settle_if_alone(conflict: InvestorConflict) -> None:
    """A conflict with one active park left is settled in that park's favour."""
    active = conflict.projects.filter(stage__in=ACTIVE)
    areas = set(active.values_list("area_id", flat=True))
    if len(areas) <= 1:
        conflict.status = ConflictStatus.RESOLVED
        conflict.chosen_area_id = next(iter(areas), None)
        conflict.resolved_at = timezone.now()
        conflict.note = conflict.note or _("Settled: only one park still follows the investor.")
        conflict.save()
        refresh_flags(conflict.projects.values_list("pk", flat=True))
