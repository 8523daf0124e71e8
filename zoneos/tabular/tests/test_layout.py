"""The reader finds the table the way zone staff lay sheets out: a title, a subtitle with the unit, the
header somewhere in the first rows (two rows, or years over field groups), park names merged over
their enterprises, 合计 and 注 rows, several sheets. The sheets are made here with openpyxl and as csv
text, as parks send them."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from zoneos.tabular.cells import excel_error
from zoneos.tabular.readers import FileError, Period, normal, open_table
from zoneos.tabular.sandbox import _ErrorCells

pytestmark = pytest.mark.slow  # each read starts the reader's child process

WAN = Decimal(10_000)
PROJECTS = frozenset(
    normal(h) for h in ("序号", "园区", "项目名称", "本月完成投资额", "1-10月累计完成投资额")
)
FIGURES = frozenset(
    normal(h) for h in ("企业名称", "统一社会信用代码", "营业收入", "工业总产值", "税收", "年份")
)


def workbook(*sheets) -> io.BytesIO:
    """`sheets`: (name, rows, merged ranges, error cells {ref: "#N/A"})."""
    book = Workbook()
    book.remove(book.active)
    for name, rows, merged, errors in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in merged:
            sheet.merge_cells(cells)
        for ref, value in errors.items():
            sheet[ref].value = value
            sheet[ref].data_type = "e"
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def read(raw, name, **options):
    table = open_table(raw, name, **options)
    return table, list(table.rows)


def csv(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8-sig"))


MONTHLY = [
    ["2026年1-10月佛山高新区重点项目投资完成情况表"],
    ["填报单位：南海园", None, None, None, None, "单位：万元"],
    [],
    ["序号", "园区", "项目名称", "本月完成", None, "1-10月累计完成", None],
    [None, None, None, "投资额", "产值（千元）", "投资额", "产值"],
    [1, "南海园", "智能装备产业园", 1200, 3000, 9800, 21000],
    [2, None, "新材料基地", 800, 1500, 6100, 9000],
    [None, None, "小计", 2000, 4500, 15900, 30000],
    [3, "狮山园", "激光器生产线", 500, "#DIV/0!", 2600, 4000],
    [],
    ["注：本表投资额为固定资产投资。"],
]
MONTHLY_MERGED = ["A1:G1", "A2:E2", "A4:A5", "B4:B5", "C4:C5", "D4:E4", "F4:G4", "B6:B8"]


def test_a_monthly_park_sheet_is_found_under_its_title_and_unit_line():
    raw = workbook(
        ("说明", [["填报说明：请于每月5日前报送。"]], [], {}),
        ("投资", MONTHLY, MONTHLY_MERGED, {"E9": "#DIV/0!"}),
    )
    table, rows = read(raw, "投资.xlsx", known_headers=PROJECTS)
    assert table.sheets == ["说明", "投资"] and table.sheet == "投资"
    assert table.title == "2026年1-10月佛山高新区重点项目投资完成情况表 填报单位：南海园 单位：万元"
    assert table.header_row == 5
    assert (table.sheet_unit, table.sheet_unit_text) == (WAN, "单位：万元")
    assert table.period == Period(2026, 2026, 1, 10)
    # The two header rows make one text a column; the child's unit stays in it and in `units`.
    assert table.headers == [
        "序号",
        "园区",
        "项目名称",
        "本月完成 投资额",
        "本月完成 产值（千元）",
        "1-10月累计完成 投资额",
        "1-10月累计完成 产值",
    ]
    assert table.units == {4: Decimal(1000)}
    # Row numbers are the sheet's own; the park merged over rows 6-8 is in each; 小计 and 注 are listed.
    assert [(number, cells[1], cells[2]) for number, cells in rows] == [
        (6, "南海园", "智能装备产业园"),
        (7, "南海园", "新材料基地"),
        (9, "狮山园", "激光器生产线"),
    ]
    assert table.skipped == [(8, "小计"), (11, "注：本表投资额为固定资产投资。")]
    # An Excel error comes through as its text (calamine alone reads it as empty).
    assert rows[2][1][4] == "#DIV/0!" and excel_error(rows[2][1][4]) == "#DIV/0!"


def test_a_unit_in_the_group_heading_reaches_each_column_under_it():
    rows = [
        ["企业名称", "本月完成（万元）", None, "备注"],
        [None, "投资额", "产值", None],
        ["甲公司", 10, 20, ""],
    ]
    known = frozenset(normal(h) for h in ("企业名称", "本月完成投资额", "本月完成产值", "备注"))
    table, data = read(workbook(("S", rows, ["A1:A2", "B1:C1", "D1:D2"], {})), "m.xlsx", known_headers=known)
    assert table.headers == ["企业名称", "本月完成 投资额（万元）", "本月完成 产值（万元）", "备注"]
    assert table.units == {1: WAN, 2: WAN}
    assert data == [(3, ["甲公司", 10.0, 20.0, ""])]


def test_year_groups_become_one_row_per_year():
    rows = [
        ["规上企业主要经济指标（2024-2025年）"],
        ["金额单位：千元"],
        ["序号", "企业名称", 2024, None, None, "2025年", None, None],
        [None, None, "营业收入", "工业总产值", "税收", "营业收入", "工业总产值", "税收"],
        [1, "佛山甲公司", 1000, 2000, 100, 1100, 2100, 110],
        [2, "佛山乙公司", 500, 600, 50, None, None, None],  # nothing yet for 2025
        ["合计", None, 1500, 2600, 150, 1100, 2100, 110],
    ]
    merged = ["A1:H1", "A3:A4", "B3:B4", "C3:E3", "F3:H3"]
    table, data = read(workbook(("经济指标", rows, merged, {})), "f.xlsx", known_headers=FIGURES)
    assert table.headers == ["序号", "企业名称", "营业收入", "工业总产值", "税收", "年份"]
    assert (table.sheet_unit, table.period, table.header_row) == (Decimal(1000), Period(2024, 2025), 4)
    assert data == [
        (5, [1.0, "佛山甲公司", 1000.0, 2000.0, 100.0, 2024]),
        (5, [1.0, "佛山甲公司", 1100.0, 2100.0, 110.0, 2025]),
        (6, [2.0, "佛山乙公司", 500.0, 600.0, 50.0, 2024]),
    ]
    assert table.skipped == [(7, "合计")]


def test_year_groups_in_a_csv_carry_their_units():
    text = (
        "序号,企业名称,2024年,,2025年,\n"
        ",,营业收入（万元）,税收（万元）,营业收入（万元）,税收（万元）\n"
        "1,佛山甲公司,10,1,12,2\n"
    )
    table, data = read(csv(text), "f.csv", known_headers=FIGURES)
    assert table.headers == ["序号", "企业名称", "营业收入（万元）", "税收（万元）", "年份"]
    assert table.units == {2: WAN, 3: WAN}
    assert data == [(3, ["1", "佛山甲公司", "10", "1", 2024]), (3, ["1", "佛山甲公司", "12", "2", 2025])]


def test_a_csv_header_under_a_title_and_a_subtitle_is_found():
    text = (
        "2025年高新技术企业名录,,\n"
        "填报单位：狮山园,,单位：万元\n"
        ",,\n"
        "统一社会信用代码,企业名称,营业收入\n"
        "91440605MA0000001X,佛山甲公司,100\n"
        ",,\n"
        "91440605MA0000002X,佛山乙公司,200\n"
        "合计,,300\n"
        "填报人：张三,,\n"
    )
    table, data = read(csv(text), "r.csv", known_headers=FIGURES)
    assert (table.header_row, table.headers) == (4, ["统一社会信用代码", "企业名称", "营业收入"])
    assert (table.sheet, table.sheets) == ("", [])
    assert table.period == Period(2025, 2025)
    assert table.sheet_unit == WAN
    assert [number for number, _cells in data] == [5, 7]
    assert table.skipped == [(8, "合计"), (9, "填报人：张三")]


def test_without_known_headers_the_first_row_of_two_cells_is_the_header():
    """What the engine sees until it passes its headers: a subtitle of two cells is not taken."""
    text = "企业名录\n填报单位：狮山园,单位：万元\n统一社会信用代码,企业名称\n91440605MA0000001X,佛山甲公司\n"
    table, data = read(csv(text), "r.csv")
    assert table.header_row == 3 and table.headers == ["统一社会信用代码", "企业名称"]
    assert table.sheet_unit == WAN
    assert data == [(4, ["91440605MA0000001X", "佛山甲公司"])]
    dated = (
        "2025年企业名录,填报日期：2026年1月5日\n统一社会信用代码,企业名称\n91440605MA0000001X,佛山甲公司\n"
    )
    table, data = read(csv(dated), "r.csv")
    assert (table.header_row, table.title, table.period) == (
        2,
        "2025年企业名录 填报日期：2026年1月5日",
        Period(2025, 2025),
    )


def test_a_row_of_units_under_the_header_gives_each_column_its_unit():
    text = "项目名称,用地,计划总投资,本年完成投资\n,亩,万元,（千元）\n智能装备产业园,120,35000,8000\n"
    known = frozenset(normal(h) for h in ("项目名称", "用地（亩）", "计划总投资", "本年完成投资"))
    table, data = read(csv(text), "p.csv", known_headers=known)
    assert table.headers == ["项目名称", "用地（亩）", "计划总投资（万元）", "本年完成投资（千元）"]
    assert table.units == {2: WAN, 3: Decimal(1000)} and table.header_row == 2
    assert data == [(3, ["智能装备产业园", "120", "35000", "8000"])]


def test_a_row_of_column_numbers_under_the_header_is_skipped():
    text = "企业名称,营业收入,税收\n甲,1,2\n佛山甲公司,1,2\n"
    table, data = read(csv(text), "r.csv", known_headers=FIGURES)
    assert data == [(3, ["佛山甲公司", "1", "2"])]
    assert table.skipped == [(2, "甲 1 2")]


def test_the_best_matching_sheet_is_read_or_the_one_named():
    cover = ("封面", [["佛山高新区统计报表"], ["报送单位：管委会", "2026年10月"]], [], {})
    other = ("项目", [["序号", "项目名称", "本月完成投资额"], [1, "甲项目", 5]], [], {})
    firms = ("2025", [["企业名称", "营业收入", "税收"], ["佛山甲公司", 10, 1]], [], {})
    table, data = read(workbook(cover, other, firms), "b.xlsx", known_headers=FIGURES)
    assert (table.sheet, table.sheets) == ("2025", ["封面", "项目", "2025"])
    assert table.period == Period(2025, 2025)  # from the sheet's name: the title says nothing
    assert data == [(2, ["佛山甲公司", 10.0, 1.0])]
    table, data = read(workbook(cover, other, firms), "b.xlsx", known_headers=FIGURES, sheet="项目")
    assert table.sheet == "项目" and data == [(2, [1.0, "甲项目", 5.0])]
    with pytest.raises(FileError, match="没有名为|no sheet named"):
        open_table(workbook(cover, other, firms), "b.xlsx", sheet="附表")


def test_a_hidden_sheet_of_lists_is_not_chosen():
    book = Workbook()
    lists = book.active
    lists.title = "字典"
    for row in (["企业名称", "营业收入", "税收", "年份"], ["示例", 1, 1, 2025]):
        lists.append(row)
    lists.sheet_state = "hidden"
    data_sheet = book.create_sheet("数据")
    data_sheet.append(["企业名称", "营业收入"])
    data_sheet.append(["佛山甲公司", 3])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    table, data = read(buffer, "h.xlsx", known_headers=FIGURES)
    assert table.sheet == "数据" and table.sheets == ["字典", "数据"]
    assert data == [(2, ["佛山甲公司", 3.0])]


# Every sheet read goes through the bomb checks ----------------------------------------------------
def _two_sheets(second: str) -> io.BytesIO:
    """A workbook of two sheets written by hand: a good first sheet, and `second` as the second's XML."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    first = (
        f"<worksheet {ns}><sheetData>"
        '<row r="1"><c r="A1" t="inlineStr"><is><t>企业名称</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>营业收入</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>佛山甲公司</t></is></c><c r="B2"><v>5</v></c></row>'
        "</sheetData></worksheet>"
    )
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/worksheets/sheet2.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook {ns} xmlns:r="{rel}"><sheets><sheet name="Good" sheetId="1" r:id="rId1"/>'
            '<sheet name="Bomb" sheetId="2" r:id="rId2"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/worksheet" Target="worksheets/sheet2.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": first,
        "xl/worksheets/sheet2.xml": f"<worksheet {ns}>{second}</worksheet>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        for member, content in parts.items():
            book.writestr(member, content)
    buffer.seek(0)
    return buffer


