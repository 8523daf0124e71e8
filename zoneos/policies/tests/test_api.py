"""The API's promises: published versions never change (409) nor overlap (400 naming effective_from),
an enterprise reads only its own eligibility, matches are paginated and exportable, the variables are
documented."""

import pytest

from zoneos.policies.models import Rule

from .world import SHARE, catalogue


@pytest.fixture
def w(world):
    return catalogue(world)


def test_a_published_version_never_changes(w, api):
    client = api(w.admin)
    changed = client.patch(f"/api/v1/policy-rules/{w.RU1.pk}/", {"notes": "改"}, format="json")
    deleted = client.delete(f"/api/v1/policy-rules/{w.RU1.pk}/")
    again = client.post(f"/api/v1/policy-rules/{w.RU1.pk}/publish/")
    assert (changed.status_code, deleted.status_code, again.status_code) == (409, 409, 409)
    assert Rule.objects.get(pk=w.RU1.pk).notes == ""


def test_published_versions_never_overlap(w, api):
    client = api(w.admin)
    draft = client.post(
        f"/api/v1/policy-items/{w.IT1.pk}/rules/",
        {"effective_from": "2026-06-01", "criteria": SHARE},
        format="json",
    )
    assert draft.status_code == 201, draft.content
    refused = client.post(f"/api/v1/policy-rules/{draft.json()['id']}/publish/")
    assert refused.status_code == 400
    assert "2025-01-01" in refused.json()["effective_from"][0]


def test_a_malformed_tree_names_the_node(w, api):
    bad = {"all": [{"id": "x", "var": "no_such", "op": ">=", "value": 1}]}
    answer = api(w.admin).post(
        f"/api/v1/policy-items/{w.IT1.pk}/rules/",
        {"effective_from": "2030-01-01", "criteria": bad},
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json()["criteria"] == ["$.all[0]: Unknown variable no_such."]


def test_brackets_whose_bounds_do_not_rise_are_refused_naming_the_bracket(w, api):
    # 200 million then 50 million: the second bracket could never apply; refuse it rather than store a
    # threshold that silently never counts.
    scale = {
        "by": "revenue",
        "brackets": [
            {"upto": "200000000", "value": "0.04"},
            {"upto": "50000000", "value": "0.05"},
            {"value": "0.03"},
        ],
    }
    leaf = {"id": "rd", "var": "rd_ratio_3y", "op": ">=", "scale": scale}
    answer = api(w.admin).post(
        f"/api/v1/policy-items/{w.IT1.pk}/rules/",
        {"effective_from": "2030-01-01", "criteria": {"all": [leaf]}},
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json()["criteria"] == [
        "$.all[0].brackets[1]: Upper bounds must rise from one bracket to the next."
    ]
    assert not w.IT1.rules.filter(effective_from="2030-01-01").exists()


def test_an_enterprise_reads_its_own_eligibility_only(w, api):
    client = api(w.enterprise)
    own = client.get(f"/api/v1/enterprises/{w.E1.pk}/eligibility/", {"on": "2025-05-01"})
    other = client.get(f"/api/v1/enterprises/{w.E2.pk}/eligibility/", {"on": "2025-05-01"})
    assert own.status_code == 200 and other.status_code == 404
    # The named world's own items (T-AWARD-*, for applications) are Z1's too: this test's are it1, it3.
    rows = [r for r in own.json() if r["item_code"].startswith("it")]
    assert [r["item_code"] for r in rows] == ["it1", "it3"]
    assert rows[1] == {
        "item": w.IT3.pk,
        "item_code": "it3",
        "rule": None,
        "result": "not_eligible",
        "amount": None,
        "criteria": [],
    }


def test_matches_filter_by_result_and_export(w, api):
    client = api(w.admin)
    eligible = client.get(
        f"/api/v1/policy-items/{w.IT1.pk}/matches/", {"on": "2025-05-01", "result": "eligible"}
    )
    unknown = client.get(
        f"/api/v1/policy-items/{w.IT1.pk}/matches/", {"on": "2025-05-01", "result": "unknown"}
    )
    assert [r["enterprise"] for r in eligible.json()["results"]] == [w.E1.pk]
    assert eligible.json()["results"][0]["amount"] == "100000.00"
    assert w.E3.pk in {r["enterprise"] for r in unknown.json()["results"]}
    counts = client.get(f"/api/v1/policy-items/{w.IT1.pk}/match-counts/", {"on": "2025-05-01"}).json()
    assert counts["criteria"][0]["met"] == 1 and counts["no_figures"] == counts["criteria"][0]["unknown"]
    sheet = client.get(f"/api/v1/policy-items/{w.IT1.pk}/matches/", {"on": "2025-05-01", "as": "xlsx"})
    assert sheet.status_code == 200 and sheet["Content-Type"].startswith("application/vnd.openxml")


def test_the_variables_are_documented(w, api):
    found = {v["name"]: v for v in api(w.enterprise).get("/api/v1/policy-variables/").json()["results"]}
    assert {"revenue", "rd_ratio_3y", "main_business_share", "label_high_tech", "debt_ratio", "area"} <= set(
        found
    )
    assert found["rd_ratio_3y"]["kind"] == "ratio" and "revenue_3y" in found["rd_ratio_3y"]["sql"]


def test_trying_a_draft_on_an_enterprise(w, api):
    answer = api(w.admin).get(
        f"/api/v1/policy-rules/{w.RU3.pk}/try/", {"enterprise": w.E1.pk, "on": "2027-06-01"}
    )
    assert answer.status_code == 200
    assert answer.json()["rule"] == w.RU3.pk and answer.json()["result"] == "unknown"  # no 2026 figures
    assert answer.json()["criteria"][0]["missing"] == ["main_business_revenue 2026", "revenue 2026"]
