"""One unit of money per screen (issue: "amounts shown in 亿元 on the plan and 万元 on the project").

A record page once showed each amount in the largest unit it reached, so a project read "7.88 亿元"
beside "7130.08 万元", an enterprise "3.33 亿元" beside "1866.52 万元", and English rescaled each value
to millions or billions on its own. Each screen below is read in both languages and every amount on it
must carry the same unit: 亿元 on the screens of investment, 万元 elsewhere, and in English the same
numbers under the unit's English name.
"""

import re
from decimal import Decimal

import pytest
from django.test import Client

from zoneos.enterprises.models import Enterprise, Indicator
from zoneos.pipeline.models import Project

AMOUNT = {
    "zh-hans": re.compile(r"\d\.\d\d\s*(亿元|万元|元)(?![\w])"),
    "en": re.compile(r"\d\.\d\d\s*(hundred million yuan|ten thousand yuan|billion yuan|million yuan|yuan)"),
}
UNIT = {
    ("zh-hans", "large"): "亿元",
    ("zh-hans", "default"): "万元",
    ("en", "large"): "hundred million yuan",
    ("en", "default"): "ten thousand yuan",
}


def units_on(page: str, language: str) -> set[str]:
    main = page.split("<main", 1)[-1].split("</main>", 1)[0]
    return set(AMOUNT[language].findall(main))


def read(user, url: str, language: str) -> str:
    client = Client()
    client.cookies["zoneos_language"] = language
    client.force_login(user)
    answer = client.get(url)
    assert answer.status_code == 200, url
    return answer.content.decode()


@pytest.fixture
def amounts(world):
    """Records whose amounts span several orders of magnitude, as real ones do."""
    Project.objects.filter(pk=world.PR1.pk).update(
        total_investment=Decimal("788000000"),
        fixed_asset_investment=Decimal("600000000"),
        expected_output=Decimal("1970000000"),
        expected_tax=Decimal("71300800"),
    )
    Enterprise.objects.filter(pk=world.E1.pk).update(registered_capital=Decimal("20000000"))
    Indicator.objects.filter(pk=world.I1.pk).update(
        output_value=Decimal("333000000"), revenue=Decimal("388687"), tax_paid=Decimal("18665200")
    )
    return world


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    ("screen", "scale"),
    [("project", "large"), ("enterprise", "default"), ("policy money", "default"), ("key project", "large")],
)
def test_every_amount_of_a_screen_is_in_its_one_unit(amounts, language, screen, scale):
    w = amounts
    url = {
        "project": f"/projects/{w.PR1.pk}/",
        "enterprise": f"/enterprises/{w.E1.pk}/",
        "policy money": "/policies/money/",
        "key project": f"/supervision/projects/{w.KP1.pk}/",
    }[screen]
    found = units_on(read(w.root, url, language), language)
    assert found == {UNIT[(language, scale)]}, (url, found)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_english_shows_the_chinese_numbers_under_the_english_unit(amounts, language):
    page = read(amounts.root, f"/projects/{amounts.PR1.pk}/", language)
    assert f"7.88 {UNIT[(language, 'large')]}" in page and f"0.71 {UNIT[(language, 'large')]}" in page


# The sentences of the summary and the dashboard ("完成投资0.30亿元"; "0.30 billion yuan" once in English)
# carry the screen's unit like its figures do; so do the units named in headers, labels and charts.
NOT_DECLARED = re.compile(r"\b(?:\d+ million yuan|billion yuan|10k yuan|100m yuan|billion or more)")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_headline_and_the_highlights_speak_the_screens_unit(amounts, language):
    w = amounts
    summary = read(w.root, f"/supervision/?area={w.Z1.pk}&month=2025-03", language)
    headline = summary.split('data-testid="headline">', 1)[1].split("</p>", 1)[0]
    assert units_on(f"<main>{headline}</main>", language) == {UNIT[(language, "large")]}, headline
    dashboard = read(w.root, f"/dashboard/?area={w.Z1.pk}", language)
    highlight = dashboard.split('data-testid="highlights">', 1)[1].split("</p>", 1)[0]
    assert units_on(f"<main>{highlight}</main>", language) == {UNIT[(language, "large")]}, highlight
    assert units_on(summary, language) == units_on(dashboard, language) == {UNIT[(language, "large")]}


