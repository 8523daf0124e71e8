"""The variables rules speak of, each defined once: its label, its documentation, its Python form (read
from one enterprise's `Facts` on a date) and its SQL form (an expression over the enterprise row, its
metrics row of the year and its labels and declared facts), served at GET /api/v1/policy-variables/.

Figures are those of the last full year before the date (`year = on.year - 1`). A ratio is a pair
(numerator, denominator) compared by multiplication: `num / den >= t` is `num >= t × den` with
`den > 0`, so the database never divides and a missing or zero denominator is unknown, never a crash.
A growth is `num / den - 1` (offset 1); a two-year average growth is the geometric mean
`(num / den) ^ (1/2) - 1` (power 2), compared as `num >= (1 + t)^2 × den`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneos.enterprises.models import CapitalOrigin, Label, LabelKind, SizeClass

from .criteria import COMPARISONS, decimal


class Missing:
    """A value that is not known, with the facts that would make it known."""

    def __init__(self, *facts: str):
        self.facts = list(facts)

    def __repr__(self) -> str:
        return f"Missing({self.facts})"


@dataclass(frozen=True)
class Variable:
    name: str
    label: Promise
    kind: str  # money | count | ratio | bool | code | area | emerging | age | fact
    doc: str
    sql_doc: str
    column: str = ""  # metrics column, enterprise field or declared fact name
    num: str = ""  # ratio: the variables over which it is computed
    den: str = ""
    offset: int = 0
    power: int = 1
    choices: tuple = ()
    label_kind: str = ""

    @property
    def numeric(self) -> bool:
        return self.kind in ("money", "count", "ratio", "age", "fact")

    @property
    def ratio(self) -> bool:
        return self.kind == "ratio"

    @property
    def ops(self) -> tuple[str, ...]:
        if self.numeric:
            return COMPARISONS
        if self.kind == "bool":
            return ("==",)
        if self.kind == "code":
            return ("==", "in", "prefix")
        return ("in",)  # area, emerging

    def check_value(self, value, where, checker) -> None:
        try:
            if self.numeric:
                decimal(value)
                if self.kind == "age" and decimal(value) != int(decimal(value)):
                    raise ValueError(value)
                if self.power == 2 and decimal(value) < -1:
                    raise ValueError(value)
            elif self.kind == "bool":
                if not isinstance(value, bool):
                    raise ValueError(value)
            elif self.kind in ("code", "area", "emerging"):
                items = value if isinstance(value, list) else [value]
                if not items or not all(isinstance(v, str | int) and not isinstance(v, bool) for v in items):
                    raise ValueError(value)
        except ValueError:
            checker.fail(
                where, _("%(value)s is not a value for %(var)s.") % {"value": value, "var": self.name}
            )

    def describe(self) -> dict:
        return {
            "name": self.name,
            "label": str(self.label),
            "kind": self.kind,
            "ops": list(self.ops),
            "doc": self.doc,
            "sql": self.sql_doc,
            "choices": [list(c) for c in self.choices],
        }


FIGURES = (
    ("revenue", gettext_lazy("Revenue"), "money"),
    ("main_business_revenue", gettext_lazy("Main business revenue"), "money"),
    ("output_value", gettext_lazy("Output value"), "money"),
    ("tax_paid", gettext_lazy("Tax paid"), "money"),
    ("rd_expense", gettext_lazy("R&D expense"), "money"),
    ("exports", gettext_lazy("Exports"), "money"),
    ("employees", gettext_lazy("Employees"), "count"),
    ("rd_staff", gettext_lazy("R&D staff"), "count"),
    ("invention_patents", gettext_lazy("Invention patents"), "count"),
)
# Facts the registry does not hold, declared per year with evidence (DeclaredFact.variable).
DECLARED = (
    ("debt_ratio", gettext_lazy("Debt ratio (declared)"), "A fraction: 0.55 is 55 %."),
    (
        "high_tech_product_share",
        gettext_lazy("High-tech product revenue share (declared)"),
        "A fraction of revenue.",
    ),
    (
        "class1_ip",
        gettext_lazy("Class-I IP count (declared)"),
        "Invention patents and other class-I IP in force.",
    ),
    ("niche_years", gettext_lazy("Years in a niche market (declared)"), "Whole years."),
    (
        "equity_financing_2y",
        gettext_lazy("Equity financing in two years, yuan (declared)"),
        "Paid in by qualified investors.",
    ),
    (
        "equity_financing_3y",
        gettext_lazy("Equity financing in three years, yuan (declared)"),
        "Paid in by qualified investors (the innovative SME's direct route).",
    ),
)

VARIABLES: dict[str, Variable] = {}


def _add(var: Variable) -> None:
    VARIABLES[var.name] = var


for _name, _label, _kind in FIGURES:
    _add(
        Variable(
            _name,
            _label,
            _kind,
            f"{_name} of the last full year before the date; unknown when that year has no figures.",
            f"metrics.{_name} where metrics.year = date.year - 1",
            column=_name,
        )
    )
_add(
    Variable(
        "revenue_3y",
        gettext_lazy("Revenue over three years"),
        "money",
        "Revenue of the last three full years (an enterprise younger than three years: the years since "
        "its registration); unknown when one of those years has no revenue.",
        "metrics.revenue_3y (kept by the figure writers)",
        column="revenue_3y",
    )
)
_add(
    Variable(
        "rd_expense_3y",
        gettext_lazy("R&D expense over three years"),
        "money",
        "R&D expense over the same years as revenue_3y.",
        "metrics.rd_expense_3y",
        column="rd_expense_3y",
    )
)
_add(
    Variable(
        "rd_ratio_3y",
        gettext_lazy("R&D ratio over three years"),
        "ratio",
        "rd_expense_3y / revenue_3y (high-tech enterprise, article 11).",
        "rd_expense_3y op t × revenue_3y, revenue_3y > 0",
        num="rd_expense_3y",
        den="revenue_3y",
    )
)
_add(
    Variable(
        "rd_expense_prev",
        gettext_lazy("Previous year's R&D expense"),
        "money",
        "R&D expense of the year before the last full year.",
        "metrics.rd_expense_prev",
        column="rd_expense_prev",
    )
)
_add(
    Variable(
        "rd_expense_2y",
        gettext_lazy("R&D expense over two years"),
        "money",
        "R&D expense of the last two full years; unknown when either has none (little giant, 2026).",
        "metrics.rd_expense_2y",
        column="rd_expense_2y",
    )
)
_add(
    Variable(
        "rd_ratio_prev",
        gettext_lazy("Previous year's R&D ratio"),
        "ratio",
        "rd_expense / revenue of the year before the last full year (with rd_ratio: each of the last two "
        "years).",
        "rd_expense_prev op t × revenue_prev, revenue_prev > 0",
        num="rd_expense_prev",
        den="revenue_prev",
    )
)
_add(
    Variable(
        "rd_ratio",
        gettext_lazy("R&D ratio of the year"),
        "ratio",
        "rd_expense / revenue of the last full year.",
        "rd_expense op t × revenue, revenue > 0",
        num="rd_expense",
        den="revenue",
    )
)
_add(
    Variable(
        "main_business_share",
        gettext_lazy("Main business share of revenue"),
        "ratio",
        "main_business_revenue / revenue.",
        "main_business_revenue op t × revenue, revenue > 0",
        num="main_business_revenue",
        den="revenue",
    )
)
_add(
    Variable(
        "rd_staff_share",
        gettext_lazy("R&D staff share"),
        "ratio",
        "rd_staff / employees.",
        "rd_staff op t × employees, employees > 0",
        num="rd_staff",
        den="employees",
    )
)
_add(
    Variable(
        "revenue_growth",
        gettext_lazy("Revenue growth"),
        "ratio",
        "revenue / previous year's revenue − 1.",
        "revenue op (1 + t) × revenue_prev, revenue_prev > 0",
        num="revenue",
        den="revenue_prev",
        offset=1,
    )
)
_add(
    Variable(
        "revenue_growth_2y",
        gettext_lazy("Average revenue growth over two years"),
        "ratio",
        "(revenue / revenue two years before) ^ (1/2) − 1, the geometric mean (NBS).",
        "revenue op (1 + t)² × revenue_prev2, revenue_prev2 > 0",
        num="revenue",
        den="revenue_prev2",
        offset=1,
        power=2,
    )
)
_add(
    Variable(
        "revenue_prev",
        gettext_lazy("Previous year's revenue"),
        "money",
        "Revenue of the year before the last full year.",
        "metrics.revenue_prev",
        column="revenue_prev",
    )
)
_add(
    Variable(
        "revenue_prev2",
        gettext_lazy("Revenue two years before"),
        "money",
        "Revenue of the year two years before the last full year.",
        "metrics.revenue_prev2",
        column="revenue_prev2",
    )
)
_add(
    Variable(
        "age_years",
        gettext_lazy("Years since registration"),
        "age",
        "Whole years from the registration date to the date; unknown without a registration date.",
        "registered_on compared with the date shifted by the years",
    )
)
_add(
    Variable(
        "area",
        gettext_lazy("Area"),
        "area",
        "The enterprise's area lies in the subtree of one of the areas given (by id or code).",
        "area.path LIKE subtree path || '%'",
    )
)
_add(
    Variable(
        "industry_code",
        gettext_lazy("Industry code"),
        "code",
        "GB/T 4754 code; `prefix` matches a section's divisions, a division's groups.",
        "industry_code = / IN / LIKE prefix || '%'",
        column="industry_code",
    )
)
_add(
    Variable(
        "emerging_industry",
        gettext_lazy("Strategic emerging industry"),
        "emerging",
        "Tagged with one of the given emerging industry codes.",
        "EXISTS (tag with code IN (...))",
    )
)
_add(
    Variable(
        "size_class",
        gettext_lazy("Size class"),
        "code",
        "Size class of the last full year.",
        "metrics.size_class",
        column="size_class",
        choices=tuple(SizeClass.choices),
    )
)
_add(
    Variable(
        "capital_origin",
        gettext_lazy("Capital origin"),
        "code",
        "Where the capital comes from.",
        "enterprise.capital_origin",
        column="capital_origin",
        choices=tuple(CapitalOrigin.choices),
    )
)
_add(
    Variable(
        "above_designated_size",
        gettext_lazy("Above designated size"),
        "bool",
        "Above designated size in the last full year.",
        "metrics.above_designated_size",
        column="above_designated_size",
    )
)
for _kind, _label in LabelKind.choices:
    _add(
        Variable(
            f"label_{_kind}",
            _label,
            "bool",
            f"Holds a {_kind} label valid on the date.",
            "EXISTS (label of this kind valid on the date)",
            label_kind=_kind,
        )
    )
for _name, _label, _doc in DECLARED:
    _add(
        Variable(
            _name,
            _label,
            "fact",
            _doc + " Declared for the last full year, with evidence.",
            "declared fact of the year",
            column=_name,
        )
    )


# The Python form: one enterprise's facts on a date ---------------------------------------------------
@dataclass
class Facts:
    """Everything the Python form reads of one enterprise on one date (loaded in a few queries)."""

    enterprise: object
    on: datetime.date
    figures: dict[int, dict] = field(default_factory=dict)  # year → indicator values
    labels: list = field(default_factory=list)  # (kind, valid_from, valid_to)
    declared: dict = field(default_factory=dict)  # (variable, year) → Decimal, verified facts only
    emerging: set = field(default_factory=set)

    @property
    def year(self) -> int:
        return self.on.year - 1

    @classmethod
    def load(cls, enterprise, on: datetime.date) -> Facts:
        from zoneos.enterprises.models import Enterprise, Indicator

        from .models import DeclaredFact

        if not isinstance(enterprise, Enterprise):
            enterprise = Enterprise.objects.select_related("area").get(pk=enterprise)
        year = on.year - 1
        names = ("year", *(f for f, _l, _k in FIGURES), "above_designated_size", "size_class")
        rows = Indicator.objects.filter(enterprise=enterprise, year__gte=year - 2, year__lte=year).values(
            *names
        )
        facts = cls(enterprise, on, figures={r["year"]: r for r in rows})
        facts.labels = list(enterprise.labels.values_list("kind", "valid_from", "valid_to"))
        facts.declared = {
            (v, y): val
            for v, y, val in DeclaredFact.objects.filter(
                enterprise=enterprise, year=year, verified_at__isnull=False
            ).values_list("variable", "year", "value")
        }
        facts.emerging = set(enterprise.emerging_industries.values_list("code", flat=True))
        return facts

    # Figures ---------------------------------------------------------------------------------------
    def figure(self, name: str, year: int | None = None):
        year = self.year if year is None else year
        row = self.figures.get(year)
        value = None if row is None else row.get(name)
        return Missing(f"{name} {year}") if value is None else value

    def counted_years(self) -> list[int]:
        """The years of a three-year sum: the last three, or those since registration."""
        registered = self.enterprise.registered_on
        earlier = [y for y in (self.year - 2, self.year - 1) if registered is None or registered.year <= y]
        return [*earlier, self.year]

    def sum3(self, name: str):
        if self.year not in self.figures:
            return Missing(f"{name} {self.year}")
        values = [self.figure(name, y) for y in self.counted_years()]
        missing = [f for v in values if isinstance(v, Missing) for f in v.facts]
        return Missing(*missing) if missing else sum(values, Decimal(0))

    def sum2(self, name: str):
        values = [self.figure(name, y) for y in (self.year - 1, self.year)]
        missing = [f for v in values if isinstance(v, Missing) for f in v.facts]
        return Missing(*missing) if missing else sum(values, Decimal(0))

    def value(self, var: Variable):
        """The variable's value (a ratio: its pair), or Missing."""
        kind = var.kind
        if kind in ("money", "count"):
            if var.column.endswith("_3y"):
                return self.sum3(var.column.removesuffix("_3y"))
            if var.column.endswith("_2y"):
                return self.sum2(var.column.removesuffix("_2y"))
            name, _sep, back = var.column.partition("_prev")
            if _sep:
                # A row of the metrics exists for the years with figures: no row, no earlier year either.
                if self.year not in self.figures:
                    return Missing(f"{name} {self.year}")
                return self.figure(name, self.year - int(back or 1))
            return self.figure(var.column)
        if kind == "ratio":
            num, den = self.value(VARIABLES[var.num]), self.value(VARIABLES[var.den])
            missing = [f for v in (num, den) if isinstance(v, Missing) for f in v.facts]
            if missing:
                return Missing(*missing)
            if den <= 0:
                return Missing(f"{var.den} {self.year} > 0")
            return (Decimal(num), Decimal(den))
        if kind == "bool":
            if var.label_kind:
                return any(
                    k == var.label_kind and f <= self.on and (t is None or t >= self.on)
                    for k, f, t in self.labels
                )
            row = self.figures.get(self.year)
            return Missing(f"figures {self.year}") if row is None else bool(row[var.column])
        if kind == "code":
            if var.column == "size_class":
                row = self.figures.get(self.year)
                value = row["size_class"] if row else ""
            else:
                value = getattr(self.enterprise, var.column) or ""
            return value or Missing(f"{var.column}" + (f" {self.year}" if var.column == "size_class" else ""))
        if kind == "area":
            return self.enterprise.area.path
        if kind == "emerging":
            return self.emerging
        if kind == "age":
            registered = self.enterprise.registered_on
            if registered is None:
                return Missing("registered_on")
            return full_years(registered, self.on)
        if kind == "fact":
            value = self.declared.get((var.column, self.year))
            return Missing(f"{var.column} {self.year}") if value is None else value
        raise ValueError(kind)


