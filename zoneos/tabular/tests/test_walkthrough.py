"""The import page as a new user reads it (issue 18): the count of rows, and the preview of the values
an import overwrites with its warnings on implausible jumps (issue 16's per-field diff, shown here)."""

import pytest
from django.test import Client

from zoneos.tabular.tests.test_imports import code, upload, xlsx_file

pytestmark = pytest.mark.django_db
HEADER = ["统一社会信用代码", "企业名称", "所在园区", "行业代码", "资本来源"]


def page(world, job_id) -> str:
    client = Client()
    client.cookies["zoneos_language"] = "en"
    client.force_login(world.park_staff)
    return client.get(f"/imports/{job_id}/").content.decode()


def test_the_import_page_counts_the_rows_the_file_holds(world, api):
    rows = [HEADER] + [[code(i), f"佛山{i}号有限公司", "P1", "3976", "内资"] for i in range(1, 6)]
    rows.insert(3, [None] * 5)  # a blank line
    rows.append(["注：数据来源于园区填报"])  # a note under the table
    job = upload(api(world.park_staff), "enterprises", xlsx_file(rows))
    html = page(world, job["id"])
    assert "5 of 5 rows" in html
    assert "of 6 rows" not in html and "of 7 rows" not in html and "6 of 5" not in html


def test_the_preview_shows_the_values_overwritten_and_warns_on_a_jump(world, api):
    """Already built by issue 16 (a per-field diff with jump flags); this keeps it on the page."""
    from zoneos.tabular.tests.test_imports import csv_file
    from zoneos.tabular.tests.test_mapping import figures as stored_figures
    from zoneos.tabular.tests.test_mapping import upload as upload_sheet

    stored_figures.__wrapped__(world)
    sheet = f"统一社会信用代码,年份,产值（元）,营业收入（元）\n{code(1)},2030,100000001,8000000\n"
    job = upload_sheet(api(world.statistician), "indicators", csv_file(sheet))
    client = Client()
    client.cookies["zoneos_language"] = "en"
    client.force_login(world.statistician)
    html = client.get(f"/imports/{job['id']}/").content.decode()
    assert 'data-testid="import-changes"' in html and 'data-testid="jumps"' in html
    assert "10000000.00" in html and "100000001.00" in html  # the old value and the new
    assert 'class="table-warning"' in html


@pytest.mark.parametrize(
    ("language", "title", "foreign"),
    [
        ("en", "Notes", ("必填", "选填", "说明", "金额")),
        ("zh-hans", "说明", ("Accepted", "required", "optional", "Notes")),
    ],
)
def test_the_import_templates_notes_speak_one_language(world, api, language, title, foreign):
    import io

    from openpyxl import load_workbook

    response = api(world.park_staff, language=language).get(
        "/api/v1/imports/template/", {"kind": "indicators"}
    )
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames[1] == title
    notes = " ".join(str(row[1]) for row in book.worksheets[1].values)
    # The accepted headers list both languages on purpose; the sentences around them do not.
    sentences = " ".join(part.split(":")[0].split("：")[0] for part in notes.split(". "))
    assert not any(word in sentences for word in foreign), sentences