FAR_CELL = (
    '<sheetData><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
)


def test_a_bomb_on_the_second_sheet_is_refused_when_the_sheets_are_looked_at():
    with pytest.raises(FileError, match="16384"):
        open_table(_two_sheets(FAR_CELL), "b.xlsx", known_headers=FIGURES)
    declared = '<dimension ref="A1:XFD1048576"/><sheetData></sheetData>'
    with pytest.raises(FileError, match="16384"):
        open_table(_two_sheets(declared), "b.xlsx", known_headers=FIGURES, sheet="Bomb")
    # The first sheet named alone is read; the bomb is never parsed.
    table, data = read(_two_sheets(FAR_CELL), "b.xlsx", known_headers=FIGURES, sheet="Good")
    assert table.sheets == ["Good", "Bomb"] and data == [(2, ["佛山甲公司", 5.0])]


def test_a_bomb_of_merged_ranges_on_the_second_sheet_is_refused(settings):
    settings.ZONEOS_IMPORT_MAX_CELLS = 1000
    merges = "".join(f'<mergeCell ref="A{n}:B{n}"/>' for n in range(1, 2002))
    second = f'<sheetData></sheetData><mergeCells count="2001">{merges}</mergeCells>'
    with pytest.raises(FileError, match="2001"):
        open_table(_two_sheets(second), "b.xlsx", known_headers=FIGURES)


