"""Exports write yes/no values in the reader's language: Yes/No in an English file, 是/否 in a Chinese
one (the registry's yearly figures, whose "above designated size" is a yes/no column)."""

import csv
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from zoneos.enterprises.models import Indicator
from zoneos.tabular.export import safe
from zoneos.testing.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/indicators/export/"


@pytest.fixture
def figures(world):
    """E1's figures above designated size, E3's below."""
    Indicator.objects.filter(pk=world.I1.pk).update(above_designated_size=True)
    IndicatorFactory(enterprise=world.E3, above_designated_size=False)


def column(rows: list, header: str) -> dict:
    """{enterprise name: value of `header`} of an export's rows (the name is the second column)."""
    index = rows[0].index(header)
    return {row[1]: row[index] for row in rows[1:]}


@pytest.mark.parametrize(
    ("language", "header", "yes", "no"),
    [("en", "Above designated size", "Yes", "No"), ("zh-hans", "规上企业", "是", "否")],
)
def test_a_csv_export_says_yes_and_no_in_the_readers_language(world, api, figures, language, header, yes, no):
    answer = api(world.admin, language=language).get(URL, {"as": "csv"})
    assert answer.status_code == 200
    text = b"".join(answer.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert column(rows, header) == {world.E1.name: yes, world.E3.name: no}


@pytest.mark.parametrize(
    ("language", "header", "yes", "no"),
    [("en", "Above designated size", "Yes", "No"), ("zh-hans", "规上企业", "是", "否")],
)
def test_an_xlsx_export_says_yes_and_no_in_the_readers_language(
    world, api, figures, language, header, yes, no
):
    answer = api(world.admin, language=language).get(URL)
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(answer.streaming_content))).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert column(rows, header) == {world.E1.name: yes, world.E3.name: no}


def test_a_cell_follows_the_language_active_when_it_is_written():
    with translation.override("en"):
        assert (safe(True), safe(False)) == ("Yes", "No")
    with translation.override("zh-hans"):
        assert (safe(True), safe(False)) == ("是", "否")
