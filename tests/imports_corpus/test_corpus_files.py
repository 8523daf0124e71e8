"""The corpus itself: real workbooks built by code (none kept in the repository), written out by the
script for people to try, and every sheet shown in the import guide."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from .sheets import corpus

ROOT = Path(__file__).resolve().parents[2]


def test_every_sheet_is_a_workbook_shaped_as_staff_make_them():
    for sheet in corpus():
        if sheet.extension == "csv":
            assert sheet.data.decode("gb18030").startswith("东江高新区")
            continue
        book = load_workbook(io.BytesIO(sheet.data))
        table = book.worksheets[-1]
        assert table.max_row >= 3, sheet.file_name  # a header and two rows at least
        if sheet.slug[0].isdigit():  # the four shapes: a merged title, totals or a note below
            assert table.merged_cells.ranges, sheet.file_name
            assert sheet.expected.skipped, sheet.file_name


def test_no_spreadsheet_is_kept_in_the_repository():
    tracked = subprocess.run(
        ["git", "ls-files", "*.xlsx", "*.xls", "*.xlsm"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert tracked == []


def test_the_script_writes_every_sheet_and_a_readme(tmp_path):
    subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "scripts" / "build-import-corpus"), str(tmp_path)],
        check=True,
        timeout=120,
    )
    written = {p.name for p in tmp_path.iterdir()}
    assert written == {s.file_name for s in corpus()} | {"README.md"}
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "| 91441300MA01DJ0194, 2025 | revenue | 63293（单位：万元） | 632930000.00 |" in readme


def test_the_import_guide_shows_every_sheet_of_the_corpus():
    guide = (ROOT / "docs" / "imports.md").read_text(encoding="utf-8")
    missing = [s.file_name for s in corpus() if s.file_name not in guide]
    assert missing == []
    user_guide = (ROOT / "docs" / "user-guide.md").read_text(encoding="utf-8")
    assert "imports.md" in user_guide
