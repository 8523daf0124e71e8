"""Monthly sheets as parks send them: "本月完成" beside "1-10月累计完成", the month only in the title,
money in 万元, a year-to-date sheet alone, and the supervisor importing them.

The spec is driven as the engine drives it (`start` with the sheet's context, `check_chunk`,
`write_chunk`), with the cells the engine hands over: money as `(cell, scale)`, blank cells absent.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from zoneos.areas.models import AreaKind
from zoneos.supervision import services
from zoneos.supervision.models import AreaMonth, MonthFigure, Report
from zoneos.tabular import engine
from zoneos.tabular.engine import Outcome, Row, RowError
from zoneos.tabular.readers import Period, normal, split_header
from zoneos.testing.factories import AreaFactory

pytestmark = pytest.mark.django_db
WAN = Decimal(10_000)
OCTOBER = Period(2026, 2026, 1, 10)


class Context:
    """What the engine gives `start`: the sheet's period (from its title) and where notices go."""

    def __init__(self, period=None, area=None):
        self.period, self.area, self.title, self.notices = period, area, "", []

    def notice(self, text):
        self.notices.append(text)


def run(by, rows, *, context=None, commit=True):
    """Check then write the rows as the engine does: nothing is written when a row is bad."""
    spec = engine.spec_for("monthly_reports")
    rows = [Row(number, values) for number, values in enumerate(rows, start=2)]
    outcome = Outcome()
    with transaction.atomic():
        state = spec.start(by, commit=commit, context=context)
        spec.check_chunk(rows, state, by)
        errors = {(row.number, column): message for row in rows for column, message in row.errors}
        if errors or not commit:
            spec.count_chunk([r for r in rows if not r.errors], state, outcome)
            transaction.set_rollback(True)
        else:
            try:
                spec.write_chunk(rows, state, by, outcome)
            except RowError as exc:
                errors[(exc.row_number, exc.column)] = exc.message
                transaction.set_rollback(True)
    return errors, outcome, rows


@pytest.fixture
def park(world):
    """高新产业园区 in Z1 (staff write 高新园) with two key projects of 2026, months 1-9 reported."""
    area = AreaFactory(code="GX", name="高新产业园区", kind=AreaKind.PARK, parent=world.Z1)
    root = world.root

    def project(name):
        return services.create_key_project(
            by=root,
            year=2026,
            name=name,
            area=area,
            kind="continuing",
            annual_plan=Decimal(120_000_000),
            total_investment=Decimal(500_000_000),
        )

    equipment, chips = project("智能装备产业园项目"), project("芯片封装测试基地")
    # Typed on the plan page to the yuan: 85 yuan (equipment) and 8 yuan (chips) more than a sheet
    # rounded to 0.01 万元 says.
    for kp, march, april in ((equipment, "7000040", "7000045"), (chips, "7000008", "7000000")):
        months = {2: "8000000", 3: march, 4: april, 5: "7000000", 6: "7000000", 7: "7000000"}
        for month, amount in (months | {8: "7000000", 9: "7000000"}).items():
            services.submit_report(
                kp,
                by=root,
                month=f"2026-{month:02d}",
                covers_january_february=month == 2,
                completed=Decimal(amount),
                progress_note="主体施工",
                problems="用地指标待批" if month == 9 else "",
            )
    return area, equipment, chips


EQUIPMENT = Decimal("57000085.00")  # the eight reports of months 1-9
CHIPS = Decimal("57000008.00")


