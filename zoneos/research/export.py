"""A project's workbook for auditors (xlsx): the project, its budget against spending per category, the
budget adjustments, the expenditures with their voucher numbers, and (for staff) the evaluation. Cells
go through the exports' one escaping (`tabular.export.safe`) and the download is in the security log."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from decimal import Decimal

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import scope
from zoneos.core.roles import VIEW
from zoneos.tabular.export import safe, yes_no

from . import figures
from .models import BudgetAdjustment, Expenditure, ProjectStep, Reviewer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PER_CENT = "0.0%"


@dataclass(frozen=True)
class Share:
    """A fraction (0.4521) that the sheet stores as the number and shows as a per cent (45.2%)."""

    value: Decimal | None


def _sheet(book, title: str, headers: list, rows: list, words) -> None:
    from openpyxl.styles import Font

    sheet = book.create_sheet(title[:31])
    sheet.append([safe(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe(v.value if isinstance(v, Share) else v, words) for v in row])
        for cell, value in zip(sheet[sheet.max_row], row, strict=False):
            if isinstance(value, Share) and value.value is not None:
                cell.number_format = PER_CENT
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(12, len(str(header)) * 2)


def sheets(project, user, on=None) -> list[tuple[str, list, list]]:
    """(title, headers, rows) of each sheet, in the active language: what the workbook holds."""
    on = on or timezone.localdate()
    standing = figures.standing(project, on)
    yuan = _("(yuan)")
    about = [
        (_("Project number"), project.code),
        (_("Title"), project.title),
        (_("Programme"), str(project.programme)),
        (_("Undertaking unit"), project.undertaker),
        (_("Partners"), "; ".join(f"{p['name']} ({p['region']})" for p in project.partners)),
        (_("Principal investigator"), project.pi_name),
        (_("Period"), f"{project.starts_on.isoformat()} – {project.ends_on.isoformat()}"),
        (_("Status"), project.get_status_display()),
        (_("Contract number"), project.contract_no),
        (_("Total budget") + " " + yuan, standing.budget),
        (_("Spent") + " " + yuan, standing.spent),
        (_("Time progress"), Share(standing.time_rate)),
        (_("Spending progress"), Share(standing.spent_rate)),
        (_("Warnings"), "\n".join(w.text for w in standing.warnings)),
        (_("As of"), on),
    ]
    budget = [
        [line.label, line.category, line.budget, line.spent, line.left, Share(line.spent_rate), line.over]
        for line in standing.lines
    ]
    adjustments = [
        [a.requested_on, a.get_from_category_display(), a.get_to_category_display(), a.amount, a.reason,
         a.get_status_display(), a.needs_approval, a.requested_by.username,
         a.decided_by.username if a.decided_by else "", a.decided_on, a.opinion]
        for a in BudgetAdjustment.objects.filter(project=project)
        .select_related("requested_by", "decided_by")
        .order_by("requested_on", "pk")
    ]  # fmt: skip
    expenditures = [
        [e.spent_on, e.get_category_display(), e.amount, e.description, e.voucher_no, bool(e.voucher)]
        for e in Expenditure.objects.filter(project=project).order_by("spent_on", "pk")
    ]
    steps = [
        [s.at, s.kind, s.get_from_status_display(), s.get_to_status_display(), s.opinion,
         s.by.username if s.by else ""]
        for s in ProjectStep.objects.filter(project=project).select_related("by").order_by("at", "pk")
    ]  # fmt: skip
    found = [
        (_("Project"), [_("Item"), _("Value")], [list(r) for r in about]),
        (
            _("Budget"),
            [_("Category"), _("Code"), _("Budget") + " " + yuan, _("Spent") + " " + yuan,
             _("Left") + " " + yuan, _("Spent share"), _("Over budget")],
            budget,
        ),
        (
            _("Adjustments"),
            [_("Requested on"), _("From category"), _("To category"), _("Amount") + " " + yuan, _("Reason"),
             _("Status"), _("Needs approval"), _("Requested by"), _("Decided by"), _("Decided on"),
             _("Opinion")],
            adjustments,
        ),
        (
            _("Expenditures"),
            [_("Spent on"), _("Category"), _("Amount") + " " + yuan, _("Description"), _("Voucher number"),
             _("Voucher file kept")],
            expenditures,
        ),
        (_("Steps"), [_("At"), _("Step"), _("From"), _("To"), _("Opinion"), _("By")], steps),
    ]  # fmt: skip
    if scope(Reviewer.objects.filter(project=project), user, VIEW).exists():
        result = figures.evaluation(project)
        criteria = [c.get("name") or c["code"] for c in project.programme.criteria]
        rows = [
            [r["reviewer"].name, r["reviewer"].organisation, r["reviewer"].conflict, *r["points"], r["total"],
             {"highest": _("highest"), "lowest": _("lowest")}.get(r["dropped"], "")]
            for r in result.rows
        ]  # fmt: skip
        rows.append(
            [
                _("Result (mean without the highest and lowest)"),
                "",
                "",
                *[""] * len(criteria),
                result.result,
                "",
            ]
        )
        headers = [
            _("Expert"),
            _("Organisation"),
            _("Conflict of interest"),
            *criteria,
            _("Total"),
            _("Dropped"),
        ]
        found.append((_("Evaluation"), headers, rows))
    return found


def workbook(project, request) -> FileResponse:
    from openpyxl import Workbook

    from zoneos.security.events import record
    from zoneos.security.models import EventKind

    words = yes_no()
    book = Workbook()
    book.remove(book.active)
    count = 0
    for title, headers, rows in sheets(project, request.user):
        _sheet(book, title, headers, rows, words)
        count += len(rows)
    record(EventKind.EXPORT, request, detail={"kind": "research-project", "format": "xlsx", "rows": count,
                                               "complete": True, "project": project.pk})  # fmt: skip
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    book.save(handle)
    handle.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        handle, as_attachment=True, filename=f"research-project-{project.pk}-{stamp}.xlsx", content_type=XLSX
    )
