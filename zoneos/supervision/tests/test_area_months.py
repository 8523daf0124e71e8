"""The areas' months (`AreaMonth`) kept by deltas are what a rebuild from the month rows computes, after
any sequence of changes through the services: key projects created, moved to another park, re-planned,
started, deleted; reports filed, replaced and revised; months locked. And the summary reads them to the
same figures as the month rows themselves."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zoneos.accounts.scoping import scope
from zoneos.core.errors import Conflict
from zoneos.core.roles import VIEW
from zoneos.supervision import services
from zoneos.supervision.models import KeyProject, MonthFigure, Report

amounts = st.integers(min_value=0, max_value=900).map(lambda n: Decimal(n) * 1_000_000)


def kept_and_rebuilt() -> tuple[dict, dict]:
    kept = services.AREA_MONTHS.rows()
    with transaction.atomic():
        services.rebuild_area_months()
        rebuilt = services.AREA_MONTHS.rows()
        transaction.set_rollback(True)
    return kept, rebuilt


def step(data, world, by) -> str:
    projects = list(KeyProject.objects.order_by("pk"))
    reports = list(Report.objects.order_by("pk"))
    parks = [world.P1, world.P2, world.P3]
    kinds = ["create", "edit", "report", "delete"] + ["revise"] * bool(reports) + ["lock"]
    kind = data.draw(st.sampled_from(kinds), label="kind")
    if kind == "create":
        services.create_key_project(
            by=by,
            year=2025,
            name=f"项目{len(projects)}",
            area=data.draw(st.sampled_from(parks)),
            kind=data.draw(st.sampled_from(["new_start", "continuing"])),
            total_investment=Decimal(2_000_000_000),
            annual_plan=data.draw(amounts.filter(bool)),
        )
    elif kind == "edit":
        changes = data.draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "area": st.sampled_from(parks),
                    "annual_plan": amounts.filter(bool),
                    "kind": st.sampled_from(["new_start", "continuing"]),
                    "actual_start": st.one_of(
                        st.none(), st.dates(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
                    ),
                },
            )
        )
        services.update_key_project(data.draw(st.sampled_from(projects)), by=by, **changes)
    elif kind == "report":
        month = data.draw(st.integers(min_value=1, max_value=12))
        services.submit_report(
            data.draw(st.sampled_from(projects)),
            by=by,
            month=f"2025-{month:02d}",
            completed=data.draw(amounts),
            funds_in_place=data.draw(amounts),
        )
    elif kind == "revise":
        services.revise_report(
            data.draw(st.sampled_from(reports)), by=by, reason="更正", completed=data.draw(amounts)
        )
    elif kind == "lock":
        month = data.draw(st.integers(min_value=1, max_value=12))
        services.lock_month(by=by, area=data.draw(st.sampled_from(parks)), month=f"2025-{month:02d}")
    else:  # one of its own (the world's are held by supervision orders)
        mine = [p for p in projects if p.name.startswith("项目")] or projects[:0]
        if mine:
            services.delete_key_project(data.draw(st.sampled_from(mine)), by=by)
    return kind


def latest_months_agree(world) -> None:
    """The pages' default month (the last month with reports the user sees) read from the areas' months
    is the one read from the reports, for every named user and area, after any sequence of changes."""
    for user in world.users.values():
        for area in (None, world.R, world.Z1, world.P1, world.P2):
            reports = scope(Report.objects.all(), user, VIEW)
            if area is not None:
                reports = reports.in_subtree(area)
            expected = reports.order_by("-key_project__year", "-month").values_list(
                "key_project__year", "month"
            )
            got = services.latest_reported_month(user, area)
            assert got == expected.first(), (user.username, area)


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_area_months_kept_by_deltas_equal_a_rebuild(module_world, data):
    world = module_world
    with transaction.atomic():
        done = []
        for _ in range(data.draw(st.integers(min_value=1, max_value=15), label="steps")):
            try:
                with transaction.atomic():
                    done.append(step(data, world, world.root))
            except (ValidationError, Conflict):
                continue
            kept, rebuilt = kept_and_rebuilt()
            assert kept == rebuilt, done
        month = data.draw(st.integers(min_value=1, max_value=12), label="month")
        rows = MonthFigure.objects.filter(year=2025, month=month)
        for area in (world.R, world.Z1, world.Z2, world.P1):
            got = services.summary(area, 2025, month)
            inside = rows.filter(area__path__startswith=area.path).aggregate(
                plan=Sum("annual_plan"),
                completed=Sum("completed"),
                n=Count("pk"),
                started=Count("pk", filter=Q(new_start=True, started=True)),
                red=Count("pk", filter=Q(status="red")),
                yellow=Count("pk", filter=Q(status="yellow")),
            )
            assert (got["projects"], got["started"], got["red_count"], got["yellow_count"]) == (
                inside["n"],
                inside["started"],
                inside["red"],
                inside["yellow"],
            )
            assert got["annual_plan"] == f"{inside['plan'] or 0:.2f}"
            assert got["completed"] == f"{inside['completed'] or 0:.2f}"
        latest_months_agree(world)
        transaction.set_rollback(True)
