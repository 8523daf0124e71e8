"""The project ledger as investment bureaus keep it: their stage words, a date column per stage (to
the day, the month or the year), short park names and aliases, rows that move a project several
stages at once, and blank cells that keep what is stored."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zoneos.areas import services as area_services
from zoneos.pipeline import services
from zoneos.pipeline.imports import ProjectSpec
from zoneos.pipeline.models import Project, Stage
from zoneos.pipeline.tests.test_pages import client_for
from zoneos.tabular.engine import Row

pytestmark = pytest.mark.django_db


def upload(client, text, name="2025年招商项目台账.csv"):
    file = SimpleUploadedFile(name, text.encode("utf-8-sig"))
    response = client.post("/api/v1/imports/", {"kind": "projects", "file": file}, format="multipart")
    assert response.status_code == 201, response.content
    return response.json()


def commit(client, job):
    assert job["status"] == "ready", job.get("errors")
    done = client.post(f"/api/v1/imports/{job['id']}/commit/").json()
    assert done["status"] == "committed", done
    return done


def errors_of(job) -> dict:
    return {(e["row"], e["column"]): e["message"] for e in job["errors"]}


def history(project):
    return [
        (e.from_category, e.to_category, e.on.isoformat(), e.on_precision)
        for e in project.events.order_by("on", "pk")
    ]


@pytest.fixture
def officer(world, api):
    area_services.update_area(world.P1, by=world.root, aliases="东区, 老园区")
    area_services.create_area(by=world.root, code="P4", name="智能制造产业园区", kind="park", parent=world.Z1)
    return api(world.investment_officer)


SIGNINGS = (
    "序号,项目名称,投资方,落户园区,总投资（亿元）,项目状态,签约日期,开工日期,投产日期,备注\n"
    "1,新能源电池项目,甲乙新能源有限公司,东区,25,在建,2024年11月,2025年3月,,一期主体施工\n"
    "2,智能传感器项目,丙丁科技有限公司,二号园,3.5,已签约,2025-06-18,,,\n"
    "3,精密模具项目,庚辛模具有限公司,智能制造园,1.2,已投产,2024年,2024-08-15,2025-09-30,\n"
)


def test_signings_of_2024_25_with_short_park_names_and_month_dates_import_as_their_moves(world, officer):
    job = upload(officer, SIGNINGS)
    assert job["created"] == 3
    commit(officer, job)

    battery = Project.objects.get(name="新能源电池项目")
    assert battery.area == world.P1  # "东区", an alias of 一号园
    assert battery.total_investment == Decimal("2500000000.00")
    assert battery.stage == "under_construction"
    # The lead from the earliest date given (never today), each move on its month.
    assert history(battery) == [
        ("", "lead", "2024-11-01", "month"),
        ("lead", "signed", "2024-11-01", "month"),
        ("signed", "under_construction", "2025-03-01", "month"),
    ]
    assert battery.lead_on_text == "2024-11" and battery.stage_on_text == "2025-03"
    assert "一期主体施工" in battery.events.get(to_category="under_construction").note

    sensor = Project.objects.get(name="智能传感器项目")
    assert sensor.area == world.P2 and sensor.stage == "signed"
    assert history(sensor) == [("", "lead", "2025-06-18", "day"), ("lead", "signed", "2025-06-18", "day")]

    # 已投产 from a signing in "2024年": signed, then under construction and completed (no date of
    # their own: on the next date given), then in production.
    mould = Project.objects.get(name="精密模具项目")
    assert mould.area.code == "P4" and mould.stage == "in_production"
    assert history(mould) == [
        ("", "lead", "2024-01-01", "year"),
        ("lead", "signed", "2024-01-01", "year"),
        ("signed", "under_construction", "2024-08-15", "day"),
        ("under_construction", "completed", "2025-09-30", "day"),
        ("completed", "in_production", "2025-09-30", "day"),
    ]


def test_pages_show_a_date_known_to_the_month_as_the_month(world, officer):
    commit(officer, upload(officer, SIGNINGS))
    battery = Project.objects.get(name="新能源电池项目")
    client = client_for(world.investment_officer)
    page = client.get(battery.get_absolute_url()).content.decode()
    assert "in this stage since 2025-03" in page and "2025-03-01" not in page
    listing = client.get("/projects/?q=新能源").content.decode()
    assert "2024-11" in listing and "2024-11-01" not in listing


def test_later_rows_move_a_lead_on_to_construction_and_blank_cells_keep_what_is_stored(world, officer):
    project = world.PR1  # a lead in P1 since 2025-03-01, 1 亿元, industry 3974
    services.update_project(project, by=world.root, industry_code="3974", jobs=120)
    serial = (
        datetime.date(2025, 5, 20) - datetime.date(1899, 12, 30)
    ).days  # a date cell that lost its format
    job = upload(
        officer,
        "项目名称,投资方,落户园区,行业代码,总投资（万元）,就业人数,项目进展,签约日期,开工日期\n"
        f"{project.name},甲方科技有限公司,老园区,,—,,开工建设,2025年3月,{serial}\n",
    )
    # "老园区": P1's alias (the fixture); 总投资 "—" and the blank cells change nothing.
    assert (job["created"], job["updated"]) == (0, 1)
    commit(officer, job)
    project.refresh_from_db()
    assert project.stage == "under_construction"
    assert history(project) == [
        ("", "lead", "2025-03-01", "day"),
        ("lead", "signed", "2025-03-01", "month"),
        ("signed", "under_construction", "2025-05-20", "day"),
    ]
    assert project.total_investment == Decimal("100000000.00")
    assert project.industry_code == "3974" and project.jobs == 120


def test_a_month_that_holds_the_day_the_project_became_a_lead_starts_on_that_day(world, officer):
    commit(
        officer,
        upload(
            officer,
            "项目名称,投资方,落户园区,项目阶段,入库日期,签约日期\n"
            "氢能装备项目,壬癸氢能有限公司,P1,签约,2025-03-14,2025年3月\n",
        ),
    )
    project = Project.objects.get(name="氢能装备项目")
    assert history(project) == [("", "lead", "2025-03-14", "day"), ("lead", "signed", "2025-03-14", "month")]


def test_the_zones_own_stage_name_is_read_and_named_in_a_refusal(world, officer):
    Stage.objects.create(zone=world.Z1, category="negotiating", name="跟踪对接")
    job = upload(
        officer, f"项目名称,投资方,落户园区,项目状态,阶段日期\n{world.PR1.name},甲方,P1,跟踪对接,2025-04-02\n"
    )
    commit(officer, job)
    world.PR1.refresh_from_db()
    assert world.PR1.stage == "negotiating"
    back = upload(officer, f"项目名称,投资方,落户园区,项目状态\n{world.PR1.name},甲方,P1,线索\n")
    message = errors_of(back)[(2, "项目状态")]
    assert "跟踪对接" in message and "cannot move" in message


def test_stage_and_date_cells_that_cannot_be_used_are_errors_of_their_rows(world, officer):
    area_services.update_area(world.P2, by=world.root, aliases="老园区")
    job = upload(
        officer,
        "项目名称,投资方,落户园区,总投资（万元）,项目状态,签约日期,开工日期\n"
        "无日期项目,甲公司,P1,100,洽谈中,,\n"  # 2: a new project without any date
        "待定项目,乙公司,P1,100,待定,2025-01-02,\n"  # 3: not a stage
        "日期错项目,丙公司,P1,100,已签约,明年,\n"  # 4: not a date
        "矛盾项目,丁公司,P1,100,已签约,2025-01-02,2025-03-01\n"  # 5: started, yet only signed
        "倒序项目,戊公司,P1,100,在建,2025-05-01,2025-03-01\n"  # 6: started before signing
        "重名园区项目,己公司,老园区,100,签约,2025-01-02,\n"  # 7: 老园区 is P1's and P2's
        "天价项目,庚公司,P1,1e23,签约,2025-01-02,\n",  # 8: 10^27 yuan
    )
    assert job["status"] == "invalid"
    found = errors_of(job)
    assert set(found) == {
        (2, "Lead since"),  # the column to add, named in the message
        (3, "项目状态"),
        (4, "签约日期"),
        (5, "开工日期"),
        (6, "开工日期"),
        (7, "落户园区"),
        (8, "总投资（万元）"),
    }
    assert "入库日期" in found[(2, "Lead since")]
    assert "一号园" in found[(7, "落户园区")] and "二号园" in found[(7, "落户园区")]
    assert (
        not Project.objects.filter(name__endswith="项目", investor_name__endswith="公司")
        .exclude(pk__in=[world.PR1.pk, world.PR2.pk, world.PR3.pk])
        .exists()
    )


def test_a_progress_column_is_read_by_its_first_clause_and_free_text_is_an_error(world, officer):
    job = upload(
        officer,
        "项目名称,投资方,落户园区,项目进展,签约日期\n"
        "光伏项目,甲公司,P1,正在办理环评手续,2025-01-02\n"
        "光伏二期项目,乙公司,P1,已签约，待注册,2025-01-02\n"
        f"{world.PR1.name},甲方,P1,已签约，待注册,\n",  # a move without its date
    )
    found = errors_of(job)
    assert set(found) == {(2, "项目进展"), (4, "项目进展")}
    assert "项目状态" in found[(2, "项目进展")] and "签约日期" in found[(4, "项目进展")]


def test_a_dropped_project_needs_its_reason(world, officer):
    refused = upload(
        officer, f"项目名称,投资方,落户园区,项目状态,阶段日期\n{world.PR1.name},甲方,P1,已流失,2025-06-01\n"
    )
    assert "备注" in errors_of(refused)[(2, "项目状态")]
    commit(
        officer,
        upload(
            officer,
            f"项目名称,投资方,落户园区,项目状态,阶段日期,备注\n{world.PR1.name},甲方,P1,已流失,2025-06-01,落户外省\n",
        ),
    )
    world.PR1.refresh_from_db()
    assert world.PR1.stage == "dropped" and "落户外省" in world.PR1.events.latest("pk").note


def test_foreign_capital_names_its_country(world, officer):
    job = upload(
        officer,
        "项目名称,投资方,落户园区,资本来源,外资国别,签约日期\n"
        "德资轴承项目,舍弗勒（中国）有限公司,P1,外资,德国,2025-02-10\n"
        "外资无国别项目,某外资公司,P1,外资,,2025-02-10\n",
    )
    assert set(errors_of(job)) == {(3, "外资国别")}
    commit(
        officer,
        upload(
            officer,
            "项目名称,投资方,落户园区,资本来源,外资国别,签约日期\n德资轴承项目,舍弗勒（中国）有限公司,P1,外资,德国,2025-02-10\n",
        ),
    )
    assert Project.objects.get(name="德资轴承项目").capital_country == "DE"


def test_a_joint_venture_names_the_foreign_country(world, officer):
    job = upload(
        officer,
        "项目名称,投资方,落户园区,资本来源,外资国别,签约日期\n合资电机项目,中德电机有限公司,P1,中外合资,德国,2025-02-10\n",
    )
    commit(officer, job)
    project = Project.objects.get(name="合资电机项目")
    assert project.capital_origin == "joint_venture" and project.capital_country == "DE"


def test_the_dry_run_diff_names_each_changed_field_and_a_cleared_cell_clears(world):
    services.update_project(world.PR1, by=world.root, land_mu=Decimal("50"), industry_code="3974")
    spec = ProjectSpec()
    state = spec.start(world.investment_officer, commit=False)
    row = Row(
        2,
        {
            "name": world.PR1.name,
            "investor_name": "甲方科技有限公司",
            "area": "P1",
            "total_investment": ("3", Decimal(10) ** 8),
            "land_mu": None,  # a column the mapping clears when blank
            "stage": "在谈",
            "stage_on": "2025-04-01",
        },
    )
    spec.check_chunk([row], state, world.investment_officer)
    assert not row.errors
    changes = spec.changes(row.clean["_existing"], row.clean)
    assert changes["total_investment"] == (Decimal("100000000.00"), Decimal("300000000.00"))
    assert changes["land_mu"] == (Decimal("50.00"), None)
    assert changes["stage"] == ("Lead", "Negotiating")
    # Columns the sheet does not have change nothing.
    assert set(changes) == {"total_investment", "land_mu", "stage"}


def test_a_paused_project_resumes_where_it_was_paused_on_its_way_to_the_ledgers_stage(world, officer):
    project = world.PR1
    services.transition(project, by=world.root, to="signed", on=datetime.date(2025, 4, 1))
    services.transition(project, by=world.root, to="on_hold", on=datetime.date(2025, 5, 1))
    commit(
        officer,
        upload(
            officer, f"项目名称,投资方,落户园区,项目状态,开工日期\n{project.name},甲方,P1,已开工,2025年7月\n"
        ),
    )
    project.refresh_from_db()
    assert project.stage == "under_construction" and project.paused_from == ""
    assert history(project)[-2:] == [
        ("on_hold", "signed", "2025-07-01", "month"),
        ("signed", "under_construction", "2025-07-01", "month"),
    ]
