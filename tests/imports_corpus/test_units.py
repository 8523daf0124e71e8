"""Units however a sheet states them, a money column that states none, blank cells over stored values,
and a number no amount can be."""

from __future__ import annotations

import pytest

from . import figures_sheets, registry_sheets
from .harness import (
    changes_beyond,
    check,
    commit,
    confirm,
    created,
    import_sheet,
    mismatches,
    snapshot,
    upload,
)

pytestmark = pytest.mark.django_db
# The sheet, and what the report says of its money column: (field, unit, where the unit came from).
STATED = {
    "unit-line": (figures_sheets.unit_in_a_line, ("revenue", "10000", "sheet")),
    "thousand-header": (figures_sheets.unit_thousand_header, ("revenue", "1000", "header")),
    "compound-header": (figures_sheets.unit_compound_header, ("output_value", "10000", "header")),
}


@pytest.mark.parametrize("way", STATED)
def test_a_unit_stated_in_a_line_a_header_or_a_compound_header_is_applied(dj, api, way):
    build, reported = STATED[way]
    sheet = build()
    client = api(dj.users["statistician"])
    before = snapshot()
    # Every column maps without doubt: no confirmation is asked.
    job = upload(client, sheet)
    assert job["status"] == "ready", (job["status"], job["errors"][:5])
    money = [c for c in job["report"]["columns"] if c["money"]]
    assert [(c["field"], c["unit"], c["unit_source"]) for c in money] == [reported]
    assert commit(client, job)["status"] == "committed"
    after = snapshot()
    assert mismatches(sheet.expected.stored) == []
    assert created(before, after) == sheet.expected.created
    assert changes_beyond(before, after, sheet.expected.stored) == []


def test_a_money_column_without_a_unit_stops_the_dry_run_and_asks_for_it(dj, api):
    sheet = figures_sheets.unit_missing()
    client = api(dj.users["statistician"])
    before = snapshot()
    job = upload(client, sheet)
    assert job["status"] not in ("ready", "committed")
    asked = [e for e in job["errors"] if sheet.expected.asks_unit_for in e["column"]]
    assert asked and "unit" in asked[0]["message"], job["errors"]
    assert client.post(f"/api/v1/imports/{job['id']}/commit/").status_code == 409
    assert snapshot() == before
    # The user says 万元 in the mapping: the amounts are stored as 万元.
    index = next(c["index"] for c in job["report"]["columns"] if c["header"] == "营业收入")
    job = confirm(client, job, [{"index": index, "field": "revenue", "unit": "万元"}])
    assert job["status"] == "ready", (job["status"], job["errors"][:5])
    client.post(f"/api/v1/imports/{job['id']}/commit/")
    assert mismatches(figures_sheets.unit_in_a_line().expected.stored) == []


def test_blank_cells_never_erase_and_the_report_lists_each_changed_field(dj, api):
    sheet = registry_sheets.blank_cells_keep()
    before = snapshot()
    checked, done = import_sheet(api(dj.users["statistician"]), sheet)
    after = snapshot()
    assert mismatches(sheet.expected.stored + sheet.expected.kept) == []
    assert changes_beyond(before, after, sheet.expected.stored) == []
    assert (checked["updated"], checked["unchanged"]) == (1, 2)
    listed = {(c["field"], c["old"], c["new"]) for c in checked["report"]["changes"]}
    assert ("registered_capital", "40000000.00", "50000000.00") in listed, listed
    # Row 3 changed its capital and nothing else; rows 4 and 5 (blanks, —, 未报) change nothing.
    assert {(c["row"], c["field"]) for c in checked["report"]["changes"]} == {(3, "registered_capital")}
    assert not [c for c in checked["report"]["changes"] if c["warning"] == "erasure"]


def test_blank_figures_never_erase_stored_figures(dj, api):
    sheet = registry_sheets.blank_figures_keep()
    before = snapshot()
    checked, _done = import_sheet(api(dj.users["statistician"]), sheet)
    assert mismatches(sheet.expected.stored + sheet.expected.kept) == []
    assert changes_beyond(before, snapshot(), sheet.expected.stored) == []
    listed = {(c["field"], c["old"], c["new"]) for c in checked["report"]["changes"]}
    assert ("revenue", "560000000.00", "568000000.00") in listed, listed
    # Besides the revenue, at most where the figures came from (now an import) changes.
    assert {(c["row"], c["field"]) for c in checked["report"]["changes"]} - {
        (2, "source"),
        (3, "source"),
    } == {(2, "revenue")}
    assert not [c for c in checked["report"]["changes"] if c["warning"] == "erasure"]


def test_a_value_over_ten_to_the_26_is_an_error_of_its_row(dj, api):
    sheet = figures_sheets.huge_value()
    client = api(dj.users["statistician"])
    before = snapshot()
    job = check(client, sheet)
    assert job["status"] == "invalid"
    assert {(e["row"], "营业收入" in e["column"]) for e in job["errors"]} == {(3, True)}, job["errors"]
    assert snapshot() == before
