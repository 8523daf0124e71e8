"""Hostile uploads: spreadsheet bombs are refused for the whole file before memory grows, a bomb the
checks miss kills the reader's child process instead of the service, and bad cells (control
characters, 1e400, a million characters) are errors of their row. After each, a normal import works.

The hostile files are made here: a few kilobytes, a few megabytes where the point is their size."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zoneos.enterprises.models import Enterprise
from zoneos.tabular import services

from .test_imports import GOOD, code, csv_file, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _inline(monkeypatch):
    """Checked within the request, however big the file looks (a packed bomb looks like many rows)."""
    monkeypatch.setattr(services, "INLINE_ROWS", 10**9)


HEADER = "统一社会信用代码,企业名称,所在园区"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def inline(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def header_row() -> str:
    return (
        '<row r="1">'
        + "".join(inline(f"{c}1", h) for c, h in zip("ABC", HEADER.split(","), strict=True))
        + "</row>"
    )


def sheet(rows: str, dimension: str | None = "A1:C2") -> str:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{declared}<sheetData>{header_row()}{rows}</sheetData></worksheet>"
    )


def xlsx(sheet_xml, extra: dict | None = None, name="bomb.xlsx") -> SimpleUploadedFile:
    """A workbook of one sheet; `sheet_xml` may be a callable writing the sheet to a stream (big ones)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", ROOT_RELS)
        book.writestr("xl/workbook.xml", WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        if callable(sheet_xml):
            with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as stream:
                sheet_xml(stream)
        else:
            book.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        for member, content in (extra or {}).items():
            book.writestr(member, content)
    return SimpleUploadedFile(name, buffer.getvalue())


def refused(client, file, words: str) -> dict:
    job = upload(client, "enterprises", file)
    assert job["status"] == "invalid", job
    assert job["error_count"] == 1 and job["errors"][0]["row"] == 1, job["errors"]
    assert words in job["errors"][0]["message"], job["errors"]
    return job


def still_serves(client) -> None:
    """The service answers, and a normal file is checked and imported."""
    job = upload(client, "enterprises", csv_file(GOOD))
    assert job["status"] == "ready", job["errors"]
    assert client.post(f"/api/v1/imports/{job['id']}/commit/").json()["status"] == "committed"
    assert Enterprise.objects.filter(uscc=code(1)).exists()


def test_a_workbook_that_parses_is_read(world, api):
    client = api(world.park_staff)
    row = (
        '<row r="2">'
        + inline("A2", code(5))
        + inline("B2", "佛山五号有限公司")
        + inline("C2", "P1")
        + "</row>"
    )
    job = upload(client, "enterprises", xlsx(sheet(row)))
    assert job["status"] == "ready", job["errors"]
    assert job["created"] == 1


def test_a_huge_declared_dimension_is_refused_before_it_is_read(world, api):
    """1.7 KB that made calamine allocate for 17 billion cells (512 GiB) and abort the process."""
    client = api(world.park_staff)
    refused(client, xlsx(sheet("", dimension="A1:XFD1048576")), "16384 columns")
    still_serves(client)


def test_one_cell_far_away_is_refused_before_it_is_read(world, api):
    """No dimension, or a lying one: the furthest cell any row names sets the sheet's rectangle."""
    client = api(world.park_staff)
    far = '<row r="1048576">' + inline("XFD1048576", "x") + "</row>"
    refused(client, xlsx(sheet(far, dimension=None)), "16384 columns")
    modest = (
        '<row r="2">' + inline("ALL2", "x") + '</row><row r="1048576">' + inline("A1048576", "x") + "</row>"
    )
    refused(client, xlsx(sheet(modest, dimension="A1:C2")), "cells")
    still_serves(client)


def test_too_many_shared_strings_are_refused(world, api, settings):
    settings.ZONEOS_IMPORT_MAX_CELLS = 1000
    strings = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + "<si><t>x</t></si>" * 2000
    )
    client = api(world.park_staff)
    refused(client, xlsx(sheet(""), {"xl/sharedStrings.xml": strings + "</sst>"}), "2000 cells")
    still_serves(client)


def test_a_zip_bomb_is_refused_on_its_declared_size(world, api, settings):
    """64 MB of zeros packed into some 60 KB, with the limit on unpacked size set to 16 MB."""
    settings.ZONEOS_IMPORT_MAX_UNPACKED_BYTES = 16 * 1024 * 1024
    bomb = xlsx(sheet(""), {"xl/media/padding.bin": bytes(64 * 1024 * 1024)})
    assert len(bomb) < 200_000
    client = api(world.park_staff)
    refused(client, bomb, "more than the 16.0 MB accepted")
    still_serves(client)


def test_a_cell_of_many_megabytes_is_refused_before_it_is_read(world, api):
    """A sheet whose one cell holds 64 MB of text (a 64 KB upload; a gigabyte is refused the same way,
    at its first 16 MB, only slower to make here)."""

    def write(stream):
        stream.write(sheet("", dimension="A1:C2").split("</sheetData>")[0].encode())
        stream.write(b'<row r="2"><c r="A2" t="inlineStr"><is><t>')
        block = b"a" * (1 << 20)
        for _ in range(64):
            stream.write(block)
        stream.write(b"</t></is></c></row></sheetData></worksheet>")

    client = api(world.park_staff)
    refused(client, xlsx(write), "more than 32767 characters")
    still_serves(client)


