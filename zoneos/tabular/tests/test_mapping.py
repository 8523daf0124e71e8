"""The mapping step: blank cells keep stored values, money needs a stated unit, period columns come
from the title, every column is accounted for, the mapping is remembered per area and header set, and
the dry run lists each changed field with its old and new value."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from openpyxl import load_workbook

from zoneos.enterprises.models import Indicator, IndicatorSource
from zoneos.security.models import SecurityEvent
from zoneos.tabular import engine
from zoneos.tabular.models import ImportJob, ImportMapping
from zoneos.tabular.readers import Period
from zoneos.tabular.tests.test_imports import code, csv_file, upload, xlsx_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(world):
    """E1 with its 2030 figures stored: output 10 million, revenue 8 million, 100 staff."""
    world.E1.uscc = code(1)
    world.E1.save()
    return Indicator.objects.create(
        enterprise=world.E1,
        year=2030,
        output_value=Decimal("10000000.00"),
        revenue=Decimal("8000000.00"),
        employees=100,
        source=IndicatorSource.IMPORT,
    )


def commit(client, job):
    response = client.post(f"/api/v1/imports/{job['id']}/commit/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "committed", response.json()
    return response.json()


def put_mapping(client, job, **data):
    response = client.put(f"/api/v1/imports/{job['id']}/mapping/", data, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def column(job, header):
    return next(c for c in job["report"]["columns"] if c["header"] == header)


def test_blank_cells_keep_stored_values_and_the_report_lists_each_changed_field(world, api, figures):
    client = api(world.statistician)
    sheet = f"统一社会信用代码,年份,产值（元）,营业收入（元）,从业人员\n{code(1)},2030,12000000,—,\n"
    job = upload(client, "indicators", csv_file(sheet))
    assert job["status"] == "ready", job["errors"]
    assert job["updated"] == 1 and job["change_count"] == 1
    [change] = job["report"]["changes"]
    assert change["field"] == "output_value"
    assert (change["old"], change["new"], change["warning"]) == ("10000000.00", "12000000.00", "")
    commit(client, job)
    figures.refresh_from_db()
    assert figures.output_value == 12_000_000
    assert figures.revenue == 8_000_000 and figures.employees == 100  # "—" and an empty cell keep


def test_a_column_marked_blank_clears_erases_with_a_warning(world, api, figures):
    client = api(world.statistician)
    sheet = f"统一社会信用代码,年份,营业收入（万元）,产值（万元）\n{code(1)},2030,,5000\n"
    job = upload(client, "indicators", csv_file(sheet))
    assert job["change_count"] == 1 and job["report"]["warnings"] == {"erasure": 0, "jump": 1}
    index = column(job, "营业收入（万元）")["index"]
    job = put_mapping(client, job, columns=[{"index": index, "field": "revenue", "clears": True}])
    assert job["status"] == "ready", job["errors"]
    warnings = {c["field"]: c["warning"] for c in job["report"]["changes"]}
    assert warnings == {"revenue": "erasure", "output_value": "jump"}  # 10 million to 50 million: ×5
    assert job["warning_count"] == 2
    commit(client, job)
    figures.refresh_from_db()
    assert figures.revenue is None and figures.output_value == 50_000_000


def test_an_excel_error_in_a_mapped_cell_is_an_error_of_the_row(world, api, figures):
    client = api(world.statistician)
    job = upload(client, "indicators", csv_file(f"统一社会信用代码,年份,产值（元）\n{code(1)},2030,#N/A\n"))
    assert job["status"] == "invalid"
    assert job["errors"] == [
        {"row": 2, "column": "产值（元）", "message": "The cell holds the Excel error #N/A."}
    ]


def test_money_without_a_unit_asks_for_it_and_the_mapping_is_remembered_for_the_area(world, api, figures):
    client = api(world.park_staff)  # keeps P1 only: the sheet comes from P1
    sheet = f"统一社会信用代码,年份,产值\n{code(1)},2030,1500\n"
    job = upload(client, "indicators", csv_file(sheet))
    assert job["status"] == "mapping" and job["area"] == world.P1.pk
    assert "In which unit is “产值”?" in job["errors"][0]["message"]
    assert column(job, "产值")["needs_unit"] is True
    assert client.post(f"/api/v1/imports/{job['id']}/commit/").status_code == 409
    index = column(job, "产值")["index"]
    job = put_mapping(client, job, columns=[{"index": index, "field": "output_value", "unit": "万元"}])
    assert job["status"] == "ready", job["errors"]
    assert (column(job, "产值")["unit"], column(job, "产值")["unit_source"]) == ("10000", "mapping")
    commit(client, job)
    figures.refresh_from_db()
    assert figures.output_value == 15_000_000
    kept = ImportMapping.objects.get(area=world.P1, kind="indicators")
    assert LogEntry.objects.get_for_object(kept).get().actor == world.park_staff
    # Next month's sheet from the same park: the same headers map themselves.
    second = upload(client, "indicators", csv_file(f"统一社会信用代码,年份,产值\n{code(1)},2030,1600\n"))
    assert second["status"] == "ready", second["errors"]
    assert second["report"]["changes"][0]["new"] == "16000000.00"
    # The same sheet from another area is asked about again.
    other = api(world.statistician)
    third = upload(other, "indicators", csv_file(f"统一社会信用代码,年份,产值\n{code(1)},2030,1600\n"))
    assert third["status"] == "mapping"


def test_a_unit_line_of_the_sheet_scales_money_and_the_header_wins_over_it(world, api, figures, monkeypatch):
    def with_unit(raw, name, **kwargs):
        table = opened(raw, name, **kwargs)
        table.sheet_unit, table.sheet_unit_text = Decimal(10_000), "单位：万元"
        return table

    opened = engine.open_table
    monkeypatch.setattr(engine, "open_table", with_unit)
    client = api(world.statistician)
    sheet = f"统一社会信用代码,年份,产值,营业收入（元）\n{code(1)},2030,1200,900\n"
    job = upload(client, "indicators", csv_file(sheet))
    assert job["status"] == "ready", job["errors"]
    assert column(job, "产值")["unit_source"] == "sheet"
    assert column(job, "营业收入（元）")["unit_source"] == "header"
    commit(client, job)
    figures.refresh_from_db()
    assert figures.output_value == 12_000_000 and figures.revenue == 900


def test_a_year_missing_from_the_sheet_comes_from_its_title(world, api, figures, monkeypatch):
    def titled(raw, name, **kwargs):
        table = opened(raw, name, **kwargs)
        table.title, table.period = "2030年企业主要指标", Period(2030, 2030)
        return table

    opened = engine.open_table
    monkeypatch.setattr(engine, "open_table", titled)
    year = next(c for c in engine.spec_for("indicators").columns if c.name == "year")
    monkeypatch.setattr(year, "period", "year")
    client = api(world.statistician)
    job = upload(client, "indicators", csv_file(f"统一社会信用代码,产值（元）\n{code(1)},11000000\n"))
    assert job["status"] == "ready", job["errors"]
    assert job["report"]["filled"] == [{"field": "year", "value": "2030", "from": "2030年企业主要指标"}]
    assert job["updated"] == 1
    # Without a period in the title, the year is a missing required column, as before.
    monkeypatch.setattr(engine, "open_table", opened)
    missing = upload(client, "indicators", csv_file(f"统一社会信用代码,产值（元）\n{code(1)},11000000\n"))
    assert missing["status"] == "invalid"
    assert "The required column “年份” (Year) is missing." in missing["errors"][0]["message"]


def test_every_column_is_reported_and_an_unused_one_that_looks_like_money_asks(world, api, figures):
    client = api(world.statistician)
    sheet = f"序号,统一社会信用代码,年份,产值（元）,工业增加值,备注\n1,{code(1)},2030,12000000,3000000,好\n"
    job = upload(client, "indicators", csv_file(sheet))
    assert job["status"] == "mapping"  # 工业增加值 is numbers and not used: confirm first
    report = {c["header"]: (c["field"], c["looks"]) for c in job["report"]["columns"]}
    assert report == {
        "序号": ("", ""),
        "统一社会信用代码": ("uscc", ""),
        "年份": ("year", ""),
        "产值（元）": ("output_value", ""),
        "工业增加值": ("", "money"),
        "备注": ("", ""),
    }
    assert job["updated"] == 1  # the check ran: its counts are there
    job = put_mapping(client, job, columns=[])  # confirmed as it is
    assert job["status"] == "ready"
    again = upload(client, "indicators", csv_file(sheet))
    assert again["status"] == "ready"  # remembered for the statistician's area and these headers


def test_picking_another_sheet_reads_it(world, api, figures, monkeypatch):
    asked = []

    def sheets(raw, name, *, sheet=None, **kwargs):
        asked.append(sheet)
        table = opened(raw, name, sheet=sheet, **kwargs)
        table.sheet, table.sheets = sheet or "封面", ["封面", "指标"]
        return table

    opened = engine.open_table
    monkeypatch.setattr(engine, "open_table", sheets)
    client = api(world.statistician)
    job = upload(client, "indicators", csv_file(f"统一社会信用代码,年份,产值（元）\n{code(1)},2030,100\n"))
    assert (job["report"]["sheet"], job["report"]["sheets"]) == ("封面", ["封面", "指标"])
    response = client.put(f"/api/v1/imports/{job['id']}/mapping/", {"sheet": "其他"}, format="json")
    assert response.status_code == 400 and "sheet" in response.json()
    job = put_mapping(client, job, sheet="指标")
    assert asked == [None, "指标"] and job["sheet"] == "指标" and job["report"]["sheet"] == "指标"


def test_the_whole_diff_downloads_and_the_download_is_logged(world, api, figures):
    client = api(world.statistician)
    sheet = f"统一社会信用代码,年份,产值（元）,营业收入（元）\n{code(1)},2030,100000001,8000000\n"
    job = upload(client, "indicators", csv_file(sheet))
    response = client.get(f"/api/v1/imports/{job['id']}/changes/", {"as": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(__import__("io").BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[1][2:] == ("Output value", "10000000.00", "100000001.00", "jumps ×5 or ÷5")
    assert SecurityEvent.objects.filter(detail__kind=f"import-{job['id']}-changes").exists()
    csv = client.get(f"/api/v1/imports/{job['id']}/changes/", {"as": "csv"})
    assert "100000001.00" in b"".join(csv.streaming_content).decode("utf-8-sig")
    # Someone else's import's changes are not there.
    assert api(world.admin).get(f"/api/v1/imports/{job['id']}/changes/").status_code == 404


def test_the_spec_gets_the_context_and_its_notices_reach_the_report(world, api, figures, monkeypatch):
    spec = engine.spec_for("indicators")
    original = spec.start
    seen = {}

    def start(by, *, commit, context=None):
        seen["context"] = context
        context.notice("Converted year-to-date figures to the month.")
        return original(by, commit=commit)

    monkeypatch.setattr(spec, "start", start)
    monkeypatch.setattr(spec, "compare_to", lambda row: {"output_value": Decimal(1000)}, raising=False)
    client = api(world.park_staff)
    world.E3.uscc = code(3)
    world.E3.save()
    sheet = f"统一社会信用代码,年份,产值（元）\n{code(3)},2031,9000\n"
    job = upload(client, "indicators", csv_file(sheet))
    assert job["status"] == "ready", job["errors"]
    assert seen["context"].area == world.P1
    assert job["report"]["notices"] == ["Converted year-to-date figures to the month."]
    [jump] = job["report"]["changes"]  # a created record: only its jumps against the previous figure
    assert (jump["old"], jump["new"], jump["warning"], jump["created"]) == ("1000", "9000.00", "jump", True)


def test_an_area_outside_the_uploaders_is_refused(world, api):
    client = api(world.park_staff)
    response = client.post(
        "/api/v1/imports/",
        {"kind": "indicators", "file": csv_file("统一社会信用代码,年份\n"), "area": world.P3.pk},
        format="multipart",
    )
    assert response.status_code == 400 and "area" in response.json()
    assert not ImportJob.objects.exists()


def test_the_mapping_page_sets_a_unit_and_shows_the_changes(world, client, figures):
    client.force_login(world.statistician)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    sheet = f"统一社会信用代码,年份,产值,营业收入（万元）\n{code(1)},2030,1500,\n"
    # The check runs in the uploader's language (its messages are kept with the job): English here.
    response = client.post(
        "/imports/",
        {"kind": "indicators", "area": world.Z1.pk, "file": csv_file(sheet)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    job = ImportJob.objects.get()
    assert response.url == f"/imports/{job.pk}/" and job.area == world.Z1
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "In which unit is “产值”?" in page
    assert 'name="unit-2"' in page and 'data-testid="import-changes"' not in page
    answer = client.post(
        f"/imports/{job.pk}/mapping/",
        {
            "field-0": "uscc",
            "field-1": "year",
            "field-2": "output_value",
            "unit-2": "10000",
            "field-3": "revenue",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.url == f"/imports/{job.pk}/"
    job.refresh_from_db()
    assert job.status == "ready" and job.change_count == 1
    page = client.get(answer.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "10000000.00" in page and "15000000.00" in page and "万元, from the mapping" in page
    # A unit that is not one is refused, and the job stays as it was.
    client.post(f"/imports/{job.pk}/mapping/", {"field-2": "output_value", "unit-2": "7"})
    job.refresh_from_db()
    assert job.status == "ready" and job.mapping["columns"]["2"]["unit"] == "10000"


def test_the_page_shows_the_first_changes_and_the_file_holds_all_of_them(world, api):
    client = api(world.statistician)
    registry = "统一社会信用代码,企业名称,所在园区\n" + "".join(
        f"{code(n)},企业{n}有限公司,P1\n" for n in range(300)
    )
    commit(client, upload(client, "enterprises", csv_file(registry)))
    first = "统一社会信用代码,年份,产值（元）\n" + "".join(f"{code(n)},2030,{n + 100}\n" for n in range(300))
    commit(client, upload(client, "indicators", csv_file(first)))
    second = first.replace(",2030,", ",2030,1").replace("产值（元）", "产值（万元）")
    job = upload(client, "indicators", csv_file(second))
    assert job["updated"] == 300 and job["change_count"] == 300
    assert len(job["report"]["changes"]) == 200
    assert job["report"]["warnings"]["jump"] == 300
    download = client.get(f"/api/v1/imports/{job['id']}/changes/", {"as": "csv"})
    lines = b"".join(download.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 301  # the header and every change


def test_a_sheet_with_a_title_and_a_unit_line_above_its_header(world, api, figures):
    client = api(world.statistician)
    book = xlsx_file(
        [
            ["2030年一号园企业主要指标"],
            ["单位：万元"],
            ["统一社会信用代码", "年份", "产值", "从业人员"],
            [code(1), 2030, 1234.5, 120],
            ["合计", None, 1234.5, 120],
        ]
    )
    job = upload(client, "indicators", book)
    assert job["status"] == "ready", job["errors"]
    report = job["report"]
    assert (report["header_row"], report["sheet_unit"]) == (3, "10000")
    assert column(job, "产值")["unit_source"] == "sheet"
    assert [s["row"] for s in report["skipped"]] == [5]
    commit(client, job)
    figures.refresh_from_db()
    assert figures.output_value == 12_345_000 and figures.employees == 120
