"""Hostile text in exports (issue 15): a stored name with control characters xlsx cannot hold still
exports (the characters dropped from the xlsx cell, kept in csv), and every text cell that a spreadsheet
could run as a formula is written with a leading apostrophe, while a negative amount stays a number."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from zoneos.enterprises.models import Enterprise, Indicator
from zoneos.tabular.export import safe

pytestmark = pytest.mark.django_db

URL = "/api/v1/indicators/export/"
PREFIXES = ["=", "+", "-", "@", "\t", "\r", "|", "＝", "＋", "－", "＠"]


def xlsx_rows(answer) -> list[list]:
    assert answer.status_code == 200, answer.content
    sheet = load_workbook(io.BytesIO(b"".join(answer.streaming_content))).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def csv_rows(answer) -> list[list]:
    assert answer.status_code == 200, answer.content
    text = b"".join(answer.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def row_of(rows: list[list], needle: str) -> dict:
    """The one row whose name (second column) contains `needle`, as {header: value}."""
    (row,) = [r for r in rows[1:] if needle in r[1]]
    return dict(zip(rows[0], row, strict=True))


def rename(enterprise, name: str) -> None:
    Enterprise.objects.filter(pk=enterprise.pk).update(name=name)


def test_a_name_with_control_characters_exports_as_xlsx_without_them(world, api):
    rename(world.E1, "深圳\x07光电\x1b科技\x0b有限公司")
    rows = xlsx_rows(api(world.admin, language="en").get(URL))
    assert row_of(rows, "有限公司")["Name"] == "深圳光电科技有限公司"


def test_a_name_starting_with_a_control_character_is_escaped_once_it_is_dropped(world, api):
    """Dropping the BEL leaves "=..." at the start: the escape looks at what is written."""
    rename(world.E1, '\x07=HYPERLINK("http://x")')
    rows = xlsx_rows(api(world.admin, language="en").get(URL))
    assert row_of(rows, "HYPERLINK")["Name"] == '\'=HYPERLINK("http://x")'


def test_a_name_with_control_characters_exports_as_csv_with_them(world, api):
    rename(world.E1, "深圳\x07光电\x1b科技有限公司")
    rows = csv_rows(api(world.admin, language="en").get(URL, {"as": "csv"}))
    assert row_of(rows, "有限公司")["Name"] == "深圳\x07光电\x1b科技有限公司"


@pytest.mark.parametrize("prefix", PREFIXES, ids=[repr(p) for p in PREFIXES])
def test_every_formula_prefix_is_escaped_in_xlsx(world, api, prefix):
    rename(world.E1, prefix + "SUM(A1:A9)")
    rows = xlsx_rows(api(world.admin, language="en").get(URL))
    # xml reads a lone carriage return back as a line feed; it is still behind the apostrophe
    expected = "'" + prefix.replace("\r", "\n") + "SUM(A1:A9)"
    assert row_of(rows, "SUM(A1:A9)")["Name"] == expected


@pytest.mark.parametrize("prefix", PREFIXES, ids=[repr(p) for p in PREFIXES])
def test_every_formula_prefix_is_escaped_in_csv(world, api, prefix):
    rename(world.E1, prefix + "SUM(A1:A9)")
    rows = csv_rows(api(world.admin, language="en").get(URL, {"as": "csv"}))
    assert row_of(rows, "SUM(A1:A9)")["Name"] == "'" + prefix + "SUM(A1:A9)"


def test_a_negative_amount_stays_a_number(world, api):
    Indicator.objects.filter(pk=world.I1.pk).update(revenue=Decimal("-1200.50"))
    client = api(world.admin, language="en")
    xlsx = row_of(xlsx_rows(client.get(URL)), world.E1.name)["Revenue (yuan)"]
    assert xlsx == -1200.5 and not isinstance(xlsx, str)
    assert row_of(csv_rows(client.get(URL, {"as": "csv"})), world.E1.name)["Revenue (yuan)"] == "-1200.50"


def test_numbers_are_never_escaped_and_text_is():
    assert safe(Decimal("-5")) == Decimal("-5")
    assert safe(-3) == -3
    assert safe("-3") == "'-3"
    assert safe("\x00\x08abc") == "abc"
    assert safe("\x00abc", for_csv=True) == "'\x00abc"
