"""Spreadsheet imports of the registry: enterprises (upsert on USCC, with the year's figures and labels
a registry list carries) and yearly figures (upsert on USCC and year). The checks are those of the
services (same messages, same rules); the writes are batched per chunk, with a history row per record
attributed to the importing user.

Blank means keep: a column a row does not give never changes a stored value; the defaults (domestic,
active, source "import") apply on creation only; a column the mapping says a blank clears clears.
"""

from django.utils.translation import gettext_lazy

from zoneos.tabular.engine import register

from .common import (
    NO,
    ORIGINS,
    SOURCES,
    STATUSES,
    YES,
    _choice_lookup,
    _count,
    _country_lookup,
    _limited,
    _money,
    _uscc,
    parse_date,
)
from .enterprises import ENTERPRISE_COLUMNS, ENTERPRISE_TRACKED, EnterpriseSpec
from .figures import COUNT_FIELDS, FIGURE_COLUMNS, FIGURE_FIELDS, MONEY_FIELDS, IndicatorSpec

__all__ = [
    "COUNT_FIELDS",
    "ENTERPRISE_COLUMNS",
    "ENTERPRISE_TRACKED",
    "FIGURE_COLUMNS",
    "FIGURE_FIELDS",
    "MONEY_FIELDS",
    "NO",
    "ORIGINS",
    "SOURCES",
    "STATUSES",
    "YES",
    "EnterpriseSpec",
    "IndicatorSpec",
    "_choice_lookup",
    "_count",
    "_country_lookup",
    "_limited",
    "_money",
    "_uscc",
    "parse_date",
]

register(EnterpriseSpec(), label=gettext_lazy("Enterprises"), file_names=("企业名录", "enterprises"))
register(IndicatorSpec(), label=gettext_lazy("Yearly figures"), file_names=("年度指标", "figures"))
