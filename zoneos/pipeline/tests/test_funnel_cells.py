"""The funnel cells kept by every write of a project are the cells a rebuild computes, and the funnel
summed from them is the funnel read from the projects, for every user, after any sequence of pipeline
changes made through the services (projects created, edited, moved between parks and officers, moved
along the stage table with past dates, dropped, deleted)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zoneos.accounts.scoping import scope, view_paths
from zoneos.core import rollups
from zoneos.core.errors import Conflict
from zoneos.core.roles import VIEW
from zoneos.pipeline import funnel_cells, services
from zoneos.pipeline.funnel import funnel, funnel_for, funnel_of_areas
from zoneos.pipeline.models import Project
from zoneos.pipeline.moves import moves_from
from zoneos.pipeline.stages import StageCategory
from zoneos.testing.factories import UserFactory

C = StageCategory
D = datetime.date
INDUSTRIES = ["3612", "3841", "1462", ""]
ORIGINS = [("domestic", ""), ("hong_kong", ""), ("foreign", "DE")]
amounts = st.one_of(
    st.none(),
    st.sampled_from([Decimal("99999999.99"), Decimal("100000000"), Decimal("999999999.99"), Decimal("1e9")]),
    st.decimals(min_value=0, max_value=Decimal("5e9"), places=2, allow_nan=False, allow_infinity=False),
)


@pytest.fixture
def world(world_from_module):
    return world_from_module


def kept_and_rebuilt() -> tuple[list, list]:
    return rollups.kept_and_rebuilt(funnel_cells.SPECS, funnel_cells.rebuild)


def step(data, world, by) -> str:
    """One pipeline change drawn at random, made through the services."""
    projects = list(Project.objects.order_by("pk"))
    parks = [world.P1, world.P2, world.P3]
    officers = [None, world.investment_officer, world.users["admin"]]
    kinds = ["create"] + ["edit", "move", "move"] * bool(projects) + ["delete"] * bool(projects)
    kind = data.draw(st.sampled_from(kinds), label="kind")
    if kind == "create":
        origin, country = data.draw(st.sampled_from(ORIGINS))
        services.create_project(
            by=by,
            name=f"项目{len(projects)}",
            investor_name=f"投资方{len(projects)}有限公司",
            area=data.draw(st.sampled_from(parks)),
            industry_code=data.draw(st.sampled_from(INDUSTRIES)),
            capital_origin=origin,
            capital_country=country,
            total_investment=data.draw(amounts),
            owner=data.draw(st.sampled_from(officers)),
            lead_on=D(2025, 1, 1) + datetime.timedelta(days=data.draw(st.integers(0, 200))),
        )
        return kind
    project = data.draw(st.sampled_from(projects))
    if kind == "edit":
        origin, country = data.draw(st.sampled_from(ORIGINS))
        services.update_project(
            project,
            by=by,
            area=data.draw(st.sampled_from(parks)),
            industry_code=data.draw(st.sampled_from(INDUSTRIES)),
            capital_origin=origin,
            capital_country=country,
            total_investment=data.draw(amounts),
            owner=data.draw(st.sampled_from(officers)),
        )
    elif kind == "move":
        targets = moves_from(project)
        if not targets:
            return "stuck"
        to = data.draw(st.sampled_from(targets))
        on = project.stage_on + datetime.timedelta(days=data.draw(st.integers(0, 90)))
        services.transition(project, by=by, to=to, on=min(on, D(2026, 1, 1)), note="放弃")
    else:
        if project.stage != C.LEAD or project.events.exclude(to_category=C.LEAD).exists():
            return "kept"
        services.delete_project(project, by=by)
    return kind


def funnels_agree(world) -> None:
    """For users of every kind of view, and areas of every level, the funnel from the cells is the
    funnel from the projects."""
    for user in (world.root, world.investment_officer, world.users["park_staff"], world.outsider):
        paths = view_paths(user, Project)
        assert paths is not None
        for area in (None, world.Z1, world.P1):
            from_projects = scope(Project.objects.all(), user, VIEW)
            if area is not None:
                from_projects = from_projects.in_subtree(area)
            assert funnel_of_areas(paths, area) == funnel(from_projects, area), (user, area)


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_cells_kept_by_the_writes_equal_a_rebuild_and_give_the_projects_funnel(module_world, data):
    world = module_world
    with transaction.atomic():
        done = []
        for _ in range(data.draw(st.integers(min_value=1, max_value=10), label="steps")):
            try:
                with transaction.atomic():
                    done.append(step(data, world, world.root))
            except (ValidationError, Conflict):
                continue  # refused as a user would see it; nothing was written
            kept, rebuilt = kept_and_rebuilt()
            assert kept == rebuilt, done
        funnels_agree(world)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_api_reads_the_cells_without_a_period_and_the_projects_with_one(world, api):
    root = world.root
    services.create_project(
        by=root, name="甲", investor_name="甲投资有限公司", area=world.P1, lead_on=D(2025, 2, 1)
    )
    # Written around the model, so the cells still hold 0 for it and only the projects know of 7 yuan.
    Project.objects.filter(name="甲").update(total_investment=Decimal("7"))
    every_lead = {"area": world.Z1.pk, "from": "1990-01-01", "to": "2030-12-31"}  # the same projects
    from_cells = api(root).get("/api/v1/projects/funnel/", {"area": world.Z1.pk}).json()
    from_projects = api(root).get("/api/v1/projects/funnel/", every_lead).json()
    assert from_cells["total"] == from_projects["total"]
    assert Decimal(from_projects["total_investment"]) - Decimal(from_cells["total_investment"]) == 7
    funnel_cells.rebuild()
    from_cells = api(root).get("/api/v1/projects/funnel/", {"area": world.Z1.pk}).json()
    assert from_cells == from_projects


@pytest.mark.django_db
def test_rebuild_rollups_checks_and_repairs_the_funnel_cells(world):
    Project.objects.filter(pk=world.PR1.pk).update(total_investment=Decimal("123.45"))  # around the model
    with pytest.raises(CommandError, match="funnel_stages"):
        call_command("rebuild_rollups", "--check", stdout=io.StringIO())
    call_command("rebuild_rollups", "funnel_stages", "funnel_keepers", "funnel_days", stdout=io.StringIO())
    call_command("rebuild_rollups", "--check", stdout=io.StringIO())


@pytest.mark.django_db
def test_a_user_who_sees_no_projects_gets_an_empty_funnel_from_the_cells(world):
    enterprise_user = world.users["enterprise"]
    assert view_paths(enterprise_user, Project) == []
    assert funnel_for(enterprise_user)["total"] == 0
    assert funnel_for(world.root)["total"] == Project.objects.exclude(stage=C.DROPPED).count() > 0


@pytest.mark.django_db
def test_deleting_an_officer_moves_their_projects_to_no_officer_in_the_cells(world):
    officer = UserFactory(username="short-lived")
    project = Project.objects.get(pk=world.PR1.pk)
    services.update_project(project, by=world.root, owner=officer)
    gone = officer.pk
    assert gone in {r["key"] for r in funnel_for(world.root)["by_officer"]}
    officer.delete()
    kept, rebuilt = kept_and_rebuilt()
    assert kept == rebuilt
    officers = {r["key"] for r in funnel_for(world.root)["by_officer"]}
    assert gone not in officers and None in officers
