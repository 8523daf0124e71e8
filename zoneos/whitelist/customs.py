"""The sheet customs asks for (an xlsx): one row per item of an application, in customs' fields
(applicant, its USCC, item name, HS code, specification, quantity, unit, value, origin, purpose,
project, period), written through the project's export (`zoneos.tabular.export`: spreadsheet formula
injection escaped, numbers kept as numbers, every download in the security log)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from zoneos.tabular.export import ExportColumn, response

from .models import WhitelistApplication


def _period(item) -> str:
    """The approved validity, else the period applied for."""
    a = item.application
    start, end = (a.valid_from, a.valid_to) if a.valid_from else (a.period_from, a.period_to)
    return f"{start.isoformat()} – {end.isoformat()}" if start and end else ""


def columns() -> list[ExportColumn]:
    """Headers in the active language (customs reads the Chinese ones)."""
    return [
        ExportColumn(_("Applicant"), lambda i: i.application.enterprise.name),
        ExportColumn(_("USCC"), lambda i: i.application.enterprise.uscc or ""),
        ExportColumn(_("Item name"), lambda i: i.name),
        ExportColumn(_("HS code"), lambda i: i.hs_code),
        ExportColumn(_("Specification"), lambda i: i.specification),
        ExportColumn(_("Quantity"), lambda i: i.approved_quantity or i.quantity),
        ExportColumn(_("Unit"), lambda i: i.unit),
        ExportColumn(_("Value (yuan)"), lambda i: i.value),
        ExportColumn(_("Origin"), lambda i: i.origin),
        ExportColumn(_("Purpose"), lambda i: i.purpose),
        ExportColumn(_("Project"), lambda i: i.application.project),
        ExportColumn(_("Validity period"), _period),
    ]


def sheet(application: WhitelistApplication, request):
    items = application.items.select_related("application__enterprise").order_by("pk")
    return response(list(items), columns(), f"whitelist-{application.pk}", "xlsx", request=request)
