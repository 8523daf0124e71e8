"""Benefit trees: every form the editor builds is accepted and evaluated alike on both back ends'
entry points; a malformed one is refused, naming its place, by the API (400) and the editor (a form
error, 400)."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from zoneos.policies import criteria as c
from zoneos.policies import evaluate

from .world import SHARE, catalogue

BRACKETS = {
    "brackets": {
        "by": "revenue",
        "brackets": [
            {"upto": "100000000", "amount": {"fixed": "200000"}},
            {"upto": "500000000", "amount": {"rate": "0.001", "var": "revenue"}},
            {"amount": {"fixed": "1000000"}},
        ],
    }
}
SUM = {"sum": [BRACKETS, {"min": [{"rate": "0.1", "var": "rd_expense"}, {"fixed": "200000"}]}]}


@pytest.fixture
def w(world):
    return catalogue(world)


def errors(tree) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        c.validate_benefit(tree)
    return raised.value.message_dict["benefit"]


def test_every_form_the_editor_builds_is_accepted():
    for tree in (None, {"fixed": "300000"}, {"rate": "0.05", "var": "rd_expense"}, BRACKETS, SUM):
        c.validate_benefit(tree)


def test_bad_benefits_are_refused_naming_the_place():
    assert errors({"fixed": ""}) == ["$: An amount is a number of yuan."]
    assert errors({"rate": "x", "var": "rd_ratio_3y"}) == [
        "$: A rate is a number.",
        "$: A rate applies to an amount or a count.",
    ]
    assert errors({"sum": []}) == ["$: sum needs a list of parts."]
    assert errors({"sum": [{"fixed": "1"}, {"bogus": 1}]}) == [
        "$.sum[1]: Expected fixed, rate, min, sum or brackets."
    ]
    assert errors({"brackets": {"by": "rd_ratio_3y", "brackets": []}}) == [
        "$: Brackets are chosen by an amount or a count."
    ]
    assert errors({"brackets": {"by": "revenue", "brackets": []}}) == [
        "$: Brackets need at least one bracket."
    ]
    falling = {
        "brackets": {
            "by": "revenue",
            "brackets": [
                {"upto": "200", "amount": {"fixed": "1"}},
                {"upto": "100", "amount": {"fixed": "2"}},
                {"upto": "", "amount": {"fixed": "3"}},
                {"amount": {"fixed": ""}},
                {"upto": "500"},
            ],
        }
    }
    assert errors({"sum": [falling]}) == [
        "$.sum[0].brackets[1]: Upper bounds must rise from one bracket to the next.",
        "$.sum[0].brackets[2]: Each bracket but the last needs its upper bound.",
        "$.sum[0].brackets[3]: Each bracket but the last needs its upper bound.",
        "$.sum[0].brackets[3].amount: An amount is a number of yuan.",
        "$.sum[0].brackets[4]: Each bracket needs its amount.",
    ]


def test_a_sum_of_brackets_adds_the_amount_of_the_bracket_the_figure_falls_in():
    class Facts:
        def value(self, var):
            return {"revenue": Decimal("300000000"), "rd_expense": Decimal("3000000")}[var.name]

    # 300 million: the middle bracket, 0.1 % of revenue = 300,000; plus 10 % of R&D capped at 200,000.
    assert evaluate.amount(SUM, Facts()) == Decimal("500000.00")


def test_the_api_and_the_editor_refuse_a_bad_benefit_naming_the_place(w, api):
    bad = {"sum": [{"fixed": "100"}, {"rate": "", "var": "revenue"}]}
    answer = api(w.admin).post(
        f"/api/v1/policy-items/{w.IT3.pk}/rules/",
        {"effective_from": "2030-01-01", "criteria": SHARE, "benefit": bad},
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json()["benefit"] == ["$.sum[1]: A rate is a number."]
    client = Client()
    client.cookies["zoneos_language"] = "en"
    client.force_login(w.admin)
    page = client.post(
        f"/policies/items/{w.IT3.pk}/rules/new/",
        {"effective_from": "2030-01-01", "criteria": json.dumps(SHARE), "benefit": json.dumps(bad)},
    )
    assert page.status_code == 400
    assert "$.sum[1]: A rate is a number." in page.content.decode()
