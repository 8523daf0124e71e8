"""The monthly report sheet parks send, imported through the import engine."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile

from zoneos.supervision import services
from zoneos.supervision.imports import parse_period
from zoneos.supervision.models import MonthFigure, Report

pytestmark = pytest.mark.django_db
HEADER = (
    "项目名称,所在园区,月份,本月完成投资（万元）,本月到位资金（万元）,"
    "形象进度,存在问题,累计完成投资（万元）\n"
)


def upload(client, text, name="月报.csv"):
    file = SimpleUploadedFile(name, text.encode("utf-8-sig"))
    response = client.post("/api/v1/imports/", {"kind": "monthly_reports", "file": file}, format="multipart")
    assert response.status_code == 201, response.content
    return response.json()


def test_periods_as_sheets_write_them():
    assert parse_period("2025-03") == (2025, 3, False)
    assert parse_period("2025年3月") == (2025, 3, False)
    assert parse_period("2025年1-2月") == (2025, 2, True)
    assert parse_period("2025.1~2") == (2025, 2, True)
    # A year to date: the month it runs to.
    assert parse_period("2026年1-10月") == (2026, 10, False)
    assert parse_period("2026年10月份") == (2026, 10, False)
    with pytest.raises(ValueError):
        parse_period("2025年2-3月")
    with pytest.raises(ValueError):
        parse_period("三月")


def test_a_sheet_with_bad_rows_writes_nothing_then_a_good_one_reports(world, api):
    client = api(world.users["park_staff"])
    kp1, kp3 = world.KP1.name, world.KP3.name
    bad = upload(
        client,
        HEADER
        + f"{kp1},P1,2025年1-2月,5000,4000,土方开挖,,5000\n"
        + "不存在的项目,P1,2025-03,100,,,,\n"  # row 3: not in the plan
        + f"{kp3},P1,2025-13,abc,,,,\n"  # row 4: month and amount
        + f"{kp1},P1,2025-03,3000,,主体施工,,9000\n",  # row 5: the cumulative does not add up
    )
    assert bad["status"] == "invalid"
    problems = {(e["row"], e["column"]) for e in bad["errors"]}
    assert problems == {
        (3, "项目名称"),
        (4, "月份"),
        (4, "本月完成投资（万元）"),
        (5, "累计完成投资（万元）"),
    }
    assert not Report.objects.filter(key_project=world.KP1).exists()

    good = upload(
        client,
        HEADER
        + f"{kp1},P1,2025年1-2月,5000,4000,土方开挖,,5000\n"
        + f"{kp1},P1,2025-03,3000,,主体施工,资金到位偏慢,8000\n"
        + f"{kp3},一号园,2025年3月,1200,,,,\n",
    )
    assert good["status"] == "ready" and good["created"] == 3, good
    done = client.post(f"/api/v1/imports/{good['id']}/commit/").json()
    assert done["status"] == "committed", done
    february = Report.objects.get(key_project=world.KP1, month=2)
    assert february.first_month == 1 and february.completed == Decimal(50_000_000)
    march = MonthFigure.objects.get(key_project=world.KP1, month=3)
    assert march.completed == Decimal(80_000_000) and march.funds_in_place == Decimal(40_000_000)
    entry = LogEntry.objects.get_for_object(february).get()
    assert entry.actor == world.users["park_staff"]
    # The same sheet again changes nothing.
    again = upload(client, HEADER + f"{kp1},P1,2025-03,3000,,主体施工,资金到位偏慢,8000\n")
    assert again["unchanged"] == 1 and again["created"] == again["updated"] == 0


def test_locked_months_and_parks_out_of_reach_are_row_errors(world, api):
    services.lock_month(by=world.root, area=world.Z1, month="2025-03")
    client = api(world.users["park_staff"])
    body = upload(
        client,
        HEADER + f"{world.KP1.name},P1,2025-03,100,,,,\n" + f"{world.KP2.name},P3,2025-04,100,,,,\n",
    )
    assert body["status"] == "invalid"
    assert {(e["row"], e["column"]) for e in body["errors"]} == {(2, "月份"), (3, "所在园区")}
