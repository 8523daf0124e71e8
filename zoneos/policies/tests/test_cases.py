"""The YAML cases of every rule version (cases/*.yaml), run on both back ends.

A file names a built-in library item (`library`, optionally one `version` by its start) or gives its
own `versions`; each case gives the date, the enterprise (registration, figures, labels, declared
facts as verified by staff under `facts` and declared but not yet verified under `unverified`, size
class) and what to expect: the result, the result per leaf, and `actual`, `required`,
`missing` and `amount` where given. The Python evaluator must answer that, and the SQL back end must
give the same code for the root and for every leaf, and find the enterprise eligible exactly when the
evaluator does.
"""

import datetime
from pathlib import Path

import pytest
import yaml

from zoneos.enterprises.models import Enterprise, Indicator
from zoneos.policies import library, matching, metrics, services

from .helpers import both, make_enterprise

CASES = Path(__file__).parent / "cases"
RESULT_CODES = {"eligible": 3, "not_eligible": 0, "unknown": 1, "manual_review": 2}
LEAF_CODES = {"met": 3, "unmet": 0, "unknown": 1, "manual_review": 2, "not_applicable": 4}


def load():
    for path in sorted(CASES.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text())
        defaults = spec.get("defaults", {})
        for case in spec["cases"]:
            merged = {**defaults, **case}
            merged["enterprise"] = {**defaults.get("enterprise", {}), **case.get("enterprise", {})}
            yield pytest.param(spec, merged, id=f"{path.stem}: {case['name']}")


def _item(spec, area, by):
    if "library" in spec:
        wanted = [i for i in library.ITEMS if i[0] == spec["library"]]
        code, name, name_en, versions = wanted[0]
        policy = services.create_policy(by=by, area=area, title="库", category="qualification")
        item = services.create_item(by=by, policy=policy, code=code, name=name)
        for start, end, criteria, _notes in versions:
            if "version" in spec and start != spec["version"]:
                continue
            rule = services.create_rule(
                by=by, item=item, effective_from=start, effective_to=end, criteria=criteria
            )
            services.publish_rule(rule, by=by)
        return item
    policy = services.create_policy(by=by, area=area, title="测试", category="award")
    item = services.create_item(by=by, policy=policy, code="case", name="测试事项")
    for version in spec["versions"]:
        rule = services.create_rule(by=by, item=item, **version)
        services.publish_rule(rule, by=by)
    return item


def _enterprise(area, spec):
    fields = {k: spec[k] for k in ("registered_on",) if k in spec}
    year = spec.get("year", 2025)
    facts = {(name, year): v for name, v in (spec.get("facts") or {}).items()}
    unverified = {(name, year): v for name, v in (spec.get("unverified") or {}).items()}
    enterprise = make_enterprise(
        area,
        figures=spec.get("figures"),
        labels=[tuple(label) for label in spec.get("labels") or ()],
        facts=facts,
        unverified=unverified,
        **fields,
    )
    if "size" in spec:
        Indicator.objects.filter(enterprise=enterprise).update(size_class=spec["size"])
        metrics.refresh(enterprise_ids=[enterprise.pk])
    return Enterprise.objects.select_related("area").get(pk=enterprise.pk)


@pytest.mark.parametrize(("spec", "case"), list(load()))
def test_case(world, spec, case):
    item = _item(spec, world.Z1, world.root)
    enterprise = _enterprise(world.P1, case["enterprise"])
    on = case.get("date")
    on = on if isinstance(on, datetime.date) else datetime.date.fromisoformat(on)
    expect = case["expect"]

    found = matching.eligibility(enterprise, item, on)

    assert found["result"] == expect["result"], found
    if "rule" in expect:
        assert found["rule"] == expect["rule"]
    if "amount" in expect:
        assert found["amount"] == expect["amount"]
    rows = {row["id"]: row for row in found["criteria"]}
    for leaf_id, result in expect.get("criteria", {}).items():
        assert rows[leaf_id]["result"] == result, (leaf_id, rows[leaf_id])
    for key in ("actual", "required", "missing"):
        for leaf_id, value in expect.get(key, {}).items():
            assert rows[leaf_id][key] == value, (key, leaf_id, rows[leaf_id])

    # The SQL back end agrees on the root, on every leaf, and on who is eligible.
    rule = matching.rule_in_force(item, on)
    if rule is None:
        assert not matching.eligible_enterprises(item, on).exists()
        return
    python, database = both(rule.criteria, enterprise, on)
    met = database.pop("met")
    assert database == python
    assert python["$"] == RESULT_CODES[expect["result"]]
    assert met == (expect["result"] == "eligible")
    eligible = matching.eligible_enterprises(item, on).filter(pk=enterprise.pk)
    assert eligible.exists() == (expect["result"] == "eligible")
    coded = matching.results(item, on).get(pk=enterprise.pk)
    assert coded.policy_code == python["$"]
    if "amount" in expect:
        assert f"{coded.policy_amount:.2f}" == expect["amount"]
