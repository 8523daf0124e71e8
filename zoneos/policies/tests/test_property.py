"""Property: the SQL and the Python back ends agree on random trees over random enterprises, on the
root, on every leaf and on who is met (the filter bulk matching uses)."""

import datetime
from decimal import Decimal

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from zoneos.enterprises.models import Enterprise
from zoneos.policies import criteria as c
from zoneos.policies import evaluate as py
from zoneos.policies import sql
from zoneos.policies.variables import Facts, SqlContext
from zoneos.testing.factories import AreaFactory

from .helpers import make_enterprise

ON = st.sampled_from([datetime.date(2026, 3, 31), datetime.date(2026, 4, 1), datetime.date(2025, 2, 28)])
MONEY = st.sampled_from(
    ["0", "1", "999999.99", "1000000", "10000000", "50000000", "50000000.01", "200000000"]
)
COUNT = st.sampled_from([0, 1, 9, 10, 100, 500, 501])
RATIO = st.sampled_from(["0", "0.03", "0.05", "0.1", "0.5", "0.7", "0.9", "1", "-0.5"])


def figures():
    year = st.fixed_dictionaries(
        {},
        optional={
            "revenue": MONEY,
            "main_business_revenue": MONEY,
            "rd_expense": MONEY,
            "employees": COUNT,
            "rd_staff": COUNT,
            "exports": MONEY,
        },
    )
    return st.dictionaries(st.sampled_from([2021, 2022, 2023, 2024, 2025]), year, max_size=5)


ENTERPRISE = st.fixed_dictionaries(
    {
        "figures": figures(),
        "registered_on": st.one_of(st.none(), st.dates(datetime.date(2019, 1, 1), datetime.date(2026, 4, 1))),
        "labels": st.lists(
            st.tuples(
                st.sampled_from(["high_tech", "specialized_sme", "tech_sme"]),
                st.sampled_from([datetime.date(2024, 1, 1), datetime.date(2026, 4, 1)]),
                st.sampled_from([None, datetime.date(2026, 3, 31)]),
            ),
            max_size=2,
        ),
        # Each fact with whether staff verified it (only verified ones count, on both back ends).
        "facts": st.dictionaries(
            st.tuples(st.sampled_from(["debt_ratio", "class1_ip"]), st.sampled_from([2024, 2025])),
            st.tuples(RATIO, st.booleans()),
            max_size=2,
        ),
        "industry_code": st.sampled_from(["", "39", "3911", "6513"]),
        "capital_origin": st.sampled_from(["domestic", "foreign", "hong_kong"]),
    }
)


def numeric_leaf():
    var = st.sampled_from(
        [
            ("revenue", MONEY),
            ("rd_expense_3y", MONEY),
            ("rd_expense_2y", MONEY),
            ("employees", COUNT),
            ("rd_ratio_prev", RATIO),
            ("rd_ratio_3y", RATIO),
            ("main_business_share", RATIO),
            ("rd_staff_share", RATIO),
            ("revenue_growth", RATIO),
            ("revenue_growth_2y", st.sampled_from(["0", "0.05", "-0.5", "1"])),
            ("age_years", st.sampled_from([0, 1, 3])),
            ("debt_ratio", RATIO),
        ]
    )
    op = st.sampled_from([">=", ">", "<=", "<", "=="])
    return st.tuples(var, op).flatmap(
        lambda vo: vo[0][1].map(lambda v: {"var": vo[0][0], "op": vo[1], "value": v})
    )


def other_leaf():
    return st.one_of(
        st.builds(lambda v: {"var": "label_high_tech", "op": "==", "value": v}, st.booleans()),
        st.builds(lambda v: {"var": "above_designated_size", "op": "==", "value": v}, st.booleans()),
        st.builds(
            lambda v: {"var": "industry_code", "op": "prefix", "value": v}, st.sampled_from(["3", "39", "65"])
        ),
        st.builds(
            lambda v: {"var": "capital_origin", "op": "in", "value": v}, st.just(["foreign", "hong_kong"])
        ),
        st.just({"manual": "专家评审"}),
        st.builds(
            lambda t: {
                "var": "rd_ratio_3y",
                "op": ">=",
                "scale": {"by": "revenue", "brackets": [{"upto": "50000000", "value": t}, {"value": "0.03"}]},
            },
            RATIO,
        ),
    )


