"""Every sheet of the corpus, in the order the guide shows them."""

from __future__ import annotations

from collections.abc import Callable

from . import figures_sheets, ledger_sheets, progress_sheets, registry_sheets
from .corpus import Sheet

BUILDERS: list[Callable[[], Sheet]] = [
    registry_sheets.registry_list,
    lambda: registry_sheets.registry_list(csv=True),
    lambda: figures_sheets.two_years("line"),
    lambda: figures_sheets.two_years("thousand"),
    lambda: figures_sheets.two_years("slash"),
    lambda: figures_sheets.two_years("line", with_errors=True),
    lambda: progress_sheets.progress(10),
    lambda: progress_sheets.progress(11),
    lambda: progress_sheets.progress(10, this_month_column=False),
    ledger_sheets.ledger,
    figures_sheets.unit_in_a_line,
    figures_sheets.unit_thousand_header,
    figures_sheets.unit_compound_header,
    figures_sheets.unit_missing,
    registry_sheets.blank_cells_keep,
    registry_sheets.blank_figures_keep,
    figures_sheets.huge_value,
]


def corpus() -> list[Sheet]:
    return [build() for build in BUILDERS]