def test_a_park_october_sheet_with_this_month_and_year_to_date(world, park):
    area, equipment, chips = park
    context = Context(OCTOBER)
    # "2026年1-10月", 单位：万元: no 月份 column; 本月完成 and 1-10月累计完成 both given. The sheet's
    # cumulative is the 万元 sum (6,400.00 + 784.22): 85 yuan short of the yuan stored, within precision.
    errors, outcome, _ = run(
        world.users["supervisor"],
        [
            {
                "name": "智能装备产业园项目",
                "area": "高新园",
                "completed": ("784.22", WAN),
                "cumulative": ("6484.22", WAN),
                "annual_plan": ("12000.00", WAN),
                "progress_note": "设备安装",
            },
            {
                "name": "芯片封装测试基地",
                "area": "高新园",
                "completed": (652.5, WAN),
                "cumulative": (6352.5, WAN),
            },
        ],
        context=context,
    )
    assert errors == {} and outcome.created == 2
    october = Report.objects.get(key_project=equipment, month=10)
    assert october.completed == Decimal("7842200.00") and october.progress_note == "设备安装"
    assert october.by == world.users["supervisor"]
    figure = MonthFigure.objects.get(key_project=equipment, month=10)
    assert figure.completed == EQUIPMENT + Decimal("7842200.00") and figure.reported
    # The area's month over both projects follows the reports.
    area_month = AreaMonth.objects.get(area=area, year=2026, month=10)
    assert area_month.completed == EQUIPMENT + CHIPS + Decimal("7842200.00") + Decimal("6525000.00")
    # Blank keeps: the chips row gave no notes, and its October report has none to keep.
    assert Report.objects.get(key_project=chips, month=10).problems == ""


def test_rounding_gaps_pass_and_a_real_mismatch_shows_both_figures(world, park):
    rows = [
        # 1 万元 more than the months stored and this month give (64,842,285 yuan): a real mismatch.
        {
            "name": "智能装备产业园项目",
            "area": "GX",
            "completed": ("784.22", WAN),
            "cumulative": ("6485.22", WAN),
        },
        # 8 yuan short of the months stored: the rounding of a sheet to 0.01 万元 (100 yuan).
        {
            "name": "芯片封装测试基地",
            "area": "GX",
            "completed": ("652.50", WAN),
            "cumulative": ("6352.50", WAN),
        },
    ]
    errors, _outcome, _rows = run(world.users["supervisor"], rows, context=Context(OCTOBER))
    assert list(errors) == [(2, "cumulative")]
    message = errors[(2, "cumulative")]
    # The sheet's unit under money.py's name (万元 with no language active, "ten thousand yuan" in English).
    assert "64,842,285.00 yuan (6,484.2285 万元)" in message
    assert "64,852,200.00 yuan (6,485.22 万元)" in message
    assert not Report.objects.filter(month=10).exists()


def test_a_year_to_date_sheet_gives_the_month_by_difference_and_says_so(world, park):
    _area, equipment, chips = park
    context = Context(OCTOBER)
    errors, outcome, rows = run(
        world.users["supervisor"],
        [
            {
                "name": "智能装备产业园项目",
                "area": "高新园",
                "cumulative": ("6484.22", WAN),
                "problems": None,
            },
            {"name": "芯片封装测试基地", "area": "高新园", "cumulative": ("6352.50", WAN)},
        ],
        context=context,
    )
    assert errors == {} and outcome.created == 2
    # The year to date less the months stored (which carry 85 yuan the sheet rounded away).
    assert Report.objects.get(key_project=equipment, month=10).completed == Decimal("7842115.00")
    assert Report.objects.get(key_project=chips, month=10).completed == Decimal("6524992.00")
    assert len(context.notices) == 1 and "year-to-date" in context.notices[0]
    assert "7,842,115.00 yuan" in rows[0].clean["_notes"][0]
    # The same sheet again changes nothing: October is now stored, the months before it unchanged.
    again = Context(OCTOBER)
    errors, outcome, _ = run(
        world.users["supervisor"],
        [{"name": "芯片封装测试基地", "area": "高新园", "cumulative": ("6352.50", WAN)}],
        context=again,
    )
    assert errors == {} and outcome.unchanged == 1


