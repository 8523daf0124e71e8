"""Deep trees: whatever validation accepts compiles on the test's database and agrees with Python.

SQLite's parser has a fixed stack; the searched CASE, nested casts and nested MIN/MAX each spend
several frames of it a level, so a score holding a `not` of a score of guarded leaves (four levels)
once failed with "parser stack overflow" during bulk matching. The trees here sit at the limits
validation sets: twelve levels, scores three deep.
"""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError

from zoneos.policies import criteria as c

from .helpers import both, make_enterprise

ON = datetime.date(2026, 3, 31)


def _leaf(i: int) -> dict:
    return {
        "var": "rd_ratio_3y",
        "op": ">=",
        "scale": {"by": "revenue", "brackets": [{"upto": "50000000", "value": "0.05"}, {"value": "0.03"}]},
        "id": f"x{i}",
        "label": "",
    }


def _wrap(kind: str, node: dict, beside: dict) -> dict:
    if kind == "not":
        return {"not": node}
    if kind == "all":
        return {"all": [node, beside]}
    if kind == "any":
        return {"any": [beside, node]}
    if kind == "guard":
        return {**beside, "when": node}
    return {"score": [{**node, "points": "12.5"}, {**beside, "points": 5}], "min": "12.5"}


def _chain(kinds) -> dict:
    """The innermost leaf wrapped once per kind, a fresh leaf beside it at each level."""
    node = _leaf(0)
    for i, kind in enumerate(kinds, start=1):
        node = _wrap(kind, node, _leaf(i))
    return node


# Each pair of kinds alternating to the depth limit, then three scores spread through the other kinds.
DEPTH = c.MAX_DEPTH
CHAINS = [[a, b] * (DEPTH // 2) for a, b in itertools.combinations(["not", "all", "any", "guard"], 2)]
CHAINS += [
    ["score"] + ["any"] * (DEPTH - 3) + ["score", "score"],
    ["score", "score"] + ["guard", "not"] * ((DEPTH - 3) // 2) + ["all", "score"],
    ["not", "score"] * 3 + ["any", "all"] * ((DEPTH - 6) // 2),
]


@pytest.fixture
def enterprises(db):
    return [
        make_enterprise(figures={2023: {"revenue": 1000, "rd_expense": 80}, 2025: {"revenue": 60_000_000}}),
        make_enterprise(figures={2025: {"revenue": 10_000_000, "rd_expense": 100_000}}),
        make_enterprise(),
    ]


@pytest.mark.parametrize("kinds", CHAINS, ids=["-".join(k) for k in CHAINS])
def test_a_tree_at_the_limits_runs_in_the_database_and_agrees(enterprises, kinds):
    tree = _chain(kinds)
    c.validate(tree)
    for enterprise in enterprises:
        python, database = both(tree, enterprise, ON)
        met = database.pop("met")
        assert database == python
        assert met == (python["$"] in (c.MET, c.NOT_APPLICABLE))


def test_the_tree_that_overflowed_sqlite_matches(enterprises):
    guarded = {
        "var": "industry_code",
        "op": "prefix",
        "value": "65",
        "when": {"var": "employees", "op": ">=", "value": 500},
    }
    tree = {
        "score": [
            {"not": {"var": "label_high_tech", "op": "==", "value": True, "id": "a"}, "points": 5},
            {
                "not": {
                    "score": [{**guarded, "id": "b", "points": 20}, {**_leaf(1), "points": 20}],
                    "min": 20,
                },
                "points": 10,
            },
            {
                "all": [
                    {
                        "var": "main_business_share",
                        "op": "==",
                        "value": "1",
                        "when": {"var": "rd_ratio_3y", "op": "<=", "value": "-0.5"},
                        "id": "c",
                    },
                    {
                        "var": "debt_ratio",
                        "op": "==",
                        "value": "0.5",
                        "when": {"var": "rd_expense_3y", "op": "<=", "value": "50000000"},
                        "id": "d",
                    },
                ],
                "points": 10,
            },
        ],
        "min": 20,
    }
    c.validate(tree)
    for enterprise in enterprises:
        python, database = both(tree, enterprise, ON)
        database.pop("met")
        assert database == python


def test_a_fourth_score_within_scores_is_refused_naming_where():
    tree = _chain(["score"] * (c.MAX_NESTED_SCORES + 1))
    with pytest.raises(ValidationError) as caught:
        c.validate(tree)
    assert "$.score[0].score[0].score[0]" in str(caught.value)


@pytest.mark.parametrize("points", ["0.00001", "1000000000", "abc"])
def test_points_the_database_cannot_count_exactly_are_refused(points):
    tree = {"score": [{**_leaf(1), "points": points}], "min": 1}
    with pytest.raises(ValidationError) as caught:
        c.validate(tree)
    assert "$.score[0]" in str(caught.value)


def test_groups_of_a_score_must_each_have_a_minimum_and_parts():
    part = {**_leaf(1), "points": 10, "group": "innovation"}
    with pytest.raises(ValidationError) as caught:
        c.validate({"score": [part], "min": 10})
    assert "$.score[0]: The group innovation has no minimum" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        c.validate({"score": [part], "min": 10, "groups": {"innovation": 5, "growth": 5}})
    assert "$.groups.growth: No part of the score is in this group." in str(caught.value)
    c.validate({"score": [part], "min": 10, "groups": {"innovation": 5}})


def test_a_score_is_met_only_when_every_group_reaches_its_minimum():
    met, unmet = (c.MET, c.UNMET)
    node = {
        "score": [
            {"points": 20, "group": "a"},
            {"points": 20, "group": "b"},
            {"points": 30, "group": "b"},
        ],
        "min": 50,
        "groups": {"a": 20, "b": 15},
    }
    assert c.score_with_groups([unmet, met, met], node) == c.UNMET  # 50 in all, but a has nothing
    assert c.score_with_groups([met, unmet, met], node) == c.MET
    assert c.score_with_groups([c.UNKNOWN, met, met], node) == c.UNKNOWN
