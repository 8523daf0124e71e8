"""The investment attraction map (招商图谱) of a chain in an area, as the A4 PDF and the xlsx workbook a
zone's investment bureau hands out: the chain chief, each link's strength with its leading enterprises
and figures, and for every weak or missing link the ranked targets to court with their reasons; then the
targets already courted. One dict (`map_data`), read through the caller's scope, feeds both files.
"""

from __future__ import annotations

import io
import logging
from collections import defaultdict
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import scope
from zoneos.chains import coverage as cover
from zoneos.chains import targets
from zoneos.chains.models import Placement, Role, Segment, Strength
from zoneos.core import money
from zoneos.core.roles import VIEW

from .briefing import HEX

TARGETS_PER_GAP = 5
STRENGTH_HEX = {
    Strength.STRONG: HEX["success"],
    Strength.WEAK: HEX["warning"],
    Strength.MISSING: HEX["danger"],
}


def _leading(chain, area, user) -> dict[int, list[str]]:
    """{link: names of its chain leaders and key enterprises} the caller sees in the area."""
    rows = (
        scope(Placement.objects.filter(link__chain=chain, role__in=[Role.LEADER, Role.KEY]), user, VIEW)
        .in_subtree(area)
        .filter(enterprise__isnull=False)
        .order_by("role", "enterprise__name")
        .values_list("link_id", "enterprise__name")
    )
    out: dict[int, list[str]] = defaultdict(list)
    for link, name in rows:
        out[link].append(name)
    return out


def map_data(chain, area, user, *, year: int) -> dict:
    on = timezone.localdate()
    result = cover.coverage(chain, area, user, year=year, on=on)
    leading = _leading(chain, area, user)
    links = {link.pk: link for link in chain.links.all()}
    depth = {}
    for row in result["links"]:
        depth[row["link"]] = 0 if row["parent"] is None else depth.get(row["parent"], 0) + 1
    rows = [
        {
            **row,
            "depth": depth[row["link"]],
            "segment_label": str(Segment(row["segment"]).label),
            "strength_label": str(Strength(row["strength"]).label),
            "color": STRENGTH_HEX[row["strength"]],
            "output": money.in_unit(Decimal(row["output_value"]), "large"),
            "projects_total": sum(row["projects"].values()),
            "leading": leading.get(row["link"], []),
        }
        for row in result["links"]
    ]
    parents = {r["parent"] for r in rows if r["parent"]}
    # Every leaf link with a gap: weak or missing, or strong by its count but under its benchmark share.
    gaps = sorted(
        (r for r in rows if r["link"] not in parents and Decimal(r["gap"]) > 0),
        key=lambda r: (-Decimal(r["gap"]), r["code"]),
    )
    for gap in gaps:
        ranked = targets.rank(links[gap["link"]], area, user)[:TARGETS_PER_GAP]
        gap["targets"] = [
            {
                "name": t["candidate"].name,
                "place": f"{t['candidate'].province}{t['candidate'].city}",
                "points": t["points"],
                "reasons": "; ".join(r["text"] for r in t["reasons"]),
            }
            for t in ranked
        ]
    english = (get_language() or "").startswith("en")
    return {
        "english": english,
        "html_lang": "en" if english else "zh-CN",
        "chain": chain.label,
        "code": chain.code,
        "area": area.label,
        "year": year,
        "generated": on,
        "chief": chain.chief.label if chain.chief else "",
        "chief_title": chain.chief_title,
        "department": chain.lead_department.label if chain.lead_department else "",
        "totals": result["totals"],
        "gap_score": "—"
        if result["totals"]["gap_score"] is None
        else money.percent(result["totals"]["gap_score"]),
        "thresholds": result["thresholds"],
        "rows": rows,
        "gaps": gaps,
        "followed": [
            {
                "name": f["candidate"].name,
                "project": f["project"].name,
                "area": f["project"].area.label,
                "stage": str(f["project"].get_stage_display()),
                "landed_on": f["landed_on"],
            }
            for f in targets.followed(chain, user)
        ],
        "unit": money.unit_name("large"),
    }


def file_name(data: dict, extension: str) -> str:
    title = "attraction-map" if data["english"] else "招商图谱"
    return f"{data['chain']}-{data['area']}-{title}-{data['year']}.{extension}"


def render_pdf(data: dict) -> bytes:
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML  # heavy: imported only where a PDF is made

    return HTML(string=render_to_string("reports/chain_map_pdf.html", data)).write_pdf()


def render_xlsx(data: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from .workbook import COUNT, MONEY, _table, _widths

    book = Workbook()
    sheet = book.active
    sheet.title = _("Links")[:31]
    sheet["A1"] = f"{data['chain']} · {data['area']} · {data['year']}"
    sheet["A1"].font = Font(bold=True, size=14)
    totals = data["totals"]
    sheet["A2"] = _("Gap score %(score)s; strong %(s)s, weak %(w)s, missing %(m)s of %(n)s links.") % {
        "score": data["gap_score"],
        "s": totals["strong"],
        "w": totals["weak"],
        "m": totals["missing"],
        "n": totals["links"],
    }
    headers = [
        _("Link"),
        _("Segment"),
        _("Strength"),
        _("Enterprises"),
        _("Above designated size"),
        _("High-tech"),
        f"{_('Output value')} ({data['unit']})",
        _("Projects"),
        _("Key projects"),
        _("Gap"),
        _("Chain leaders and key enterprises"),
    ]
    rows = [
        [
            "　" * r["depth"] + r["name"],
            r["segment_label"],
            r["strength_label"],
            r["enterprises"],
            r["above_designated_size"],
            r["high_tech"],
            r["output"],
            r["projects_total"],
            r["key_projects"],
            Decimal(r["gap"]),
            "、".join(r["leading"]),
        ]
        for r in data["rows"]
    ]
    _table(sheet, 4, headers, rows, [None, None, None, COUNT, COUNT, COUNT, MONEY, COUNT, COUNT, MONEY, None])
    for index, r in enumerate(data["rows"], start=5):
        cell = sheet.cell(row=index, column=3)
        cell.fill = PatternFill("solid", fgColor=r["color"].lstrip("#"))
        cell.font = Font(bold=True, color="FFFFFF")
        cell.alignment = Alignment(horizontal="center")
    _widths(sheet, [30, 10, 10, 10, 12, 10, 16, 10, 10, 8, 40])

    wanted = book.create_sheet(_("Targets")[:31])
    target_rows = [
        [gap["name"], gap["strength_label"], t["name"], t["place"], t["points"], t["reasons"]]
        for gap in data["gaps"]
        for t in gap["targets"]
    ]
    _table(
        wanted,
        1,
        [_("Link"), _("Strength"), _("Enterprise"), _("Place"), pgettext("target rank", "Score"), _("Why")],
        target_rows,
        [None, None, None, None, COUNT, None],
    )
    _widths(wanted, [20, 10, 32, 14, 8, 70])
    courted = book.create_sheet(_("Targets in the pipeline")[:31])
    _table(
        courted,
        1,
        [_("Enterprise"), _("Project"), _("Area"), _("Stage"), _("Landed")],
        [[f["name"], f["project"], f["area"], f["stage"], f["landed_on"]] for f in data["followed"]],
        [None, None, None, None, "yyyy-mm-dd"],
    )
    _widths(courted, [32, 36, 20, 14, 12])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
