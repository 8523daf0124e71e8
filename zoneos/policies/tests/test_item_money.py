"""An item's page shows its applications (as the user sees them, the latest few with a link to all) and
its budget year by year from the ledger: budgeted, committed, disbursed and left, every amount in the
screen's one unit, in a number of queries that does not grow with the rows."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zoneos.policies.models import Budget, PolicyApplication
from zoneos.policies.views import APPLICATION_ROWS
from zoneos.testing.factories import EnterpriseFactory

UNITS = {"en": "ten thousand yuan", "zh-hans": "万元"}


def signed_in(user, language="en"):
    client = Client()
    client.cookies["zoneos_language"] = language
    client.force_login(user)
    return client


@pytest.fixture
def w(world):
    """PI1's 2025 budget (1,000,000) with 300,000 committed and 120,000 paid, and a second application
    for it from E3 (also in P1)."""
    Budget.objects.filter(pk=world.BU1.pk).update(committed=Decimal("300000"), disbursed=Decimal("120000"))
    world.records["PA3"] = PolicyApplication.objects.create(
        item=world.PI1,
        enterprise=world.E3,
        year=2025,
        status="approved",
        requested_amount=Decimal("450000.00"),
        approved_amount=Decimal("300000.00"),
        created_by=world.root,
    )
    return world


def main(page) -> str:
    html = page.content.decode()
    return html.split("<main", 1)[-1].split("</main>", 1)[0]


def cells(html: str, testid: str) -> list[str]:
    row = html.split(f'data-testid="{testid}"', 1)[1].split("</tr>", 1)[0]
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_staff_read_the_items_applications_and_its_budget_from_the_ledger(w):
    page = signed_in(w.admin).get(w.PI1.get_absolute_url())
    assert page.status_code == 200
    html = main(page)
    assert cells(html, "budget-2025") == ["2025", "100.00", "30.00", "12.00", "70.00"]
    assert cells(html, f"item-application-{w.PA3.pk}") == [
        f"#{w.PA3.pk}",
        w.E3.name,
        "2025",
        "Approved",
        "45.00",
        "30.00",
    ]
    assert cells(html, f"item-application-{w.PA1.pk}")[-2:] == ["30.00", "—"]
    assert f'href="{w.PA1.get_absolute_url()}"' in html
    assert f'href="/policies/applications/?item={w.PI1.pk}"' in html
    assert f"item-application-{w.PA2.pk}" not in html  # Z2's


def test_an_enterprise_reads_its_own_applications_and_no_budget(w):
    html = main(signed_in(w.enterprise).get(w.PI1.get_absolute_url()))
    assert f"item-application-{w.PA1.pk}" in html and f"item-application-{w.PA3.pk}" not in html
    assert 'data-testid="item-budget"' not in html


def test_the_page_shows_the_latest_applications_and_links_to_all(w):
    for _n in range(APPLICATION_ROWS + 2):
        PolicyApplication.objects.create(
            item=w.PI1, enterprise=EnterpriseFactory(area=w.P1), year=2025, created_by=w.root
        )
    html = main(signed_in(w.admin).get(w.PI1.get_absolute_url()))
    assert html.count('data-testid="item-application-') == APPLICATION_ROWS
    assert "All 14 applications" in html


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_amount_on_the_items_page_is_in_one_unit(w, language):
    html = main(signed_in(w.admin, language).get(w.PI1.get_absolute_url()))
    pattern = r"(ten thousand yuan|hundred million yuan|million yuan|billion yuan|万元|亿元)"
    assert set(re.findall(pattern, html)) == {UNITS[language]}


def test_the_items_page_runs_as_many_queries_for_many_applications_and_budgets(w):
    client = signed_in(w.admin)
    url = w.PI1.get_absolute_url()
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(30):
        PolicyApplication.objects.create(
            item=w.PI1, enterprise=EnterpriseFactory(area=w.P1), year=2025, created_by=w.root
        )
        Budget.objects.create(item=w.PI1, year=2030 + n, amount=Decimal("1000"))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
