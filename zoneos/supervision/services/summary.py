"""The figures of an area's subtree at the end of a month, from its areas' months (`AreaMonth`, the
month rows of their key projects summed as they are written) and, for the red and yellow lists, the
month rows themselves."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F, Q

from zoneos.accounts.scoping import scope, view_paths
from zoneos.areas.models import Area, subtree_q
from zoneos.core.roles import VIEW

from .. import progress
from ..models import AreaMonth, MonthFigure, Report
from ..progress import Status
from .months import rule_for


def summary(area: Area, year: int, month: int, *, listed: int = 200) -> dict:
    """The subtree's figures at the end of `month`: plan, cumulative completion, time progress, gap,
    status, starts, each child ranked by completion rate, and the red and yellow projects."""
    subtree = area.subtree().values("pk")
    rows = MonthFigure.objects.filter(year=year, month=month, area_id__in=subtree)
    grouped = list(
        AreaMonth.objects.filter(year=year, month=month, area_id__in=subtree).values(
            "area_id",
            "completed",
            "projects",
            "new_starts",
            "started",
            "red",
            "yellow",
            plan=F("annual_plan"),
            funds=F("funds_in_place"),
        )
    )
    rule, elapsed = rule_for(year, month), progress.time_progress(year, month)
    paths = dict(Area.objects.filter(pk__in=[g["area_id"] for g in grouped]).values_list("pk", "path"))

    def figures(groups: list[dict]) -> dict:
        plan = sum((g["plan"] or 0 for g in groups), Decimal(0))
        completed = sum((g["completed"] or 0 for g in groups), Decimal(0))
        completion = progress.rate(completed, plan)
        gap = progress.gap_pp(completion, elapsed)
        new_starts = sum(g["new_starts"] for g in groups)
        started = sum(g["started"] for g in groups)
        return {
            "annual_plan": f"{plan:.2f}",
            "completed": f"{completed:.2f}",
            "funds_in_place": f"{sum((g['funds'] or 0 for g in groups), Decimal(0)):.2f}",
            "completion_rate": progress.four(completion),
            "time_progress": progress.four(elapsed),
            "gap_pp": progress.two(gap),
            "status": progress.status_of(gap, rule),
            "projects": sum(g["projects"] for g in groups),
            "new_starts": new_starts,
            "started": started,
            "start_rate": progress.four(progress.rate(started, new_starts)),
            "red_count": sum(g["red"] for g in groups),
            "yellow_count": sum(g["yellow"] for g in groups),
        }

    children = []
    for child in Area.objects.filter(parent=area).order_by("code"):
        inside = [g for g in grouped if paths[g["area_id"]].startswith(child.path)]
        children.append({"area": child.pk, "name": child.label, **figures(inside)})
    children.sort(
        key=lambda c: (c["completion_rate"] is None, -Decimal(c["completion_rate"] or 0), c["name"])
    )
    for rank, child in enumerate(children, start=1):
        child["rank"] = rank if child["completion_rate"] is not None else None

    labels: dict[int, str] = {}

    def warned(status: str) -> list[dict]:
        # Plain rows, not model instances: the lists of a province are 400 rows on every request.
        found = list(
            rows.filter(status=status)
            .order_by("gap_pp", "key_project_id")
            .values_list(
                "key_project_id", "key_project__name", "area_id", "annual_plan", "completed", "gap_pp"
            )[:listed]
        )
        missing = {f[2] for f in found} - labels.keys()
        labels.update({a.pk: a.label for a in Area.objects.filter(pk__in=missing)})
        return [
            {
                "id": pk,
                "name": name,
                "area": area_id,
                "area_name": labels[area_id],
                "annual_plan": f"{plan:.2f}",
                "completed": f"{completed:.2f}",
                "completion_rate": progress.four(progress.rate(completed, plan)),
                "gap_pp": progress.two(gap),
            }
            for pk, name, area_id, plan, completed, gap in found
        ]

    return {
        "area": area.pk,
        "month": f"{year}-{month:02d}",
        **figures(grouped),
        "by_child": children,
        "red": warned(Status.RED),
        "yellow": warned(Status.YELLOW),
    }


def latest_reported_month(user, area: Area | None = None) -> tuple[int, int] | None:
    """(year, month) of the last month with reports of the key projects `user` sees (in `area`'s
    subtree, when given), or None. Read from the areas' months (`AreaMonth.reported`) when the user's
    reach is a union of subtrees (a few hundred rows), else from the reports themselves."""
    paths = view_paths(user, Report)
    if paths is None:
        reports = scope(Report.objects.all(), user, VIEW)
        if area is not None:
            reports = reports.in_subtree(area)
        latest = reports.order_by("-key_project__year", "-month")
        return latest.values_list("key_project__year", "month").first()
    if not paths:
        return None
    reach = Q()
    for path in paths:
        reach |= subtree_q(AreaMonth, path)
    months = AreaMonth.objects.filter(reach, reported__gt=0)
    if area is not None:
        months = months.in_subtree(area)
    return months.order_by("-year", "-month").values_list("year", "month").first()
