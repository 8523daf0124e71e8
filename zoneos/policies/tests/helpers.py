"""Building enterprises with figures for the policies' tests, and running a tree on both back ends."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from zoneos.enterprises.models import Enterprise, Indicator, Label
from zoneos.testing.factories import AreaFactory

from .. import criteria as c
from .. import evaluate as py
from .. import metrics, sql
from ..models import DeclaredFact
from ..variables import Facts, SqlContext

FIGURE_NAMES = (
    "revenue",
    "main_business_revenue",
    "output_value",
    "tax_paid",
    "rd_expense",
    "exports",
    "employees",
    "rd_staff",
    "invention_patents",
)


def make_enterprise(
    area=None, *, figures=None, labels=(), facts=None, unverified=None, emerging=(), **fields
) -> Enterprise:
    """An enterprise with yearly figures `{year: {name: value}}`, labels `[(kind, from, to)]`,
    verified declared facts `{(name, year): value}` and `unverified` ones (declared, awaiting staff),
    written directly (the metrics refreshed after)."""
    area = area or AreaFactory()
    fields.setdefault("name", "测试企业")
    enterprise = Enterprise.objects.create(area=area, **fields)
    for year, values in (figures or {}).items():
        values = {
            k: (Decimal(str(v)) if k not in ("employees", "rd_staff", "invention_patents") else v)
            for k, v in values.items()
            if v is not None
        }
        Indicator.objects.create(enterprise=enterprise, year=int(year), **values)
    for kind, valid_from, valid_to in labels:
        Label.objects.create(enterprise=enterprise, kind=kind, valid_from=valid_from, valid_to=valid_to)
    verified_at = timezone.now()
    for declared, when in ((facts, verified_at), (unverified, None)):
        for (name, year), value in (declared or {}).items():
            DeclaredFact.objects.create(
                enterprise=enterprise,
                variable=name,
                year=year,
                value=Decimal(str(value)),
                verified_at=when,
            )
    if emerging:
        from zoneos.enterprises.models import EmergingIndustry

        enterprise.emerging_industries.set(EmergingIndustry.objects.filter(code__in=emerging))
    metrics.refresh(enterprise_ids=[enterprise.pk])
    return enterprise


def both(tree: dict, enterprise, on: datetime.date) -> tuple[dict, dict]:
    """The root code and the leaf codes by id, from the Python and from the SQL back end."""
    tree = c.prepare(tree, on)
    code, trace = py.evaluate(
        tree, Facts.load(Enterprise.objects.select_related("area").get(pk=enterprise.pk), on)
    )
    python = {"$": code, **{row["id"]: _code(row["result"]) for row in trace}}
    ctx = SqlContext(on)
    annotations = {"root": sql.root_code(tree, ctx)}
    for i, leaf in enumerate(c.leaves(tree)):
        annotations[f"l{i}"] = sql.code(leaf, ctx)
    met_q = sql.met(tree, ctx)
    queryset = sql.annotate(Enterprise.objects.filter(pk=enterprise.pk), ctx)
    row = queryset.annotate(**annotations).values(*annotations).get()
    database = {
        "$": row["root"],
        **{c.criterion(leaf).get("id"): row[f"l{i}"] for i, leaf in enumerate(c.leaves(tree))},
    }
    database["met"] = queryset.filter(met_q).exists()
    return python, database


def _code(name: str) -> int:
    return {v: k for k, v in c.LEAF_NAMES.items()}[name]