@pytest.mark.parametrize(
    "url",
    [
        "/supervision/plan/?month=2025-03",
        "/supervision/projects/{KP1}/",
        "/supervision/?month=2025-03",
        "/enterprises/{E1}/?tab=figures",
        "/dashboard/",
        "/projects/",
        "/projects/funnel/",
    ],
)
def test_english_names_a_unit_only_as_money_py_does(amounts, url):
    w = amounts
    page = read(w.root, url.format(KP1=w.KP1.pk, E1=w.E1.pk), "en")
    assert not NOT_DECLARED.findall(page), (url, NOT_DECLARED.findall(page))


def test_the_plan_and_the_enterprise_chart_name_the_screens_unit(amounts):
    w = amounts
    plan = read(w.root, "/supervision/plan/?month=2025-03", "en")
    assert "Unit: hundred million yuan" in plan and 'placeholder="This month (hundred million yuan)"' in plan
    # The chart once switched to 亿元 for a large enterprise, on a page whose figures are in 万元.
    enterprise = read(w.root, f"/enterprises/{w.E1.pk}/?tab=figures", "en")
    assert 'data-testid="figures-unit">(ten thousand yuan)<' in enterprise
    assert '"output": [33300.0]' in enterprise


# Amounts typed where a user types them: in the screen's unit unless 元, 万元 or 亿元 follows.
def _post(user, url: str, data: dict, language: str = "en"):
    client = Client()
    client.cookies["zoneos_language"] = language
    client.force_login(user)
    return client.post(url, data)


def test_yearly_figures_are_typed_in_the_pages_unit_or_with_one(world):
    answer = _post(
        world.root,
        f"/enterprises/{world.E1.pk}/figures/new/",
        {"year": "2025", "output_value": "300万", "revenue": "1.2亿", "tax_paid": "45",
         "rd_expense": "8,000元", "source": "manual", "above_designated_size_set": "unknown"},
    )  # fmt: skip
    assert answer.status_code == 302, answer.content.decode()[:2000]
    figures = Indicator.objects.get(enterprise=world.E1, year=2025)
    assert (figures.output_value, figures.revenue) == (Decimal("3000000"), Decimal("120000000"))
    assert (figures.tax_paid, figures.rd_expense) == (Decimal("450000"), Decimal("8000"))
    form = read(world.root, f"/enterprises/{world.E1.pk}/figures/{figures.pk}/edit/", "en")
    assert "Output value (ten thousand yuan)" in form or "output value (ten thousand yuan)" in form
    assert 'name="output_value" value="300"' in form and 'name="revenue" value="12000"' in form
    chinese = read(world.root, f"/enterprises/{world.E1.pk}/figures/{figures.pk}/edit/", "zh-hans")
    assert "产值（万元）" in chinese


def test_an_amount_in_another_form_is_refused_with_the_unit_named(world):
    answer = _post(
        world.root, f"/enterprises/{world.E1.pk}/figures/new/", {"year": "2025", "output_value": "三百万"}
    )
    assert answer.status_code == 200
    assert (
        "Give the amount in ten thousand yuan, or write 元, 万元 or 亿元 after it." in answer.content.decode()
    )


def test_the_registered_capital_is_typed_in_the_pages_unit(world):
    form = read(world.root, f"/enterprises/{world.E1.pk}/edit/", "en")
    assert "Registered capital (ten thousand yuan)" in form and "(yuan)" not in form


@pytest.mark.parametrize(("step", "field"), [("approve", "approved_amount"), ("pay", "amount")])
def test_policy_amounts_are_typed_in_ten_thousand_yuan(world, step, field):
    from django.utils import translation

    from zoneos.policies.applications import APPLICATION_WORKFLOW

    form_class = APPLICATION_WORKFLOW.form_class(step)
    with translation.override("en"):
        typed = form_class({field: "18万"}, user=world.root, record=world.PA1)
        bare = form_class({field: "18"}, user=world.root, record=world.PA1)
        in_yuan = form_class({field: "180000元"}, user=world.root, record=world.PA1)
        assert typed.is_valid() and bare.is_valid() and in_yuan.is_valid(), typed.errors
        assert typed.cleaned_data[field] == bare.cleaned_data[field] == in_yuan.cleaned_data[field] == 180000
        assert str(typed[field].label).endswith("(ten thousand yuan)")
    with translation.override("zh-hans"):
        assert str(form_class(user=world.root, record=world.PA1)[field].label).endswith("（万元）")
