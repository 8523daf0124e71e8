"""Imports: a dry run reports every bad row with its row number, column and message; a file with any
bad row writes nothing; a good file upserts on the code (and year), with history; exports escape
formulas."""

import io

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from zoneos.core.codes import build_uscc
from zoneos.enterprises.models import Enterprise, Indicator
from zoneos.stats import services as stats
from zoneos.tabular import services
from zoneos.tabular.models import ImportJob

pytestmark = pytest.mark.django_db


def code(n: int) -> str:
    return build_uscc("9", "1", "440605", f"MA{n:06d}")


def csv_file(text: str, name="registry.csv", encoding="utf-8-sig") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding))


def xlsx_file(rows: list[list], name="registry.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(client, kind, file):
    response = client.post("/api/v1/imports/", {"kind": kind, "file": file}, format="multipart")
    assert response.status_code == 201, response.content
    return response.json()


GOOD = f"""统一社会信用代码,企业名称,所在园区,行业代码,资本来源,注册资本（万元）
{code(1)},佛山万泽激光科技有限公司,P1,3976,内资,500
{code(2)},佛山东信汽车零部件有限公司,P1,C3670,港资,"1,200"
"""


def test_a_file_with_bad_rows_reports_each_and_writes_nothing(world, api):
    client = api(world.park_staff)
    bad = (
        "统一社会信用代码,企业名称,所在园区,行业代码,资本来源\n"
        f"{code(1)},佛山一号有限公司,P1,3976,内资\n"
        f"{code(2)},佛山二号有限公司,P1,3976,内资\n"
        f"{code(3)},佛山三号有限公司,P1,3976,内资\n"
        f"{code(4)},佛山四号有限公司,P1,3976,内资\n"
        f"{code(5)},佛山五号有限公司,P3,3976,内资\n"  # row 6: a park outside the user's areas
        f"{code(6)[:-1]}0,佛山六号有限公司,P1,3976,内资\n"  # row 7: a mistyped code
        f"{code(7)},佛山七号有限公司,P1,99,火星资本\n"  # row 8: no such industry, no such origin
        f"{code(1)},佛山一号重复,P1,3976,内资\n"  # row 9: the same code as row 2
    )
    job = upload(client, "enterprises", csv_file(bad))
    assert job["status"] == "invalid"
    problems = {(e["row"], e["column"]) for e in job["errors"]}
    assert problems == {
        (6, "所在园区"),
        (7, "统一社会信用代码"),
        (8, "行业代码"),
        (8, "资本来源"),
        (9, "统一社会信用代码"),
    }
    row7 = next(e for e in job["errors"] if e["row"] == 7)
    assert "check character" in row7["message"]
    assert client.post(f"/api/v1/imports/{job['id']}/commit/").status_code == 409
    assert not Enterprise.objects.filter(name__startswith="佛山").exists()


def test_a_good_file_is_checked_then_imported_with_history(world, api):
    client = api(world.park_staff)
    job = upload(client, "enterprises", csv_file(GOOD))
    assert job["status"] == "ready", job["errors"]
    assert (job["created"], job["updated"]) == (2, 0)
    assert not Enterprise.objects.filter(uscc=code(1)).exists()  # a dry run writes nothing

    done = client.post(f"/api/v1/imports/{job['id']}/commit/").json()
    assert done["status"] == "committed" and done["created"] == 2
    laser = Enterprise.objects.get(uscc=code(1))
    assert laser.area == world.P1 and laser.industry_section == "C"
    assert laser.registered_capital == 5_000_000  # (万元) in the header scales to yuan
    assert laser.name_initials == "fswzjgkjyxgs"
    parts = Enterprise.objects.get(uscc=code(2))
    assert parts.capital_origin == "hong_kong" and parts.industry_code == "3670"
    entry = LogEntry.objects.get_for_object(laser).get()
    assert entry.actor == world.park_staff and entry.changes["name"] == [None, "佛山万泽激光科技有限公司"]
    assert entry.changes["area"] == [None, world.P1.pk]
    assert entry.changes["status"] == [None, "active"]  # the defaults a single save records too
    assert entry.object_repr == "佛山万泽激光科技有限公司"
    # The same job cannot be imported twice.
    assert client.post(f"/api/v1/imports/{job['id']}/commit/").status_code == 409


def test_reimporting_updates_only_what_changed(world, api):
    client = api(world.park_staff)
    job = upload(client, "enterprises", csv_file(GOOD))
    client.post(f"/api/v1/imports/{job['id']}/commit/")
    changed = GOOD.replace("佛山东信汽车零部件有限公司", "佛山东信汽车部件股份有限公司")
    second = upload(client, "enterprises", csv_file(changed))
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 1, 1)
    client.post(f"/api/v1/imports/{second['id']}/commit/")
    parts = Enterprise.objects.get(uscc=code(2))
    assert parts.name == "佛山东信汽车部件股份有限公司"
    update = LogEntry.objects.get_for_object(parts).filter(action=LogEntry.Action.UPDATE).get()
    assert update.changes == {"name": ["佛山东信汽车零部件有限公司", "佛山东信汽车部件股份有限公司"]}


