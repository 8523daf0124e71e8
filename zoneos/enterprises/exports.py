"""The registry's export columns (the same for the list page and the API), in the active language."""

from django.utils.translation import gettext as _

from zoneos.tabular.export import ExportColumn


def enterprise_columns() -> list[ExportColumn]:
    return [
        ExportColumn(_("USCC"), lambda e: e.uscc),
        ExportColumn(_("Name"), lambda e: e.name),
        ExportColumn(_("English name"), lambda e: e.name_en),
        ExportColumn(_("Short name"), lambda e: e.short_name),
        ExportColumn(_("Area code"), lambda e: e.area.code),
        ExportColumn(_("Area"), lambda e: e.area.label),
        ExportColumn(_("Address"), lambda e: e.address),
        ExportColumn(_("Industry code"), lambda e: e.industry_code),
        ExportColumn(_("Industry"), lambda e: e.industry.label if e.industry else ""),
        ExportColumn(_("Business scope"), lambda e: e.business_scope),
        ExportColumn(_("Registration date"), lambda e: e.registered_on),
        ExportColumn(_("Registered capital (yuan)"), lambda e: e.registered_capital),
        ExportColumn(_("Capital origin"), lambda e: e.get_capital_origin_display()),
        ExportColumn(_("Country"), lambda e: e.capital_country.name if e.capital_country else ""),
        ExportColumn(_("Parent group"), lambda e: e.parent_group),
        ExportColumn(_("Status"), lambda e: e.get_status_display()),
        ExportColumn(_("Size class"), lambda e: e.get_size_class_display()),
    ]


def indicator_columns() -> list[ExportColumn]:
    return [
        ExportColumn(_("USCC"), lambda i: i.enterprise.uscc),
        ExportColumn(_("Name"), lambda i: i.enterprise.name),
        ExportColumn(_("Year"), lambda i: i.year),
        ExportColumn(_("Output value (yuan)"), lambda i: i.output_value),
        ExportColumn(_("Revenue (yuan)"), lambda i: i.revenue),
        ExportColumn(_("Main business revenue (yuan)"), lambda i: i.main_business_revenue),
        ExportColumn(_("Tax paid (yuan)"), lambda i: i.tax_paid),
        ExportColumn(_("R&D expense (yuan)"), lambda i: i.rd_expense),
        ExportColumn(_("Exports (yuan)"), lambda i: i.exports),
        ExportColumn(_("Employees"), lambda i: i.employees),
        ExportColumn(_("R&D staff"), lambda i: i.rd_staff),
        ExportColumn(_("Invention patents"), lambda i: i.invention_patents),
        ExportColumn(_("Above designated size"), lambda i: i.above_designated_size),
        ExportColumn(_("Size class"), lambda i: i.get_size_class_display()),
        ExportColumn(_("Source"), lambda i: i.get_source_display()),
    ]
