"""The platforms' yearly figures import (`platform_years`): a sheet with a row per platform and year
(R&D staff, projects, patents, incubated and graduated enterprises, occupancy %), as platforms report
them each year.

Occupancy is read in per cent, as the column's header says (85 or 85% is 85 %), and stored as the
fraction 0.85; a bare number above 0 and at most 1 (0.85: a fraction, or a cell formatted as a
percentage, or 0.85 %?) is refused naming the column rather than guessed (`_occupancy`).

A row names its platform by name among the platforms the importer may keep; it fills in that
platform's row of the year (creating it when missing) through `platform_services.record_platform_year`,
so a blank cell never erases a stored figure, the import checks what the API checks, and every change
is in the history with its author.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneos.accounts.scoping import scope
from zoneos.core.roles import CHANGE
from zoneos.enterprises.imports.common import _count, given, has_error, unwrap
from zoneos.tabular.engine import Column, ImportSpec, RowError, register
from zoneos.tabular.readers import decimal, text

from . import platform_services
from .platform_models import YEAR_FIGURES, Platform, PlatformYear

COLUMNS = [
    Column("platform", "平台名称", "Platform", True, ("创新平台", "平台", "platform name")),
    Column("year", "年度", "Year", True, ("年份", "year"), period="year"),
    Column("rd_staff", "研发人员", "R&D staff", False, ("研发人员数", "研发人数")),
    Column("projects", "科研项目数", "Projects", False, ("项目数", "科研项目")),
    Column("patents", "专利数", "Patents", False, ("专利", "授权专利")),
    Column("incubated", "在孵企业数", "Incubated enterprises", False, ("在孵企业", "孵化企业数")),
    Column("graduated", "毕业企业数", "Graduated enterprises", False, ("毕业企业",)),
    Column("occupancy", "入驻率（%）", "Occupancy (%)", False, ("入驻率", "occupancy")),
]
COLUMN_NAMES = {c.name for c in COLUMNS}
HUNDRED = Decimal("100")
FOUR_PLACES = Decimal("0.0001")  # as the column stores it: 85.25 % is 0.8525
PERCENT_SIGNS = ("%", "％")


def _occupancy(row) -> None:
    """The occupancy column is in per cent, as its header says: 85, "85%", "85 %" or "85％" is 85 %,
    stored as the fraction 0.85. A number above 0 and at most 1 written without a per cent sign is
    refused: 0.85 may be a fraction (or a cell formatted as a percentage, which the reader sees as 0.85)
    or 0.85 %, and a figure stored a hundred times wrong is worse than a row to fix. 0 is 0 %."""
    raw = unwrap(row.values.get("occupancy"))
    written = text(raw)
    signed = isinstance(raw, str) and written.endswith(PERCENT_SIGNS)
    try:
        value = decimal(written.rstrip("".join(PERCENT_SIGNS)).strip() if signed else raw)
    except ValueError as exc:
        row.error("occupancy", exc)
        return
    if value is None:
        row.error("occupancy", _("Give a percentage from 0 to 100."))
    elif not signed and 0 < value <= 1:
        row.error(
            "occupancy",
            _(
                "%(value)s is ambiguous: write the occupancy in per cent, as 85 or 85%% (a cell formatted "
                "as a percentage reads as a fraction: format the column as a number)."
            )
            % {"value": written},
        )
    elif not 0 <= value <= HUNDRED:
        row.error("occupancy", _("Give a percentage from 0 to 100."))
    else:
        row.clean["occupancy"] = (value / HUNDRED).quantize(FOUR_PLACES)


class PlatformYearSpec(ImportSpec):
    kind = "platform_years"
    model = PlatformYear
    match_note = gettext_lazy(
        "Rows fill in the figures of the platform (by its name) for the year; a blank cell keeps the "
        "figure stored."
    )
    columns = COLUMNS

    def start(self, by, *, commit, context=None):
        return {"seen": {}}

    def check_chunk(self, rows, state, by):
        names = {text(unwrap(r.values.get("platform"))) for r in rows}
        platforms: dict[str, list[Platform]] = {}
        for platform in scope(Platform.objects.filter(name__in=names), by, CHANGE).order_by("pk"):
            platforms.setdefault(platform.name, []).append(platform)
        stored = {
            (y.platform_id, y.year): y
            for y in PlatformYear.objects.filter(platform__in=[p for ps in platforms.values() for p in ps])
        }
        for row in rows:
            self._clean(row, state, platforms, stored)

    def _clean(self, row, state, platforms, stored) -> None:
        clean = row.clean
        clean["_existing"] = None
        name = text(unwrap(row.values.get("platform")))
        found = platforms.get(name, [])
        if not found:
            row.error("platform", _("No platform “%(name)s” among those you keep.") % {"name": name})
        elif len(found) > 1:
            row.error("platform", _("Several platforms you keep are called “%(name)s”.") % {"name": name})
        year = _count(row, "year")
        if year is not None and not platform_services.FIRST_YEAR <= year <= platform_services.LAST_YEAR:
            row.error("year", _("Give a year."))
            year = None
        elif year is None and not has_error(row, "year"):
            row.error("year", _("Give a year."))
        for field in YEAR_FIGURES[:-1]:
            if given(row, field):
                value = _count(row, field)
                if value is not None:
                    clean[field] = value
        if given(row, "occupancy"):
            _occupancy(row)
        if len(found) != 1 or year is None:
            return
        platform = found[0]
        clean["platform"], clean["year"] = platform, year
        clean["_existing"] = stored.get((platform.pk, year))
        first = state["seen"].setdefault((platform.pk, year), row.number)
        if first != row.number:
            row.error("year", _("The same platform and year are already on row %(row)d.") % {"row": first})

    def changes(self, current: PlatformYear, clean: dict) -> dict:
        return {
            name: (getattr(current, name), clean[name])
            for name in YEAR_FIGURES
            if name in clean and getattr(current, name) != clean[name]
        }

    def write_chunk(self, rows, state, by, outcome):
        for row in rows:
            clean, current = row.clean, row.clean["_existing"]
            if current is not None and not self.changes(current, clean):
                outcome.unchanged += 1
                continue
            figures = {k: clean[k] for k in YEAR_FIGURES if k in clean}
            try:
                platform_services.record_platform_year(clean["platform"], clean["year"], by=by, **figures)
            except ValidationError as exc:
                field, messages = next(iter(exc.message_dict.items()))
                raise RowError(
                    row.number, field if field in COLUMN_NAMES else "platform", " ".join(messages)
                ) from exc
            if current is None:
                outcome.created += 1
            else:
                outcome.updated += 1


register(
    PlatformYearSpec(),
    label=gettext_lazy("Innovation platforms' yearly figures"),
    file_names=("创新平台年度数据", "platform-years"),
)
