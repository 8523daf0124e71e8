"""The briefing's content: the worked example in the PDF and in the xlsx, the milestones due next month,
English, and the SVG charts."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from zoneos.reports import briefing, charts
from zoneos.supervision import services

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def embedded_fonts(pdf: bytes) -> set[str]:
    """The names of the fonts whose program is embedded in the PDF."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for part in font.get("/DescendantFonts", [font]):
                part = part.get_object()
                descriptor = part.get("/FontDescriptor")
                files = ("/FontFile", "/FontFile2", "/FontFile3")
                if descriptor is not None and any(f in descriptor.get_object() for f in files):
                    names.add(str(part["/BaseFont"]))
    return names


def yuan(cell_value, unit=10**8) -> Decimal:
    return (Decimal(str(cell_value)) * unit).quantize(Decimal("0.01"))


def test_the_worked_example_in_the_pdf(example):
    text = pdf_text(example.pdf)
    assert "17.5%" in text and "16.7%" in text and "+0.8" in text
    # The headline, word for word as the published Zhaoqing report puts it, and the Chinese text is
    # text, not boxes.
    assert "完成投资110.04亿元，占年度计划628.80亿元的17.5%，快于时序进度0.8个百分点" in text.replace(
        "\n", ""
    )
    assert "一号高新区" in text and "一号园" in text
    fonts = embedded_fonts(example.pdf)
    assert any("CJK" in name for name in fonts), fonts
    assert example.pdf_headers["Content-Type"] == "application/pdf"
    assert example.pdf_headers["Content-Disposition"] == 'attachment; filename="briefing-Z1-2022-02.pdf"'
    # The milestone due in March is listed: P1's completion; P2's production is already done.
    assert "一号园重点项目甲" in text and "2022-03-15" in text and "2022-03-20" not in text
    assert len(PdfReader(io.BytesIO(example.pdf)).pages) <= 3


