"""The four shapes of sheet the issue names import without hand editing (at most confirming the
mapping), and every stored amount equals the sheet's number in yuan; nothing else on record moves."""

from __future__ import annotations

import datetime

import pytest

from . import figures_sheets, ledger_sheets, progress_sheets, registry_sheets
from .harness import changes_beyond, check, commit, created, import_sheet, mismatches, snapshot

pytestmark = pytest.mark.django_db
ROLE = {
    "enterprises": "statistician",
    "indicators": "statistician",
    "projects": "investment_officer",
    "monthly_reports": "supervisor",
}
SHAPES = {
    "registry-list": registry_sheets.registry_list,
    "registry-list-saved-as-csv": lambda: registry_sheets.registry_list(csv=True),
    "two-years-unit-line": lambda: figures_sheets.two_years("line"),
    "two-years-thousand-headers": lambda: figures_sheets.two_years("thousand"),
    "two-years-slash-headers": lambda: figures_sheets.two_years("slash"),
    "key-projects-jan-oct": lambda: progress_sheets.progress(10),
    "key-projects-jan-oct-cumulative-only": lambda: progress_sheets.progress(10, this_month_column=False),
    "project-ledger": ledger_sheets.ledger,
}


def skipped_rows(job: dict) -> set[int]:
    return {entry["row"] for entry in (job.get("report") or {}).get("skipped", [])}


@pytest.mark.parametrize("shape", SHAPES)
def test_each_shape_imports_and_stores_the_sheets_numbers_in_yuan(dj, api, shape):
    sheet = SHAPES[shape]()
    client = api(dj.users[ROLE[sheet.kind]])
    before = snapshot()
    checked, _done = import_sheet(client, sheet)
    after = snapshot()
    assert mismatches(sheet.expected.stored + sheet.expected.kept) == []
    assert created(before, after) == sheet.expected.created
    assert changes_beyond(before, after, sheet.expected.stored) == []
    # Totals, subtotals and notes are left out, and the report says which rows.
    assert set(sheet.expected.skipped) <= skipped_rows(checked), checked.get("report", {}).get("skipped")


def test_failed_formulas_in_a_figures_sheet_are_row_errors_and_nothing_is_written(dj, api):
    sheet = figures_sheets.two_years("line", with_errors=True)
    client = api(dj.users["statistician"])
    before = snapshot()
    job = check(client, sheet)
    assert job["status"] == "invalid"
    found = {(e["row"], e["column"]) for e in job["errors"]}
    for row, header in sheet.expected.errors.items():
        assert any(r == row and header in column for r, column in found), (row, header, found)
    assert {r for r, _c in found} == set(sheet.expected.errors), found
    assert client.post(f"/api/v1/imports/{job['id']}/commit/").status_code == 409
    assert snapshot() == before


def test_next_months_sheet_from_the_same_zone_maps_itself(dj, api):
    client = api(dj.users["supervisor"])
    october = progress_sheets.progress(10)
    import_sheet(client, october)
    november = progress_sheets.progress(11)
    before = snapshot()
    job = check_without_confirming(client, november)
    assert job["status"] == "ready", (job["status"], job["errors"][:5])
    done = commit(client, job)
    assert done["status"] == "committed"
    assert mismatches(november.expected.stored) == []
    assert created(before, snapshot()) == november.expected.created


def check_without_confirming(client, sheet):
    from .harness import upload

    return upload(client, sheet)


def test_a_year_to_date_sheet_becomes_the_months_report_and_says_so(dj, api):
    sheet = progress_sheets.progress(10, this_month_column=False)
    client = api(dj.users["supervisor"])
    checked, _done = import_sheet(client, sheet)
    assert checked["report"]["notices"], checked["report"]
    assert mismatches(sheet.expected.stored) == []


def test_the_ledger_records_each_move_on_the_sheets_date_never_today(dj, api):
    from zoneos.pipeline.models import Project, StageEvent

    import_sheet(api(dj.users["investment_officer"]), ledger_sheets.ledger())
    optics = Project.objects.get(name="精密光学镜头生产基地项目")
    moves = set(StageEvent.objects.filter(project=optics).values_list("to_category", "on"))
    assert ("signed", datetime.date(2024, 5, 18)) in moves
    assert ("under_construction", datetime.date(2024, 9, 26)) in moves
    today = datetime.date.today()
    assert not StageEvent.objects.filter(project__area__parent=dj.zone, on=today).exists()
    pilot = Project.objects.get(name="生物医药研发中试基地项目")
    pilot_moves = set(StageEvent.objects.filter(project=pilot).values_list("to_category", "on"))
    assert ("under_construction", datetime.date(2024, 11, 15)) in pilot_moves