def test_a_year_to_date_sheet_with_months_missing_is_refused_and_january_february_is_one_period(world, park):
    _area, equipment, _chips = park
    Report.objects.filter(key_project=equipment, month__in=(5, 6)).delete()
    errors, _outcome, _rows = run(
        world.users["supervisor"],
        [{"name": "智能装备产业园项目", "area": "高新园", "cumulative": ("6484.22", WAN)}],
        context=Context(OCTOBER),
    )
    assert list(errors) == [(2, "cumulative")] and "Months 5、6 of 2026" in errors[(2, "cumulative")]
    # A "1-2月" sheet with nothing stored is January and February together, not an error about January.
    fresh = services.create_key_project(
        by=world.root,
        year=2027,
        name="智能装备产业园项目",
        area=equipment.area,
        kind="continuing",
        annual_plan=Decimal(120_000_000),
    )
    errors, outcome, _ = run(
        world.users["supervisor"],
        [{"name": "智能装备产业园项目", "area": "高新园", "cumulative": ("1203.45", WAN)}],
        context=Context(Period(2027, 2027, 1, 2)),
    )
    assert errors == {} and outcome.created == 1
    february = Report.objects.get(key_project=fresh, month=2)
    assert february.first_month == 1 and february.completed == Decimal("12034500.00")
    # January reported on its own: a "1-2月" sheet's month column is February alone.
    february.delete()
    services.submit_report(fresh, by=world.root, month="2027-01", completed=Decimal(3_000_000))
    errors, outcome, _ = run(
        world.users["supervisor"],
        [{"name": "智能装备产业园项目", "area": "高新园", "completed": ("903.45", WAN)}],
        context=Context(Period(2027, 2027, 1, 2)),
    )
    assert errors == {} and outcome.created == 1
    february = Report.objects.get(key_project=fresh, month=2)
    assert february.first_month == 2 and february.completed == Decimal("9034500.00")


def test_blank_keeps_and_none_clears_the_notes(world, park):
    _area, equipment, _chips = park
    september = {"name": "智能装备产业园项目", "area": "高新园", "month": "2026年9月"}
    # Problems blank (absent): September's "用地指标待批" stays; the progress note changes.
    errors, outcome, _ = run(world.users["supervisor"], [{**september, "progress_note": "主体封顶"}])
    assert errors == {} and outcome.updated == 1
    report = Report.objects.get(key_project=equipment, month=9)
    assert (report.problems, report.progress_note, report.completed) == (
        "用地指标待批",
        "主体封顶",
        Decimal(7_000_000),
    )
    # A mapping that says "blank clears" hands the blank over as None: the problem is solved.
    errors, outcome, _ = run(world.users["supervisor"], [{**september, "problems": None}])
    assert errors == {} and outcome.updated == 1
    report.refresh_from_db()
    assert report.problems == "" and report.progress_note == "主体封顶"
    # A note for "2026年2月" alone leaves the January-February report covering both months.
    february = {"name": "智能装备产业园项目", "area": "高新园", "month": "2026年2月", "problems": "春节停工"}
    errors, outcome, _ = run(world.users["supervisor"], [february])
    assert errors == {} and outcome.updated == 1
    report = Report.objects.get(key_project=equipment, month=2)
    assert (report.first_month, report.completed, report.problems) == (1, Decimal(8_000_000), "春节停工")


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("本月完成", "completed"),
        ("本月完成投资（万元）", "completed"),
        ("10月完成投资", "completed"),
        ("1-2月完成投资", "completed"),  # January and February together: the period's own figure
        ("1-10月累计完成", "cumulative"),
        ("1～10月累计完成投资", "cumulative"),
        ("1月-10月完成投资", "cumulative"),
        ("累计完成投资", "cumulative"),
        ("年度计划投资", "annual_plan"),
        ("形象进度", "progress_note"),
        ("存在问题", "problems"),
        ("所属园区", "area"),
        ("月份", "month"),
    ],
)
def test_headers_as_parks_write_them(header, field):
    spec = engine.spec_for("monthly_reports")
    label, _unit = split_header(header)
    assert [c.name for c in spec.columns if normal(label) in c.headers()] == [field]