def with_guard(leaf):
    return st.one_of(st.just(leaf), st.builds(lambda g: {**leaf, "when": g}, numeric_leaf()))


LEAF = st.one_of(numeric_leaf(), other_leaf()).flatmap(with_guard)


def _score(parts, minimum, group_minimum) -> dict:
    """A score node; parts with a group count towards that group's own minimum too."""
    node = {
        "score": [{**p, "points": pts, **({"group": g} if g else {})} for p, pts, g in parts],
        "min": minimum,
    }
    groups = {g for _p, _pts, g in parts if g}
    if groups:
        node["groups"] = dict.fromkeys(sorted(groups), group_minimum)
    return node


def tree():
    return st.recursive(
        LEAF,
        lambda children: st.one_of(
            st.lists(children, min_size=1, max_size=4).map(lambda xs: {"all": xs}),
            st.lists(children, min_size=1, max_size=4).map(lambda xs: {"any": xs}),
            children.map(lambda x: {"not": x}),
            st.lists(
                st.tuples(children, st.sampled_from([5, 10, 20]), st.sampled_from([None, "a", "b"])),
                min_size=1,
                max_size=4,
            ).flatmap(
                lambda parts: st.tuples(st.sampled_from([10, 20, 30]), st.sampled_from([5, 10, 15])).map(
                    lambda m: _score(parts, *m)
                )
            ),
        ),
        max_leaves=8,
    )


def nested_scores(node) -> int:
    """The most scores on one path from the root (validation allows `MAX_NESTED_SCORES`)."""
    if isinstance(node, list):
        return max((nested_scores(n) for n in node), default=0)
    if not isinstance(node, dict):
        return 0
    inner = max((nested_scores(v) for k, v in node.items() if k != "when"), default=0)
    return inner + (1 if "score" in node else 0)


def number_leaves(node, counter=None):
    counter = counter if counter is not None else [0]
    if isinstance(node, dict):
        if "var" in node or "manual" in node:
            counter[0] += 1
            node = {**node, "id": f"x{counter[0]}", "label": ""}
        return {k: (v if k == "when" else number_leaves(v, counter)) for k, v in node.items()}
    if isinstance(node, list):
        return [number_leaves(v, counter) for v in node]
    return node


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(tree=tree(), people=st.lists(ENTERPRISE, min_size=1, max_size=4), on=ON)
def test_the_back_ends_agree(db, tree, people, on):
    assume(nested_scores(tree) <= c.MAX_NESTED_SCORES)
    tree = number_leaves(tree)
    c.validate(tree)
    area = AreaFactory()
    enterprises = []
    for person in people:
        person = dict(person)
        declared = person.pop("facts").items()
        facts = {k: Decimal(v) for k, (v, verified) in declared if verified}
        unverified = {k: Decimal(v) for k, (v, verified) in declared if not verified}
        enterprises.append(make_enterprise(area, facts=facts, unverified=unverified, **person))
    prepared = c.prepare(tree, on)
    leaves = list(c.leaves(prepared))

    ctx = SqlContext(on)
    annotations = {
        "root": sql.root_code(prepared, ctx),
        **{f"l{i}": sql.code(leaf, ctx) for i, leaf in enumerate(leaves)},
    }
    condition = sql.met(prepared, ctx)
    queryset = sql.annotate(Enterprise.objects.filter(area=area), ctx)
    rows = {r["pk"]: r for r in queryset.annotate(**annotations).values("pk", *annotations)}
    met = set(queryset.filter(condition).values_list("pk", flat=True))

    for enterprise in Enterprise.objects.filter(area=area).select_related("area"):
        code, trace = py.evaluate(prepared, Facts.load(enterprise, on))
        row = rows[enterprise.pk]
        assert row["root"] == code, (tree, enterprise.pk)
        names = {v: k for k, v in c.LEAF_NAMES.items()}
        assert [row[f"l{i}"] for i in range(len(leaves))] == [names[t["result"]] for t in trace], tree
        assert (enterprise.pk in met) == (code == c.MET), tree
