"""Matching both ways: which items an enterprise qualifies for, and which enterprises an item fits.

This is the public interface the rest of ZoneOS (applications, the automatic track, the calculator,
the API) calls; it hides the rule language (`criteria.py`), its two back ends (`evaluate.py` in Python
with a trace, `sql.py` to SQL) and the variables (`variables.py`).

``eligibility(enterprise, item, on) -> dict``
    The result of `item`'s rule version in force on the date `on` for one enterprise, evaluated in
    Python with a trace; the shape of one row of ``GET /api/v1/enterprises/{id}/eligibility/``::

        {
          "item": 12,                       # the PolicyItem's id
          "item_code": "fs-rd-award",
          "rule": 31,                       # the Rule (version) used; None when none is in force on `on`
          "result": "eligible" | "not_eligible" | "unknown" | "manual_review",
          "amount": "300000.00" | None,     # the benefit's estimate in yuan (decimal string), when eligible
                                            # or still open (unknown / manual_review); None otherwise
          "criteria": [                     # every leaf of the tree, in tree order
            {"id": "rd_ratio", "label": "...", "var": "rd_ratio_3y",
             "result": "met" | "unmet" | "unknown" | "manual_review" | "not_applicable",
             "actual": "0.0480" | None,     # strings; ratios as fractions with four decimals
             "required": ">= 0.0500",       # the operator and the threshold on that date
             "missing": ["rd_expense 2024"] # only when unknown: the facts that are missing
            }, ...
          ],
        }

    When no version is in force on `on`, ``result`` is "not_eligible", ``rule`` None and ``criteria``
    empty. `enterprise` is an Enterprise (or its id); `item` a PolicyItem (or its id); `on` a date.
    Scoping is the caller's business (the API answers 404 for an enterprise out of the user's scope).

``eligible_enterprises(item, on) -> QuerySet[Enterprise]``
    The enterprises whose result for `item` on `on` is "eligible" (not unknown, not manual review),
    computed in the database by the compiled rule (one query; no Python loop over enterprises).
    Chain `.scope(user)`, `.in_subtree(area)`, `.filter(...)` as on any enterprise queryset. An item
    with no version in force on `on` gives an empty queryset. The queryset carries an annotation
    ``policy_amount`` (Decimal or None): the benefit's estimate computed in SQL.

``results(item, on)`` (for pages and exports) gives the same as a queryset annotated with
``policy_result`` ("eligible" ...) for every enterprise, and ``criterion_counts(item, on, queryset)``
the per-leaf counts of met / unmet / unknown.

The two back ends agree: tests run every YAML case and random trees on both, on both databases.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import Count, DecimalField, IntegerField, Q, Value

from zoneos.enterprises.models import Enterprise, Status

from . import criteria as c
from . import evaluate as py
from . import sql
from .models import PolicyItem, Rule, RuleStatus
from .variables import Facts, SqlContext

NO_AMOUNT = Value(None, output_field=DecimalField(max_digits=20, decimal_places=2))


def in_force(on: datetime.date) -> Q:
    return Q(status=RuleStatus.PUBLISHED, effective_from__lte=on) & (
        Q(effective_to__isnull=True) | Q(effective_to__gte=on)
    )


def rule_in_force(item, on: datetime.date) -> Rule | None:
    item_id = item if isinstance(item, int) else item.pk
    return Rule.objects.filter(in_force(on), item_id=item_id).order_by("-effective_from").first()


def rules_in_force(items, on: datetime.date) -> dict[int, Rule]:
    """The version in force on `on` of each item (one query)."""
    ids = [i if isinstance(i, int) else i.pk for i in items]
    found: dict[int, Rule] = {}
    for rule in Rule.objects.filter(in_force(on), item_id__in=ids).order_by("item_id", "-effective_from"):
        found.setdefault(rule.item_id, rule)
    return found


def _row(item, rule, facts: Facts, on, parameters) -> dict:
    row = {"item": item.pk, "item_code": item.code, "rule": None, "result": "not_eligible", "amount": None}
    row["criteria"] = []
    if rule is None:
        return row
    tree = c.prepare(rule.criteria, on, parameters)
    code, trace = py.evaluate(tree, facts)
    row["rule"] = rule.pk
    row["result"] = c.RESULT_NAMES[code]
    row["criteria"] = trace
    if code != c.UNMET and rule.benefit:
        amount = py.amount(c.prepare(rule.benefit, on, parameters), facts)
        row["amount"] = None if amount is None else str(amount)
    return row


def eligibility(enterprise, item, on: datetime.date, *, rule: Rule | None = None, parameters=None) -> dict:
    """One enterprise, one item (see the module's documentation). `rule` tries that version (a
    draft, say) instead of the one in force; `parameters`: `criteria.parameters_on(on)` when the caller
    has them (one item judged for many enterprises)."""
    if not isinstance(item, PolicyItem):
        item = PolicyItem.objects.get(pk=item)
    facts = Facts.load(enterprise, on)
    if rule is None:
        rule = rule_in_force(item, on)
    return _row(item, rule, facts, on, c.parameters_on(on) if parameters is None else parameters)


def eligibility_list(enterprise, items, on: datetime.date) -> list[dict]:
    """One enterprise against many items: its facts, the rules and the parameters loaded once."""
    items = list(items)
    facts = Facts.load(enterprise, on)
    rules = rules_in_force(items, on)
    parameters = c.parameters_on(on)
    return [_row(item, rules.get(item.pk), facts, on, parameters) for item in items]


def _base(queryset=None):
    if queryset is None:
        queryset = Enterprise.objects.all()
    return queryset.filter(status=Status.ACTIVE)


def eligible_enterprises(item, on: datetime.date, queryset=None, *, rule: Rule | None = None):
    """The enterprises (active ones, of `queryset` when given) eligible for `item` on `on`."""
    rule = rule or rule_in_force(item, on)
    if rule is None:
        return Enterprise.objects.none()
    ctx = SqlContext(on)
    tree = c.prepare(rule.criteria, on)
    condition = sql.met(tree, ctx)
    benefit = sql.amount(c.prepare(rule.benefit, on), ctx) if rule.benefit else None
    queryset = sql.annotate(_base(queryset), ctx).filter(condition)
    return queryset.annotate(policy_amount=benefit if benefit is not None else NO_AMOUNT)


def results(item, on: datetime.date, queryset=None, *, rule: Rule | None = None):
    """Every (active) enterprise annotated with `policy_code` (see `criteria`) and `policy_amount`."""
    rule = rule or rule_in_force(item, on)
    if rule is None:
        return _base(queryset).annotate(
            policy_code=Value(c.UNMET, output_field=IntegerField()), policy_amount=NO_AMOUNT
        )
    ctx = SqlContext(on)
    code = sql.root_code(c.prepare(rule.criteria, on), ctx)
    benefit = sql.amount(c.prepare(rule.benefit, on), ctx) if rule.benefit else None
    return sql.annotate(_base(queryset), ctx).annotate(
        policy_code=code, policy_amount=benefit if benefit is not None else NO_AMOUNT
    )


def criterion_counts(item, on: datetime.date, queryset=None, *, rule: Rule | None = None) -> dict:
    """How many enterprises meet, miss or cannot be judged on each leaf, and how many have no figures
    for the year (one aggregate query)."""
    rule = rule or rule_in_force(item, on)
    if rule is None:
        return {"year": on.year - 1, "total": 0, "no_figures": 0, "results": {}, "criteria": []}
    ctx = SqlContext(on)
    tree = c.prepare(rule.criteria, on)
    leaves = list(c.leaves(tree))
    aggregates = {}
    for i, leaf in enumerate(leaves):
        expression = sql.code(leaf, ctx)
        for code in (c.MET, c.UNMET, c.UNKNOWN, c.NOT_APPLICABLE):
            aggregates[f"l{i}_{code}"] = Count("pk", filter=Q(sql.Exact(expression, sql._int(code))))
    root = sql.root_code(tree, ctx)
    for code in (c.MET, c.UNMET, c.UNKNOWN, c.MANUAL):
        aggregates[f"r_{code}"] = Count("pk", filter=Q(sql.Exact(root, sql._int(code))))
    ctx.metrics("year")
    aggregates["no_figures"] = Count("pk", filter=Q(pm__year__isnull=True))
    aggregates["total"] = Count("pk")
    if connection.vendor == "sqlite":
        found = _counted_apart(sql.annotate(_base(queryset), ctx), aggregates, tree, leaves, ctx)
    else:
        found = sql.annotate(_base(queryset), ctx).aggregate(**aggregates)
    return {
        "year": ctx.year,
        "total": found["total"],
        "no_figures": found["no_figures"],
        "results": {c.RESULT_NAMES[k]: found[f"r_{k}"] for k in (c.MET, c.UNMET, c.UNKNOWN, c.MANUAL)},
        "criteria": [
            {
                "id": shown.get("id"),
                "label": shown.get("label") or shown.get("manual", ""),
                "var": shown.get("var"),
                "met": found[f"l{i}_{c.MET}"],
                "unmet": found[f"l{i}_{c.UNMET}"],
                "unknown": found[f"l{i}_{c.UNKNOWN}"],
                "not_applicable": found[f"l{i}_{c.NOT_APPLICABLE}"],
                "manual_review": found["total"] if "manual" in shown else 0,
            }
            for i, shown in enumerate(map(c.criterion, leaves))
        ],
    }


def _counted_apart(queryset, aggregates, tree, leaves, ctx) -> dict:
    """The same counts in one grouped query per leaf: SQLite's parser has a small stack, which one
    statement holding every leaf of a large score tree overflows."""
    found = queryset.aggregate(no_figures=aggregates["no_figures"], total=aggregates["total"])
    expressions = [("r", sql.root_code(tree, ctx))] + [
        (f"l{i}", sql.code(leaf, ctx)) for i, leaf in enumerate(leaves)
    ]
    for prefix, expression in expressions:
        counted = dict(
            queryset.annotate(k=expression).values("k").annotate(n=Count("pk")).values_list("k", "n")
        )
        for code in (c.MET, c.UNMET, c.UNKNOWN, c.MANUAL, c.NOT_APPLICABLE):
            found[f"{prefix}_{code}"] = counted.get(code, 0)
    return found