def test_a_mis_scaled_sheet_is_stopped_by_its_plan_and_huge_values_are_row_errors(world, park):
    _area, equipment, _chips = park
    before = list(MonthFigure.objects.filter(key_project=equipment).values_list("status", "completed"))
    errors, _outcome, _rows = run(
        world.users["supervisor"],
        [
            # Read as yuan, the 万元 sheet would turn October's 784.22 万元 into 784.22 yuan.
            {
                "name": "智能装备产业园项目",
                "area": "高新园",
                "completed": ("784.22", Decimal(1)),
                "annual_plan": ("12000", Decimal(1)),
            },
            {"name": "芯片封装测试基地", "area": "高新园", "completed": ("1e27", WAN)},
        ],
        context=Context(OCTOBER),
    )
    assert set(errors) == {(2, "annual_plan"), (2, "completed"), (3, "completed")}
    assert "wrong unit" in errors[(2, "annual_plan")]
    assert "too large" in errors[(3, "completed")]
    # Without a plan column, a month's figure no key project reports is refused all the same.
    errors, _outcome, _rows = run(
        world.users["supervisor"],
        [{"name": "芯片封装测试基地", "area": "高新园", "completed": ("652.50", Decimal(1))}],
        context=Context(OCTOBER),
    )
    assert list(errors) == [(2, "completed")]
    assert errors[(2, "completed")].startswith("652.50 yuan against an annual plan of 120,000,000.00 yuan")
    assert (
        list(MonthFigure.objects.filter(key_project=equipment).values_list("status", "completed")) == before
    )


def test_a_sheet_without_a_park_column_finds_projects_in_the_area_it_was_imported_for(world, park):
    area, equipment, _chips = park
    row = {"name": "智能装备产业园 项目", "completed": ("784.22", WAN)}
    errors, outcome, _ = run(world.users["supervisor"], [row], context=Context(OCTOBER, area=world.Z1))
    assert errors == {} and outcome.created == 1
    assert Report.objects.get(key_project=equipment, month=10).completed == Decimal("7842200.00")
    # Without a park anywhere the row says what it lacks.
    errors, _outcome, _rows = run(world.users["supervisor"], [row], context=Context(OCTOBER))
    assert list(errors) == [(2, "area")]


def test_no_month_anywhere_is_a_row_error(world, park):
    errors, _outcome, _rows = run(
        world.users["supervisor"],
        [{"name": "智能装备产业园项目", "area": "高新园", "completed": ("1", WAN)}],
        context=Context(Period(2026, 2026)),
    )
    assert list(errors) == [(2, "month")]


# Through the API, as a park's csv with the units in its headers -------------------------------------
SHEET = "序号,项目名称,所在园区,月份,本月完成（万元）,1-10月累计完成（万元）,形象进度,存在问题\n"


def upload(client, body):
    file = SimpleUploadedFile("高新园1-10月重点项目.csv", body.encode("utf-8-sig"))
    return client.post("/api/v1/imports/", {"kind": "monthly_reports", "file": file}, format="multipart")


@pytest.mark.parametrize("role", ["supervisor", "admin", "park_staff", "leader", "investment_officer"])
def test_who_imports_monthly_reports(world, park, api, role):
    _area, equipment, _chips = park
    if role == "park_staff":
        # Park staff report for their own park.
        from zoneos.accounts.models import Membership

        Membership.objects.create(user=world.users[role], role=role, area=equipment.area)
    client = api(world.users[role])
    response = upload(client, SHEET + "1,智能装备产业园项目,高新园,2026年1-10月,784.22,6484.22,设备安装,\n")
    if role in ("leader", "investment_officer"):
        assert response.status_code == 403
        return
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "ready" and body["created"] == 1, body
    done = client.post(f"/api/v1/imports/{body['id']}/commit/").json()
    assert done["status"] == "committed", done
    assert Report.objects.get(key_project=equipment, month=10).completed == Decimal("7842200.00")


def test_a_value_over_ten_to_the_26_is_a_row_error_not_a_crash(world, park, api):
    client = api(world.users["supervisor"])
    response = upload(client, SHEET + "1,智能装备产业园项目,高新园,2026年1-10月,1e27,,,\n")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "invalid"
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(2, "本月完成（万元）")]