def test_error_cells_are_found_across_the_blocks_a_sheet_is_read_in():
    cells = _ErrorCells()
    cells.feed(b'<row r="3"><c r="B3" t="e"><f>1/0</f><v>')
    cells.feed(b'#DIV/0!</v></c><c r="C3" s="1" t="e"><v>#N/A</v></c><c r="D3" t="n"><v>1</v></c></row>')
    assert cells.found == {(2, 1): "#DIV/0!", (2, 2): "#N/A"}


@pytest.mark.django_db
def test_a_sheet_of_year_groups_under_a_title_imports_through_the_engine(world, api):
    """What the engine on main sees: the table under its title, one row per year, 合计 left out."""
    from zoneos.enterprises.models import Indicator

    from .test_imports import GOOD, code, csv_file, upload

    client = api(world.statistician)
    registry = upload(client, "enterprises", csv_file(GOOD))
    client.post(f"/api/v1/imports/{registry['id']}/commit/")
    rows = [
        ["规上企业产值（2030-2031年）"],
        ["统一社会信用代码", "企业名称", 2030, None, 2031, None],
        [None, None, "产值（万元）", "从业人员", "产值（万元）", "从业人员"],
        [code(1), "佛山万泽激光科技有限公司", 3000, 120, 4500, 150],
        [code(2), "佛山东信汽车零部件有限公司", 800, 40, None, None],
        ["合计", None, 3800, 160, 4500, 150],
    ]
    merged = ["A1:F1", "A2:A3", "B2:B3", "C2:D2", "E2:F2"]
    raw = workbook(("指标", rows, merged, {}))
    job = upload(client, "indicators", SimpleUploadedFile("figures.xlsx", raw.getvalue()))
    assert job["status"] == "ready", job["errors"]
    assert job["created"] == 3
    client.post(f"/api/v1/imports/{job['id']}/commit/")
    stored = {
        (i.enterprise.uscc, i.year): (i.output_value, i.employees)
        for i in Indicator.objects.filter(enterprise__uscc__in=[code(1), code(2)]).select_related(
            "enterprise"
        )
    }
    assert stored == {
        (code(1), 2030): (30_000_000, 120),
        (code(1), 2031): (45_000_000, 150),
        (code(2), 2030): (8_000_000, 40),
    }