def test_a_bomb_the_checks_miss_kills_the_reader_not_the_service(world, api, settings):
    """With the checks opened wide, the far cell reaches calamine, whose allocation the reader's memory
    limit refuses: the child dies, the import is refused, and this process goes on."""
    settings.ZONEOS_IMPORT_MAX_COLUMNS = 20_000
    settings.ZONEOS_IMPORT_MAX_CELLS = 10**12
    settings.ZONEOS_IMPORT_READER_MEMORY_BYTES = 512 * 1024 * 1024
    far = '<row r="1048576">' + inline("XFD1048576", "x") + "</row>"
    client = api(world.park_staff)
    refused(client, xlsx(sheet(far, dimension=None)), "memory")
    still_serves(client)


def test_a_csv_line_of_100_mb_is_refused(world, api):
    client = api(world.park_staff)
    line = SimpleUploadedFile("long.csv", (HEADER + "\n" + "a" * (100 * 1024 * 1024) + "\n").encode())
    refused(client, line, "A line of the file is longer than 4.0 MB")
    still_serves(client)


def test_a_csv_with_an_enormous_number_of_columns_is_refused(world, api):
    client = api(world.park_staff)
    wide = SimpleUploadedFile("wide.csv", (HEADER + "," * 500_000 + "\n" + code(1) + ",甲,P1\n").encode())
    refused(client, wide, "500003 columns")
    still_serves(client)


# Cells ---------------------------------------------------------------------------------------------
def _errors(job) -> set[tuple[int, str]]:
    return {(e["row"], e["column"]) for e in job["errors"]}


def test_bad_cells_are_errors_of_their_row_and_column(world, api):
    client = api(world.park_staff)
    rows = [
        f"{code(1)},佛山一号\x00有限公司,P1,500",  # row 2: NUL (PostgreSQL cannot store it)
        f"{code(2)},佛山二号有限公司,P1,1e400",  # row 3
        f"{code(3)},佛山三号有限公司,P1,NaN",  # row 4
        f"{code(4)},佛山四号有限公司,P1,inf",  # row 5
        f"{code(5)},{'长' * 1_000_000},P1,1",  # row 6: a million characters
        f"{code(6)},佛山六号\x07有限公司,P1,1",  # row 7: BEL
    ]
    text = HEADER + ",注册资本（亿元）\n" + "\n".join(rows) + "\n"
    job = upload(client, "enterprises", csv_file(text))
    assert job["status"] == "invalid"
    assert _errors(job) == {
        (2, "企业名称"),
        (3, "注册资本（亿元）"),
        (4, "注册资本（亿元）"),
        (5, "注册资本（亿元）"),
        (6, "企业名称"),
        (7, "企业名称"),
    }
    messages = {e["row"]: e["message"] for e in job["errors"]}
    assert "U+0000" in messages[2] and "U+0007" in messages[7]
    assert "1000000 characters" in messages[6]
    assert client.post(f"/api/v1/imports/{job['id']}/commit/").status_code == 409
    assert not Enterprise.objects.filter(uscc__in=[code(n) for n in range(1, 7)]).exists()
    still_serves(client)


def test_a_million_character_cell_in_a_workbook_is_an_error_of_its_row(world, api):
    client = api(world.park_staff)
    row = (
        '<row r="2">' + inline("A2", code(5)) + inline("B2", "长" * 1_000_000) + inline("C2", "P1") + "</row>"
    )
    job = upload(client, "enterprises", xlsx(sheet(row)))
    assert job["status"] == "invalid"
    assert _errors(job) == {(2, "企业名称")}


def test_invisible_characters_in_cells_and_the_file_name_are_removed(world, api):
    """An enterprise name with a right-to-left override (which shows "…公司" reversed) imports without
    it; the upload's name loses its BEL."""
    client = api(world.park_staff)
    text = f"{HEADER}\n{code(1)},佛山\u202e万泽\u200b激光有限公司,P1\n"
    job = upload(client, "enterprises", csv_file(text, name="a\u0007b.csv"))
    assert job["status"] == "ready", job["errors"]
    assert job["original_name"] == "ab.csv"
    client.post(f"/api/v1/imports/{job['id']}/commit/")
    assert Enterprise.objects.get(uscc=code(1)).name == "佛山万泽激光有限公司"
    row = (
        '<row r="2">'
        + inline("A2", code(2))
        + inline("B2", "佛山\u202e二号有限公司")
        + inline("C2", "P1")
        + "</row>"
    )
    workbook = upload(client, "enterprises", xlsx(sheet(row), name="a\u0007b.xlsx"))
    assert workbook["status"] == "ready" and workbook["original_name"] == "ab.xlsx"
    client.post(f"/api/v1/imports/{workbook['id']}/commit/")
    assert Enterprise.objects.get(uscc=code(2)).name == "佛山二号有限公司"
