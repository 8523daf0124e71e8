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
