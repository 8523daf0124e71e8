"""A chain as an xlsx workbook, both ways: `export` writes its links (a row each, parents before their
parts, with the links each one feeds), `import_chain` reads such a sheet back as a new chain, a zone's or
a shared template. The columns are declared once (`COLUMNS`) for both. The file is read by the import
engine's reader (a child process under a memory limit: a hostile file is refused, never taken in), and
the chain is written through the services: all of it, or nothing with the row and column named.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zoneos.core.text import ControlCharacter
from zoneos.core.text import clean as clean_text
from zoneos.enterprises.imports.common import _choice_lookup
from zoneos.tabular.export import safe
from zoneos.tabular.readers import FileError, normal, open_table, text

from . import services
from .coverage import tree_order
from .models import Chain, Link, Segment

MAX_LINKS = 500
SEPARATORS = re.compile(r"[、,，;；/\s]+")
YES = {"是", "yes", "y", "true", "1", "√", "✓"}


@dataclass(frozen=True)
class Column:
    field: str
    zh: str
    en: str
    width: int = 12


COLUMNS = [
    Column("code", "环节代码", "Code"),
    Column("parent", "上级环节代码", "Parent code", 14),
    Column("name", "环节名称", "Name", 24),
    Column("name_en", "英文名称", "English name", 28),
    Column("segment", "链段", "Segment", 10),
    Column("industry_codes", "行业代码", "Industry codes", 18),
    Column("keywords", "关键词", "Keywords", 28),
    Column("weight", "权重", "Weight", 8),
    Column("bottleneck", "卡脖子", "Bottleneck", 8),
    Column("benchmark_share", "基准占比%", "Benchmark share %", 10),
    Column("benchmark_source", "占比来源", "Benchmark source", 16),
    Column("feeds", "供给至", "Feeds", 18),
]
HEADERS = {normal(h): c.field for c in COLUMNS for h in (c.zh, c.en, c.field)}


def _segments() -> dict[str, str]:
    return {k: str(v) for k, v in _choice_lookup(Segment.choices).items()}


def _english() -> bool:
    return (get_language() or "").startswith("en")


def export(chain: Chain) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    links = tree_order(list(chain.links.all()))
    codes = {link.pk: link.code for link in links}
    feeds: dict[int, list[str]] = {}
    for edge in chain.edges.all():
        feeds.setdefault(edge.source_id, []).append(codes[edge.target_id])
    book = Workbook()
    sheet = book.active
    sheet.title = "links"
    sheet["A1"] = safe(f"{chain.name}（{chain.code}）{chain.name_en}")
    sheet["A1"].font = Font(bold=True, size=13)
    for col, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=2, column=col, value=column.zh if not _english() else column.en)
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="E7ECF3")
    for row, link in enumerate(links, start=3):
        values = {
            "code": link.code,
            "parent": codes.get(link.parent_id, ""),
            "name": link.name,
            "name_en": link.name_en,
            "segment": str(link.get_segment_display()),
            "industry_codes": "、".join(link.industry_codes),
            "keywords": "、".join(link.keywords),
            "weight": float(link.weight),
            "bottleneck": _("Yes") if link.bottleneck else "",
            "benchmark_share": None if link.benchmark_share is None else float(link.benchmark_share),
            "benchmark_source": link.benchmark_source,
            "feeds": "、".join(feeds.get(link.pk, [])),
        }
        for col, column in enumerate(COLUMNS, start=1):
            value = values[column.field]
            sheet.cell(row=row, column=col, value=safe(value) if isinstance(value, str) else value)
    for col, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[chr(64 + col)].width = column.width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rows(upload) -> list[dict]:
    """The sheet's links as {field: text}, each with its row number; a FileError or a ValidationError
    naming `file` otherwise."""
    try:
        table = open_table(upload, upload.name, known_headers=frozenset(HEADERS))
    except FileError as exc:
        raise ValidationError({"file": [str(exc)]}) from None
    try:
        fields = [HEADERS.get(normal(h)) for h in table.headers]
        named = {f: h for f, h in zip(fields, table.headers, strict=True) if f}  # as the sheet writes them
        missing = [c.zh for c in COLUMNS if c.field in ("code", "name", "segment") and c.field not in fields]
        if missing:
            raise ValidationError(
                {"file": [_("The sheet lacks the columns %(names)s.") % {"names": "、".join(missing)}]}
            )
        rows = []
        for number, cells in table.rows:
            row = {"_row": number, "_headers": named}
            for f, value in zip(fields, cells, strict=False):
                if f:
                    try:
                        row[f] = clean_text(text(value))
                    except ControlCharacter as exc:
                        raise _cell_error(row, f, exc) from None
            if any(row[f] for f in row if not f.startswith("_")):
                rows.append(row)
            if len(rows) > MAX_LINKS:
                raise ValidationError({"file": [_("At most %(n)d links.") % {"n": MAX_LINKS}]})
        return rows
    finally:
        table.close()


def _cell_error(row: dict, field: str, message) -> ValidationError:
    header = row["_headers"].get(field) or next(
        c.zh if not _english() else c.en for c in COLUMNS if c.field == field
    )
    return ValidationError(
        {
            "file": [
                _("Row %(row)d, %(column)s: %(message)s")
                % {"row": row["_row"], "column": header, "message": message}
            ]
        }
    )


@transaction.atomic
def import_chain(upload, *, by, **chain_fields) -> Chain:
    """A new chain (`chain_fields`: code, name, name_en, area, description) with the sheet's links and
    supply relations; nothing is written when one row is wrong."""
    rows = _rows(upload)
    if not rows:
        raise ValidationError({"file": [_("The sheet holds no links.")]})
    segments = _segments()
    by_code: dict[str, dict] = {}
    for row in rows:
        code = row.get("code", "")
        if not code:
            raise _cell_error(row, "code", _("The code is required."))
        if code in by_code:
            raise _cell_error(
                row, "code", _("The code is already on row %(row)d.") % {"row": by_code[code]["_row"]}
            )
        by_code[code] = row
        segment = segments.get(row.get("segment", "").lower())
        if segment is None:
            raise _cell_error(
                row, "segment", _("Write upstream, midstream or downstream (上游, 中游, 下游).")
            )
        row["segment"] = segment
        if row.get("parent") and row["parent"] not in {r.get("code") for r in rows}:
            raise _cell_error(row, "parent", _("No link of the sheet has this code."))
        for code_ in SEPARATORS.split(row.get("feeds", "")):
            if code_ and code_ not in {r.get("code") for r in rows}:
                raise _cell_error(
                    row, "feeds", _("No link of the sheet has the code “%(code)s”.") % {"code": code_}
                )
    chain = services.create_chain(by=by, **chain_fields)
    links: dict[str, Link] = {}
    pending = list(rows)
    while pending:
        ready = [r for r in pending if not r.get("parent") or r["parent"] in links]
        if not ready:
            raise _cell_error(pending[0], "parent", _("The parent links form a loop."))
        for row in ready:
            try:
                weight = Decimal(row.get("weight") or "1")
            except InvalidOperation:
                raise _cell_error(row, "weight", _("Write a number such as 1 or 1.5.")) from None
            try:
                share = Decimal(row.get("benchmark_share", "").strip().rstrip("%") or "NaN")
            except InvalidOperation:
                raise _cell_error(row, "benchmark_share", _("Write a per cent such as 12.5.")) from None
            try:
                links[row["code"]] = services.create_link(
                    chain,
                    by=by,
                    code=row["code"],
                    parent=links.get(row.get("parent", "")),
                    name=row.get("name", ""),
                    name_en=row.get("name_en", ""),
                    segment=row["segment"],
                    industry_codes=[c for c in SEPARATORS.split(row.get("industry_codes", "")) if c],
                    keywords=[k for k in SEPARATORS.split(row.get("keywords", "")) if k],
                    weight=weight,
                    bottleneck=row.get("bottleneck", "").strip().lower() in YES | {_("Yes").lower()},
                    benchmark_share=None if share.is_nan() else share,
                    benchmark_source=row.get("benchmark_source", ""),
                    position=len(links),
                )
            except ValidationError as exc:
                field, messages = next(iter(exc.message_dict.items()))
                column = field if field in {c.field for c in COLUMNS} else "name"
                raise _cell_error(row, column, " ".join(messages)) from None
        pending = [r for r in pending if r["code"] not in links]
    for row in rows:
        for target in SEPARATORS.split(row.get("feeds", "")):
            if target:
                services.add_edge(chain, source=links[row["code"]], target=links[target], by=by)
    return chain
