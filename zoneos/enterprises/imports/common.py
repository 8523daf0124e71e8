"""What the registry's imports share (and the pipeline's and supervision's imports borrow): choice
lookups in both languages, the cells a row gives, money in yuan from `(cell, scale)`, counts, dates.

Blank means keep: a column the row does not give (absent from `row.values`, or a blank cell as the
engine before blank-means-keep passed it) never changes a stored value. A column present with None
(the mapping's "blank clears") clears what can be cleared.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import override
from django_countries import countries

from zoneos.core.codes import check_uscc
from zoneos.tabular.cells import BLANK_TOKENS, amount, is_blank, parse_sheet_date
from zoneos.tabular.engine import Row
from zoneos.tabular.readers import decimal, text

from ..models import CapitalOrigin, IndicatorSource, Status


def _choice_lookup(choices) -> dict[str, str]:
    """Accept a choice by its code, its Chinese label or its English label."""
    lookup = {}
    for value, label in choices:
        lookup[value.lower()] = value
        for language in ("zh-hans", "en"):
            with override(language):
                lookup[str(label).strip().lower()] = value
    return lookup


# Capital origins by every name a sheet gives them; each name maps to a CapitalOrigin value.
ORIGINS = _choice_lookup(CapitalOrigin.choices)
ORIGINS.update(
    {
        "内资": CapitalOrigin.DOMESTIC,
        "港资": CapitalOrigin.HONG_KONG,
        "澳资": CapitalOrigin.MACAO,
        "台资": CapitalOrigin.TAIWAN,
        "外资": CapitalOrigin.FOREIGN,
        "外商独资": CapitalOrigin.FOREIGN,
        "中外合资": CapitalOrigin.JOINT_VENTURE,
        "中外合作": CapitalOrigin.JOINT_VENTURE,
        "合资": CapitalOrigin.JOINT_VENTURE,
        "joint venture": CapitalOrigin.JOINT_VENTURE,
        "sino-foreign joint venture": CapitalOrigin.JOINT_VENTURE,
    }
)
ORIGINS = {k: str(v) for k, v in ORIGINS.items()}
STATUSES = _choice_lookup(Status.choices)
STATUSES.update(
    {"在营": Status.ACTIVE, "存续": Status.ACTIVE, "迁出": Status.MOVED_OUT, "注销": Status.DEREGISTERED}
)
SOURCES = _choice_lookup(IndicatorSource.choices)
YES = {"是", "yes", "y", "true", "1", "√", "✓", "规上", "有"}
NO = {"否", "no", "n", "false", "0", "×", "规下"}


def country_lookup() -> dict[str, str]:
    lookup = {}
    for language in ("zh-hans", "en"):
        with override(language):
            for code, name in countries:
                lookup[code.lower()] = code
                lookup[str(name).lower()] = code
    lookup.update({"美国": "US", "英国": "GB", "韩国": "KR", "德国": "DE", "日本": "JP", "新加坡": "SG"})
    return lookup


_country_lookup = country_lookup  # the name the imports used before


def unwrap(cell):
    return cell[0] if isinstance(cell, tuple) else cell


def given(row: Row, name: str) -> bool:
    """Whether the row says something about this column: present, and not a blank cell. None (the
    mapping's "blank clears") says "clear it"; "" or "—" from an engine that passed blanks says nothing."""
    value = row.values.get(name, row)
    if value is row:
        return False
    if value.__class__ is tuple:
        value = value[0]
    return value is None or not is_blank(value)


SHORTEST_TEXT = max(len(token) for token in BLANK_TOKENS)  # a longer text is no blank token
KEEP = object()  # what `read` gives for a column the row says nothing about


def read(values: dict, name: str):
    """The cell of `name` (unwrapped from `(cell, scale)`): KEEP when the row says nothing about it
    (absent, or a blank an older engine passed), None when the mapping's "blank clears" clears it."""
    value = values.get(name, KEEP)
    if value is KEEP or value is None:
        return value
    if value.__class__ is tuple:
        value = value[0]
        if value is None:
            return None
    if value.__class__ is str:  # is_blank, inlined: this runs for every cell of every row
        stripped = value.strip()
        if not stripped or (len(stripped) <= SHORTEST_TEXT and stripped.lower() in BLANK_TOKENS):
            return KEEP
    return value


def cleared(row: Row, name: str) -> bool:
    return unwrap(row.values.get(name)) is None


def parse_date(value) -> datetime.date | None:
    """The day a cell names (its first day when the sheet gives a month, "2005年3月", or a year);
    Excel serials and date cells too. None for a blank; ValueError otherwise."""
    found = parse_sheet_date(value)
    return found.on if found else None


def _money(row: Row, name: str):
    """The amount in yuan: the engine gives `(cell, scale)` (scale: the header's, the mapping's or the
    sheet's unit); a bare cell is in yuan only from an engine that checked the unit before."""
    cell = row.values.get(name)
    scale = None
    if isinstance(cell, tuple):
        cell, scale = cell
    if is_blank(cell):
        return None
    try:
        return amount(cell, scale)
    except ValueError as exc:
        row.error(name, exc)
        return None


def _count(row: Row, name: str) -> int | None:
    cell = unwrap(row.values.get(name))
    if is_blank(cell):
        return None
    try:
        value = decimal(cell)
    except ValueError as exc:
        row.error(name, exc)
        return None
    if value is None:
        return None
    if value != value.to_integral_value() or value < 0 or value > 2**31 - 1:
        row.error(name, _("Give a whole number of zero or more."))
        return None
    return int(value)


def yes_no(row: Row, name: str) -> bool | None:
    """是/否 (yes/no, √, 规上/规下...); None for a blank, a row error for anything else."""
    raw = text(unwrap(row.values.get(name))).lower()
    if is_blank(raw):
        return None
    if raw in YES:
        return True
    if raw in NO:
        return False
    row.error(name, _("Answer yes (是) or no (否), or leave empty."))
    return None


def _limited(row: Row, name: str, limit: int) -> str:
    value = text(unwrap(row.values.get(name)))
    if len(value) > limit:
        row.error(name, _("At most %(n)d characters.") % {"n": limit})
    return value


def _uscc(row: Row) -> str:
    result = check_uscc(text(unwrap(row.values.get("uscc"))))
    if not result.code:
        row.error("uscc", _("The unified social credit code is required."))
    elif not result.ok:
        row.error("uscc", " ".join(result.errors))
    return result.code


def has_error(row: Row, name: str) -> bool:
    return any(column == name for column, _message in row.errors)
