"""The demo-like zone the corpus is written for: its parks (and the short names staff write), the
enterprises, projects and key projects already on record, and what they hold before an import.

Plain data, no database: the builders write sheets from it and the tests' fixture seeds it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from zoneos.core.codes import build_uscc

ZONE = ("DJ", "东江高新技术产业开发区", "Dongjiang High-tech Industrial Development Zone")
ZONE_SHORT = "东江高新区"


@dataclass(frozen=True)
class Park:
    code: str
    name: str
    name_en: str
    short: str  # what the sheets call it


KECHUANG = Park("DJ-KC", "科创高新技术产业园区", "Kechuang Hi-tech Park", "科创园")
ZHIZAO = Park("DJ-ZZ", "智能制造产业园区", "Smart Manufacturing Park", "智能制造园")
XINCAI = Park("DJ-XC", "新材料产业园区", "New Materials Park", "新材料园")
PARKS = (KECHUANG, ZHIZAO, XINCAI)


def uscc(n: int) -> str:
    """A valid unified social credit code (Huizhou's division code), one per corpus enterprise."""
    return build_uscc("9", "1", "441300", f"MA{n:02d}DJ{n:02d}")


def wan(text: str) -> Decimal:
    """万元 as a sheet writes it, in yuan."""
    return (Decimal(text) * 10_000).quantize(Decimal("0.01"))


@dataclass(frozen=True, eq=False)  # compared and hashed as themselves: they key the sheets' tables
class Enterprise:
    key: str
    uscc: str
    name: str
    park: Park
    industry_code: str
    registered_on: datetime.date | None = None
    registered_capital: Decimal | None = None
    capital_origin: str = "domestic"
    figures: dict = field(default_factory=dict)  # year -> {field: value} on record before any import


# On record before any import.
JINGMI = Enterprise(
    "A",
    uscc(1),
    "东江精密模具有限公司",
    KECHUANG,
    "3525",
    datetime.date(2012, 6, 18),
    wan("4000"),
    figures={
        2024: {
            "revenue": wan("56000"),
            "output_value": wan("52000"),
            "tax_paid": wan("2100"),
            "employees": 398,
        }
    },
)
DIANCHI = Enterprise(
    "B",
    uscc(2),
    "东江新能源电池科技有限公司",
    ZHIZAO,
    "3841",
    datetime.date(2005, 3, 1),
    wan("12000"),
    "hong_kong",
    figures={2024: {"revenue": wan("130200"), "tax_paid": wan("4860")}},
)
ZHILIAN = Enterprise(
    "F",
    uscc(6),
    "东江智联汽车电子有限公司",
    ZHIZAO,
    "3670",
    datetime.date(2017, 9, 12),
    wan("2000"),
    figures={2024: {"revenue": wan("31200"), "output_value": wan("29800"), "tax_paid": wan("987")}},
)
SHENGWU = Enterprise("G", uscc(7), "东江生物医药科技有限公司", KECHUANG, "2761", datetime.date(2020, 4, 2))
ON_RECORD = (JINGMI, DIANCHI, ZHILIAN, SHENGWU)

# New to the registry: the registry list brings them.
HUADE = Enterprise("C", uscc(3), "东江华德光电股份有限公司", XINCAI, "3976")
YUNZHI = Enterprise("D", uscc(4), "东江云智软件有限公司", KECHUANG, "6513")
LVYUAN = Enterprise("E", uscc(5), "东江绿源环保材料有限公司", XINCAI, "2929")


@dataclass(frozen=True)
class Project:
    """An investment project on record as a lead."""

    name: str
    investor: str
    park: Park
    lead_on: datetime.date
    total_investment: Decimal


PILOT_BASE = Project(
    "生物医药研发中试基地项目", "东江生物医药科技有限公司", KECHUANG, datetime.date(2024, 1, 10), wan("30000")
)
PROJECTS_ON_RECORD = (PILOT_BASE,)


@dataclass(frozen=True)
class KeyProject:
    """A key project of the 2026 plan, with the completed investment reported for February (covering
    January too) to September, in yuan as typed on the plan page."""

    name: str
    park: Park
    annual_plan: Decimal
    reported: tuple[Decimal, ...]  # months 2..9

    @property
    def reported_total(self) -> Decimal:
        return sum(self.reported, Decimal(0))


def _months(total: Decimal) -> tuple[Decimal, ...]:
    """Eight reports adding up to `total`, in uneven yuan amounts as months are."""
    shares = (Decimal("0.19"), Decimal("0.11"), Decimal("0.13"), Decimal("0.09"), Decimal("0.14"))
    shares += (Decimal("0.12"), Decimal("0.10"))
    months = [(total * s).quantize(Decimal("1")) + Decimal(k * 7 + 3) for k, s in enumerate(shares)]
    return (*months, total - sum(months))


# Year-to-date through October as the park's sheet gives it (万元, two decimals), October's own
# figure, and the gap in yuan between the sheet's rounded cumulative and the exact sum of the stored
# reports plus October: 8 to 85 yuan, below the sheet's precision of 0.01 万元 (100 yuan).
KEY_PROJECT_SHEET = (
    # (name, park, annual plan 万元, 1-10月累计 万元, 本月完成 万元, gap yuan)
    ("精密模具扩产项目", KECHUANG, "9000", "7215.36", "784.22", 8),
    ("人工智能算力中心项目", KECHUANG, "15000", "12480.05", "1360.40", 23),
    ("生物医药产业化基地项目", KECHUANG, "6000", "4102.87", "395.60", 47),
    ("新能源电池二期项目", ZHIZAO, "30000", "25630.18", "2914.75", 85),
    ("汽车电子智能工厂项目", ZHIZAO, "8000", "6011.90", "0", 61),
)


def _key_project(name, park, plan, cumulative, october, gap) -> KeyProject:
    before = wan(cumulative) - wan(october) - gap
    return KeyProject(name, park, wan(plan), _months(before))


KEY_PROJECTS = tuple(_key_project(*row) for row in KEY_PROJECT_SHEET)