def test_english_headers_xlsx_and_gb18030_csv_are_read(world, api):
    client = api(world.statistician)
    book = xlsx_file([["USCC", "Name", "Area", "Industry code"], [code(11), "Foshan Laser Ltd", "P2", 3976]])
    job = upload(client, "enterprises", book)
    assert job["status"] == "ready", job["errors"]
    gbk = upload(client, "enterprises", csv_file(GOOD, encoding="gb18030"))
    assert gbk["status"] == "ready", gbk["errors"]
    assert gbk["created"] == 2


def test_figures_import_upserts_on_code_and_year_and_refreshes_the_statistics(world, api):
    client = api(world.statistician)
    upload_and_commit = upload(client, "enterprises", csv_file(GOOD))
    client.post(f"/api/v1/imports/{upload_and_commit['id']}/commit/")
    figures = (
        "统一社会信用代码,年份,产值（万元）,主营业务收入（万元）,从业人员,是否规上\n"
        f"{code(1)},2030,3000,2500,120,\n"
        f"{code(1)},2031,4500,3000,150,\n"
        f"{code(2)},2031,800,700,40,是\n"
    )
    job = upload(client, "indicators", csv_file(figures))
    assert job["status"] == "ready", job["errors"]
    client.post(f"/api/v1/imports/{job['id']}/commit/")
    laser_2031 = Indicator.objects.get(enterprise__uscc=code(1), year=2031)
    assert laser_2031.output_value == 45_000_000 and laser_2031.above_designated_size is True
    entry = LogEntry.objects.get_for_object(laser_2031).get()
    assert entry.actor == world.statistician and entry.action == LogEntry.Action.CREATE
    assert entry.changes["output_value"] == [None, "45000000.00"]
    assert entry.changes["year"] == [None, 2031]
    parts = Indicator.objects.get(enterprise__uscc=code(2), year=2031)
    assert parts.above_designated_size is True  # set explicitly despite 7 million
    o = stats.overview(world.P1, 2031)
    assert o.figures.enterprises == 2
    assert o.figures.output_value == 53_000_000
    assert stats.four(o.figures.output_yoy_comparable) == "0.5000"


def test_figures_of_a_locked_year_or_an_unknown_enterprise_are_refused(world, api):
    client = api(world.statistician)
    figures = (
        "统一社会信用代码,年份,产值（元）\n"
        f"{world.E1.uscc or code(99)},2020,100\n{code(98)},2031,100\n,2031,5\n"
    )
    world.E1.uscc = code(99)
    world.E1.save()
    job = upload(client, "indicators", csv_file(figures))
    messages = {(e["row"], e["column"]): e["message"] for e in job["errors"]}
    assert "locked" in messages[(2, "年份")]  # Z1 is locked for 2020 in the test world
    assert (3, "统一社会信用代码") in messages
    assert (4, "统一社会信用代码") in messages


def test_a_missing_required_column_is_a_file_error(world, api):
    job = upload(api(world.park_staff), "indicators", csv_file("统一社会信用代码,产值\n1,2\n"))
    assert job["status"] == "invalid"
    assert job["errors"][0]["row"] == 1 and "年份" in job["errors"][0]["message"]


def test_a_file_that_is_not_a_table_is_refused(world, api):
    job = upload(api(world.park_staff), "enterprises", SimpleUploadedFile("x.xlsx", b"not a workbook"))
    assert job["status"] == "invalid" and "xlsx" in job["errors"][0]["message"]
    response = api(world.park_staff).post(
        "/api/v1/imports/",
        {"kind": "enterprises", "file": SimpleUploadedFile("x.pdf", b"%PDF")},
        format="multipart",
    )
    assert response.status_code == 400 and "file" in response.json()


def test_long_files_go_to_the_worker_and_finish_there(
    world, api, settings, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "INLINE_ROWS", 1)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = api(world.park_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/imports/", {"kind": "enterprises", "file": csv_file(GOOD)}, format="multipart"
        )
    job = ImportJob.objects.get(pk=response.json()["id"])
    assert job.status == "ready"  # checked by the task
    client.post(f"/api/v1/imports/{job.pk}/commit/")
    job.refresh_from_db()
    assert job.status == "committed" and Enterprise.objects.filter(uscc=code(1)).exists()


def test_exports_escape_formulas_and_keep_numbers(world, api):
    client = api(world.park_staff)
    world.E1.name = '=HYPERLINK("http://evil")'
    world.E1.registered_capital = 5_000_000
    world.E1.save()
    text = b"".join(client.get("/api/v1/enterprises/export/", {"as": "csv"}).streaming_content).decode(
        "utf-8-sig"
    )
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text
    response = client.get("/api/v1/enterprises/export/", {"as": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    row = next(r for r in rows if r[1] and "HYPERLINK" in r[1])
    assert row[1].startswith("'=")
    named = ("注册资本", "Registered capital")
    capital = next(i for r in rows for i, h in enumerate(r) if isinstance(h, str) and h.startswith(named))
    assert row[capital] == 5000000  # registered capital stays a number


def test_the_template_lists_the_columns_in_the_users_language(world, api):
    def headers(language):
        client = api(world.park_staff, language=language)
        response = client.get("/api/v1/imports/template/", {"kind": "indicators"})
        return next(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)

    assert headers("")[:3] == ("统一社会信用代码", "年份", "产值（元）")
    assert headers("en")[:3] == ("USCC", "Year", "Output value (yuan)")