def full_years(since: datetime.date, on: datetime.date) -> int:
    years = on.year - since.year
    if (on.month, on.day) < (since.month, since.day):
        years -= 1
    return years


def years_before(on: datetime.date, years: int) -> datetime.date:
    """The date `years` whole years before `on` (29 February falls back to the 28th)."""
    year = on.year - years
    try:
        return on.replace(year=year)
    except ValueError:
        return on.replace(year=year, day=28)


# The SQL form -------------------------------------------------------------------------------------
class SqlContext:
    """What compiled expressions refer to: the enterprise row, `pm` (its metrics row of the year) and
    one `df_<name>` per declared fact used. `relations()` are the FilteredRelations to annotate."""

    def __init__(self, on: datetime.date):
        self.on = on
        self.year = on.year - 1
        self.needed: dict = {}

    def metrics(self, column: str):
        from django.db.models import FilteredRelation

        self.needed.setdefault(
            "pm", FilteredRelation("policy_metrics", condition=Q(policy_metrics__year=self.year))
        )
        return F(f"pm__{column}")

    def fact(self, name: str):
        from django.db.models import FilteredRelation

        alias = f"df_{name}"
        self.needed.setdefault(
            alias,
            FilteredRelation(
                "declared_facts",
                # Verified facts only, as Facts.load reads them: a declared one waits for staff.
                condition=Q(
                    declared_facts__variable=name,
                    declared_facts__year=self.year,
                    declared_facts__verified_at__isnull=False,
                ),
            ),
        )
        return F(f"{alias}__value")

    def label(self, kind: str):
        valid = Q(valid_from__lte=self.on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=self.on))
        return Exists(Label.objects.filter(valid, enterprise=OuterRef("pk"), kind=kind))

    def expression(self, var: Variable):
        """The SQL form of a non-ratio variable (a ratio: `pair`)."""
        if var.kind in ("money", "count") or var.column in ("size_class", "above_designated_size"):
            return self.metrics(var.column)
        if var.kind == "bool":
            return self.label(var.label_kind)
        if var.kind == "fact":
            return self.fact(var.column)
        if var.kind == "code":
            return F(var.column)
        raise ValueError(var.kind)

    def pair(self, var: Variable):
        return self.expression(VARIABLES[var.num]), self.expression(VARIABLES[var.den])
