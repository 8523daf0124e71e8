"""Defects found by trying supervision as a new user would (issue 18): the month a page opens on, the
plan's headers and unit, the inline entry's fields, and the milestone's name."""

from decimal import Decimal

import pytest
from django.test import Client

from zoneos.core.money import parse_amount
from zoneos.supervision import services
from zoneos.supervision.models import Report

pytestmark = pytest.mark.django_db


def client_for(user, language="en") -> Client:
    client = Client()
    client.cookies["zoneos_language"] = language
    client.force_login(user)
    return client


@pytest.fixture
def laser(world):
    project = services.create_key_project(
        by=world.root, year=2025, name="激光装备产业园", area=world.P1, kind="continuing",
        annual_plan=Decimal(12 * 10**8),
    )  # fmt: skip
    services.submit_report(project, by=world.root, month="2025-03", completed=Decimal(3 * 10**8))
    return project


def test_the_month_defaults_to_the_last_month_with_reports_and_says_so(world, laser):
    client = client_for(world.supervisor)
    for url in ("/supervision/", "/supervision/plan/", "/supervision/ranking/"):
        page = client.get(url)
        assert page.context["month_value"] == "2025-03", url
        assert "Showing 2025-03, the last month with reports." in page.content.decode(), url
    chosen = client.get("/supervision/?month=2025-05")
    assert (
        chosen.context["month_value"] == "2025-05"
        and 'data-testid="month-note"' not in chosen.content.decode()
    )


def test_the_plans_headers_name_the_months_and_the_unit(world, laser):
    english = client_for(world.supervisor).get("/supervision/plan/?month=2025-03").content.decode()
    assert ">Jan<" in english and ">Jan–Feb<" in english and ">Jan–Mar<" in english
    assert "to 1<" not in english and "Unit: hundred million yuan" in english
    chinese = client_for(world.supervisor, "zh-hans").get("/supervision/plan/?month=2025-03").content.decode()
    assert ">1月<" in chinese and ">1–2月<" in chinese and "1–1月" not in chinese
    assert ">完成率<" in chinese and "单位：亿元" in chinese


def test_the_milestone_completion_reads_as_completion_of_works(world, laser):
    chinese = client_for(world.supervisor, "zh-hans").get(laser.get_absolute_url()).content.decode()
    assert "<dt>竣工</dt>" in chinese and "<dt>完成率</dt>" not in chinese


def test_the_inline_entry_takes_funds_progress_and_problems_in_the_screens_unit(world, laser):
    client = client_for(world.supervisor)
    row = client.post(
        f"/supervision/projects/{laser.pk}/report/",
        {
            "month": "2025-04",
            "completed": "1.5",
            "funds_in_place": "3000万",
            "progress_note": "主体结构封顶",
            "problems": "电力接入待协调",
        },
        HTTP_HX_REQUEST="true",
    )
    assert row.status_code == 200 and 'data-testid="row-error' not in row.content.decode()
    report = Report.objects.get(key_project=laser, month=4)
    assert report.completed == Decimal("150000000.00") and report.funds_in_place == Decimal("30000000.00")
    assert (report.progress_note, report.problems) == ("主体结构封顶", "电力接入待协调")
    html = row.content.decode()
    assert 'value="1.5"' in html and "电力接入待协调" in html and 'value="0.3"' in html
    client.post(f"/supervision/projects/{laser.pk}/report/", {"month": "2025-04", "completed": "2500元"})
    assert Report.objects.get(key_project=laser, month=4).completed == Decimal("2500.00")


@pytest.mark.parametrize(
    ("typed", "yuan"),
    [
        ("1.5亿", "150000000.00"),
        ("300万元", "3000000.00"),
        ("1,200", "120000000000.00"),
        ("2500 元", "2500.00"),
    ],
)
def test_amounts_are_typed_in_the_screens_unit_or_with_their_own(typed, yuan):
    assert parse_amount(typed, Decimal(10**8)) == Decimal(yuan)


@pytest.mark.parametrize("typed", ["", "abc", "1.5亿亿", "NaN", "Infinity"])
def test_what_is_not_an_amount_is_refused(typed):
    with pytest.raises(ValueError):
        parse_amount(typed)


def test_the_summary_chart_draws_only_areas_with_key_projects_and_no_empty_card(world, laser):
    client = client_for(world.supervisor)
    zone = client.get(f"/supervision/?area={world.Z1.pk}&month=2025-03")
    # P1 has key projects, P2 none: P2 is no 0.0 % bar.
    assert zone.context["chart"]["names"] == [world.P1.label]
    assert 'data-testid="chart-children"' in zone.content.decode()
    park = client.get(f"/supervision/?area={world.P1.pk}&month=2025-03")
    assert (
        park.context["chart"]["names"] == [] and 'data-testid="chart-children"' not in park.content.decode()
    )


def test_the_time_progress_is_named_above_the_chart_not_on_the_axis():
    from pathlib import Path

    script = (Path(__file__).resolve().parents[1] / "static/zoneos/supervision/summary.js").read_text()
    assert "label: {show: false}" in script and 'title: {text: L["Time progress"]' in script


def test_a_reports_period_reads_as_people_write_it(world):
    from django.utils import translation

    project = services.create_key_project(
        by=world.root,
        year=2026,
        name="两月合报项目",
        area=world.P1,
        kind="continuing",
        annual_plan=Decimal(10**8),
    )
    services.submit_report(
        project, by=world.root, month="2026-02", covers_january_february=True, completed=Decimal(1)
    )
    services.submit_report(project, by=world.root, month="2026-03", completed=Decimal(1))
    both, march = Report.objects.filter(key_project=project).order_by("month")
    with translation.override("zh-hans"):
        assert (both.period, march.period) == ("2026年1–2月", "2026年3月")
    with translation.override("en"):
        assert (both.period, march.period) == ("Jan–Feb 2026", "Mar 2026")
    page = client_for(world.supervisor).get(project.get_absolute_url()).content.decode()
    assert "Jan–Feb 2026" in page and ".." not in page.split("<table", 1)[1].split("</table>")[0]


def test_the_summary_reads_its_amounts_in_one_unit(world, laser):
    english = client_for(world.supervisor).get(f"/supervision/?area={world.Z1.pk}&month=2025-03")
    html = english.content.decode()
    assert "funds in place 0.00 hundred million yuan" in html and "0.00 yuan" not in html
    chinese = client_for(world.supervisor, "zh-hans").get(f"/supervision/?area={world.Z1.pk}&month=2025-03")
    assert "0.00 亿元" in chinese.content.decode() and "0.00 元" not in chinese.content.decode()