def test_the_xlsx_holds_the_figures_of_the_api_summary(example):
    s = example.summary
    book = load_workbook(io.BytesIO(example.xlsx))
    assert len(book.worksheets) == 6  # summary, by area, warnings, milestones, policy money, innovation
    totals = [row[1] for row in book.worksheets[0].iter_rows(min_row=6, max_row=18)]
    plan, completed, rate, elapsed, gap, status, projects = (c.value for c in totals[:7])
    assert yuan(plan) == Decimal(s["annual_plan"]) == Decimal("62880000000")
    assert yuan(completed) == Decimal(s["completed"]) == Decimal("11004000000")
    assert Decimal(str(rate)) == Decimal(s["completion_rate"]) == Decimal("0.175")
    assert Decimal(str(elapsed)) == Decimal(s["time_progress"])
    assert Decimal(str(gap)) == Decimal(s["gap_pp"]) == Decimal("0.83")
    assert status == "快于时序进度" and projects == s["projects"] == 2
    assert totals[0].number_format == "#,##0.00" and totals[2].number_format == "0.0%"
    assert "62880000000" not in str(plan)  # in 亿元, not in yuan
    headline = book.worksheets[0]["A3"].value
    assert "17.5%" in headline and "快于时序进度0.8个百分点" in headline

    by_area = book.worksheets[1]
    header = [c.value for c in by_area[1]]
    assert "完成率" in header and "区域" in header
    rows = list(by_area.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(s["by_child"]) == 2
    for row, child in zip(rows, s["by_child"], strict=True):
        assert (row[0], row[1]) == (child["rank"], child["name"])
        assert yuan(row[2]) == Decimal(child["annual_plan"]) and yuan(row[3]) == Decimal(child["completed"])
        assert Decimal(str(row[4])) == Decimal(child["completion_rate"])
        assert Decimal(str(row[5])) == Decimal(child["gap_pp"])
    assert by_area["E2"].number_format == "0.0%"

    milestones = list(book.worksheets[3].iter_rows(min_row=2, values_only=True))
    assert [(m[0].date(), m[2]) for m in milestones] == [(datetime.date(2022, 3, 15), "一号园重点项目甲")]


def key_project(world, area, name, year=2025, **dates):
    return services.create_key_project(
        by=world.users["root"], year=year, name=name, area=area, kind="new_start",
        annual_plan=Decimal(1200), **dates,
    )  # fmt: skip


def test_milestones_due_next_month(world):
    key_project(world, world.P1, "四月开工", planned_start="2025-04-10")
    key_project(world, world.P2, "四月竣工", planned_start="2025-03-01", actual_start="2025-03-02",
                planned_completion="2025-04-15")  # fmt: skip
    key_project(
        world, world.P2, "已提前竣工", planned_completion="2025-04-30", actual_completion="2025-03-20"
    )
    key_project(world, world.P1, "五月投产", planned_production="2025-05-01")
    key_project(world, world.P3, "别区开工", planned_start="2025-04-05")
    names = [(m["name"], m["milestone"], m["date"]) for m in briefing.milestones_due(world.Z1, 2025, 3)]
    assert names == [
        ("四月开工", "planned_start", datetime.date(2025, 4, 10)),
        ("四月竣工", "planned_completion", datetime.date(2025, 4, 15)),
    ]
    assert [m["name"] for m in briefing.milestones_due(world.P1, 2025, 3)] == ["四月开工"]
    # December looks at January; a project in both years' plans is listed once, from the later plan.
    key_project(world, world.P1, "跨年项目", planned_completion="2026-01-20")
    later = key_project(world, world.P1, "跨年项目", year=2026, planned_completion="2026-01-20")
    december = briefing.milestones_due(world.Z1, 2025, 12)
    assert [(m["name"], m["id"]) for m in december] == [("跨年项目", later.pk)]
    sheet = load_workbook(io.BytesIO(briefing.render_xlsx(world.Z1, 2025, 3))).worksheets[3]
    assert [r[2] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["四月开工", "四月竣工"]


def test_red_and_yellow_projects_and_english(world):
    slow = key_project(world, world.P1, "慢项目")  # 1,200 yuan planned
    services.submit_report(slow, by=world.users["root"], month="2025-06", completed=Decimal(100))
    with translation.override("en"):
        data = briefing.briefing_data(world.Z1, 2025, 6)
        book = load_workbook(io.BytesIO(briefing.render_xlsx(world.Z1, 2025, 6)))
    # 100 of 1,200 = 8.3 % against 50 %: red; the world's two 1.2-billion projects in Z1 reported nothing.
    assert [p["name"] for p in data["red"]] == ["一号园重点项目", "一号园待删项目", "慢项目"]
    assert [p["gap_text"] for p in data["red"]] == ["-50.0", "-50.0", "-41.7"]
    assert data["unit"] == "hundred million yuan" and data["period"] == "January–June 2025"
    assert data["headline"].startswith("In January–June 2025")
    assert book.worksheets[1]["C1"].value == "Annual plan (hundred million yuan)"
    warned = list(book.worksheets[2].iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in warned][-1] == "慢项目" and {row[0] for row in warned} == {"Red warning"}


def test_the_bar_chart_scales_marks_time_progress_and_escapes_names():
    bars = [
        charts.Bar("<一号园> & co", 17.5, "#2b8a3e", "17.5%"),
        charts.Bar("空园", None, "#adb5bd", "—"),
    ]
    svg = str(charts.bar_chart(bars, marker=16.7, marker_label="时序进度 16.7%", legend=[], title="t"))
    assert svg.startswith("<svg") and "&lt;一号园&gt; &amp; co" in svg and "<一号园>" not in svg
    assert "时序进度 16.7%" in svg and svg.count("<rect") == 1 and "stroke-dasharray" in svg
    assert charts.nice_scale(17.5 * 1.05) == (20.0, 5.0)
    assert charts.nice_scale(0) == (100.0, 20.0)
    assert charts.nice_scale(104) == (125.0, 25.0)


def test_the_notes_stay_with_the_table_above_them(example):
    """The notes never stand alone on a last page (issue 18: the demo's October briefing ended on a page
    of four lines): the last section and the notes are one block that is not split, so they move to
    the next page together; in the worked example they share the milestones table's page."""
    from pathlib import Path

    template = (Path(__file__).resolve().parents[1] / "templates/reports/briefing_pdf.html").read_text()
    assert ".closing { break-inside: avoid; }" in template
    closing = template[template.index('<div class="closing">') :]
    assert closing.index('data-testid="milestones"') < closing.index('<div class="notes">')
    last = PdfReader(io.BytesIO(example.pdf)).pages[-1].extract_text()
    assert "说明" in last and "一号园重点项目甲" in last and "2022-03-15" in last
