"""The pipeline's export columns (the same for the list page and the API), in the active language."""

from django.utils.translation import gettext as _

from zoneos.tabular.export import ExportColumn

from .models import DatePrecision, date_text


def _date(on, precision):
    """A date cell, or "2025-03" for a date known to the month (read back as a month on import)."""
    return on if precision == DatePrecision.DAY else date_text(on, precision)


def project_columns() -> list[ExportColumn]:
    return [
        ExportColumn(_("Project"), lambda p: p.name),
        ExportColumn(_("Project code"), lambda p: p.code),
        ExportColumn(_("Area code"), lambda p: p.area.code),
        ExportColumn(_("Area"), lambda p: p.area.label),
        ExportColumn(_("Investor"), lambda p: p.investor_name),
        ExportColumn(_("Investor's USCC"), lambda p: p.investor_uscc),
        ExportColumn(_("Capital origin"), lambda p: p.get_capital_origin_display()),
        ExportColumn(_("Industry code"), lambda p: p.industry_code),
        ExportColumn(_("Total investment (yuan)"), lambda p: p.total_investment),
        ExportColumn(_("Fixed-asset investment (yuan)"), lambda p: p.fixed_asset_investment),
        ExportColumn(_("Expected annual output value (yuan)"), lambda p: p.expected_output),
        ExportColumn(_("Expected annual tax (yuan)"), lambda p: p.expected_tax),
        ExportColumn(_("Land (mu)"), lambda p: p.land_mu),
        ExportColumn(_("Jobs"), lambda p: p.jobs),
        ExportColumn(_("Stage"), lambda p: p.get_stage_display()),
        ExportColumn(_("In this stage since"), lambda p: _date(p.stage_on, p.stage_on_precision)),
        ExportColumn(_("Lead since"), lambda p: _date(p.lead_on, p.lead_on_precision)),
        ExportColumn(_("Investment officer"), lambda p: str(p.owner) if p.owner else ""),
        ExportColumn(_("Project source"), lambda p: p.get_source_display()),
        ExportColumn(_("Planned industry"), lambda p: p.plan_group.label if p.plan_group else ""),
    ]
