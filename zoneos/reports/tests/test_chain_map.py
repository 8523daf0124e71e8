"""A chain's investment attraction map (招商图谱) as A4 PDF and xlsx: each link's strength with its
figures, the ranked targets for every weak or missing link, read within the caller's scope."""

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from zoneos.chains import services
from zoneos.chains.tests.world import YEAR, build_chain


@pytest.fixture
def chain(world):
    c, _car, links, _e = build_chain(world)
    services.create_candidate(
        by=world.root,
        chain=c,
        name="远方芯片有限公司",
        city="无锡",
        links=[links["CHIP"]],
        labels=["little_giant"],
    )
    return c


def test_the_map_as_xlsx_and_pdf(world, chain, client):
    client.force_login(world.admin)
    client.cookies["zoneos_language"] = "en"
    url = f"/reports/chains/{chain.pk}/map/"
    xlsx = client.get(url, {"area": world.Z1.pk, "year": YEAR, "format": "xlsx"})
    assert xlsx.status_code == 200 and "attraction-map" in xlsx["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    links = {row[0].strip("　"): row for row in book.worksheets[0].iter_rows(min_row=5, values_only=True)}
    assert links["动力电池"][2] == "Strong" and links["动力电池"][3] == 3
    assert links["车规芯片"][2] == "Missing" and float(links["车规芯片"][9]) == 2.0
    assert "Gap score 62.5%" in book.worksheets[0]["A2"].value
    targets = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert targets[0][:5] == (
        "车规芯片",
        "Missing",
        "远方芯片有限公司",
        "无锡",
        65,
    )  # listed 40 + little giant 25

    client.cookies["zoneos_language"] = "zh-hans"
    pdf = client.get(url, {"area": world.Z1.pk, "year": YEAR, "format": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "招商图谱" in text and "远方芯片有限公司" in text and "62.5%" in text
    assert reader.pages[0].mediabox.width == pytest.approx(595, abs=2)  # A4


def test_the_map_reads_the_callers_scope(world, chain, client):
    client.force_login(world.park_staff)  # park P1: Q2 of park P2 is not theirs
    response = client.get(
        f"/reports/chains/{chain.pk}/map/", {"area": world.P1.pk, "year": YEAR, "format": "xlsx"}
    )
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    links = {row[0].strip("　"): row for row in book.worksheets[0].iter_rows(min_row=5, values_only=True)}
    assert links["驱动电机"][3] == 1
    assert client.get(f"/reports/chains/{world.CN2.pk}/map/").status_code == 404
    client.force_login(world.enterprise)
    assert client.get(f"/reports/chains/{chain.pk}/map/").status_code == 404
