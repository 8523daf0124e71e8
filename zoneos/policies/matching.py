"""Matching both ways: which items an enterprise qualifies for, and which enterprises an item fits.

This is the public interface the rest of ZoneOS (applications, the automatic track, the calculator,
the API) calls; it hides the rule language (`criteria.py`), its two back ends (`evaluate.py` in Python
with a trace, `compile.py` to SQL) and the variables (`variables.py`).

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


def eligibility(enterprise, item, on: datetime.date) -> dict:
    raise NotImplementedError("The eligibility engine lands later in this branch.")


def eligible_enterprises(item, on: datetime.date):
    raise NotImplementedError("The eligibility engine lands later in this branch.")
