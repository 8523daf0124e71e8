"""The fund pages: an investment officer adds and edits a fund, an investment from the fund's page and an
exit from the investment's row; the amounts are typed in the screen's unit and the shares and stakes in
per cent; a refusal of the service shows next to the field it names and writes nothing; each change is in
the history with its author; park staff read the zone's funds without a button to change them, and a
fund of another zone is not found."""

import html as html_lib
import re
from decimal import Decimal

import pytest

from zoneos.innovation.models import Exit, Fund, Investment

pytestmark = pytest.mark.django_db


def _field_error(html: str, name: str) -> str:
    """The error shown under the form field `name` (the text of its invalid-feedback)."""
    block = re.search(rf'name="{name}".*?invalid-feedback d-block">([^<]*)<', html, re.S)
    return html_lib.unescape(block.group(1)) if block else ""


@pytest.fixture
def officer(world, client):
    client.force_login(world.investment_officer)
    client.cookies["zoneos_language"] = "en"
    return client


def test_an_officer_adds_a_fund_with_its_chains_and_edits_it(world, officer):
    w = world
    form = {
        "area": w.Z1.pk,
        "name": "潼湖储能基金",
        "kind": "industry",
        "size": "5",
        "government_share": "40",
    }
    refused = officer.post("/innovation/funds/new/", {**form, "focus_chains": [w.CN2.pk]})
    assert list(refused.context["form"].errors) == ["focus_chains"]  # another zone's chain: not offered
    created = officer.post("/innovation/funds/new/", {**form, "focus_chains": [w.CN1.pk, w.CN3.pk]})
    fund = Fund.objects.get(name="潼湖储能基金")
    assert created["Location"] == f"/innovation/funds/{fund.pk}/"
    assert (fund.size, fund.government_share) == (Decimal("500000000"), Decimal("0.4"))
    assert set(fund.focus_chains.values_list("pk", flat=True)) == {w.CN1.pk, w.CN3.pk}
    same = officer.post("/innovation/funds/new/", {**form, "name": w.FD1.name})
    assert list(same.context["form"].errors) == ["name"]
    assert "This area has a fund of this name." in _field_error(same.content.decode(), "name")

    officer.post(
        f"/innovation/funds/{fund.pk}/edit/", {**form, "manager": "示范资本", "focus_chains": [w.CN1.pk]}
    )
    fund.refresh_from_db()
    assert fund.manager == "示范资本" and list(fund.focus_chains.values_list("pk", flat=True)) == [w.CN1.pk]
    history = officer.get(f"/innovation/funds/{fund.pk}/", {"tab": "history"}).content.decode()
    assert history.count("(investment_officer)") >= 2 and "示范资本" in history


def test_an_investment_is_added_from_the_funds_page_its_stake_in_per_cent(world, officer):
    w = world
    page = officer.get(f"/innovation/funds/{w.FD1.pk}/").content.decode()
    assert 'data-testid="new-investment"' in page and f'data-testid="record-exit-{w.FI1.pk}"' in page
    assert ">10 %<" in page  # FI1's stake, stored 0.10
    url = f"/innovation/funds/{w.FD1.pk}/investments/new/"
    form = {"enterprise": w.E3.pk, "round": "b", "amount": "0", "invested_on": "2026-03-01", "stake": "2.8"}
    refused = officer.post(url, form)
    assert list(refused.context["form"].errors) == ["amount"]
    assert "Give an amount in yuan above zero." in _field_error(refused.content.decode(), "amount")
    over = officer.post(url, {**form, "amount": "300", "stake": "120"})
    assert list(over.context["form"].errors) == ["stake"]
    assert "at most 100 %" in _field_error(over.content.decode(), "stake")
    assert not Investment.objects.filter(enterprise=w.E3).exists()

    saved = officer.post(url, {**form, "amount": "300"})  # 万元
    investment = Investment.objects.get(enterprise=w.E3)
    assert saved["Location"] == f"/innovation/funds/{w.FD1.pk}/#investment-{investment.pk}"
    assert (investment.fund, investment.amount, investment.stake) == (
        w.FD1,
        Decimal("3000000"),
        Decimal("0.028"),
    )
    assert ">2.8 %<" in officer.get(f"/innovation/funds/{w.FD1.pk}/").content.decode()
    edit = officer.get(f"/innovation/investments/{investment.pk}/edit/").content.decode()
    assert 'name="stake" value="2.8"' in edit and 'name="amount" value="300"' in edit
    officer.post(f"/innovation/investments/{investment.pk}/edit/", {**form, "amount": "300", "stake": "3"})
    investment.refresh_from_db()
    assert investment.stake == Decimal("0.03")
    # An investment has no page of its own: its history is the API's, with the page's author.
    history = officer.get(f"/api/v1/fund-investments/{investment.pk}/history/").json()["results"]
    assert [(e["action"], e["user"]) for e in history] == [
        ("update", "investment_officer"),
        ("create", "investment_officer"),
    ]
    assert history[0]["changes"]["stake"] == ["0.0280", "0.0300"]


def test_an_exit_takes_back_no_more_than_is_left_and_is_edited_from_the_funds_page(world, officer):
    """FI1: 10 million yuan (1,000 万元) with 3 million exited and a stake of 10 %."""
    w = world
    url = f"/innovation/investments/{w.FI1.pk}/exits/new/"
    form = {"kind": "buyback", "exited_on": "2026-06-01", "amount": "800", "proceeds": "900", "stake": ""}
    refused = officer.post(url, form)
    assert list(refused.context["form"].errors) == ["amount"]
    assert "Only 7000000.00 yuan" in _field_error(refused.content.decode(), "amount")
    stake = officer.post(url, {**form, "amount": "100", "stake": "10.5"})
    assert list(stake.context["form"].errors) == ["stake"]
    assert "Only 10 % of the stake is left to sell." in _field_error(stake.content.decode(), "stake")
    assert Exit.objects.filter(investment=w.FI1).count() == 2

    saved = officer.post(url, {**form, "amount": "100", "stake": "1.5"})
    made = Exit.objects.get(investment=w.FI1, kind="buyback")
    assert saved["Location"] == f"/innovation/funds/{w.FD1.pk}/#investment-{w.FI1.pk}"
    assert (made.amount, made.proceeds, made.stake) == (
        Decimal("1000000"),
        Decimal("9000000"),
        Decimal("0.015"),
    )
    officer.post(
        f"/innovation/exits/{made.pk}/edit/", {**form, "amount": "100", "stake": "1.5", "notes": "回购"}
    )
    made.refresh_from_db()
    assert made.notes == "回购"
    page = officer.get(f"/innovation/funds/{w.FD1.pk}/").content.decode()
    assert f'data-testid="edit-exit-{made.pk}"' in page and "1.5 %" in page
    assert 'data-testid="fund-exited">400.00<' in page or 'data-testid="fund-exited">400<' in page


def test_park_staff_read_the_zones_funds_but_change_none_and_another_zones_fund_is_not_found(world, client):
    w = world
    client.force_login(w.park_staff)
    listed = client.get("/innovation/funds/").content.decode()
    assert w.FD1.name in listed and 'data-testid="new-fund"' not in listed
    page = client.get(f"/innovation/funds/{w.FD1.pk}/").content.decode()
    assert 'data-testid="edit-fund"' not in page and 'data-testid="new-investment"' not in page
    assert (
        f'data-testid="record-exit-{w.FI1.pk}"' not in page
        and f'data-testid="edit-exit-{w.FX1.pk}"' not in page
    )
    for url in (
        "/innovation/funds/new/",
        f"/innovation/funds/{w.FD1.pk}/edit/",
        f"/innovation/funds/{w.FD1.pk}/investments/new/",
        f"/innovation/investments/{w.FI1.pk}/edit/",
        f"/innovation/investments/{w.FI1.pk}/exits/new/",
        f"/innovation/exits/{w.FX1.pk}/edit/",
    ):
        assert client.get(url).status_code == 403, url
    client.force_login(w.investment_officer)  # Z1's
    for url in (
        f"/innovation/funds/{w.FD2.pk}/edit/",
        f"/innovation/funds/{w.FD2.pk}/investments/new/",
        f"/innovation/investments/{w.FI2.pk}/edit/",
        f"/innovation/investments/{w.FI2.pk}/exits/new/",
        f"/innovation/exits/{w.FX2.pk}/edit/",
    ):
        assert client.get(url).status_code == 404, url
    listed = client.get("/innovation/funds/").content.decode()
    assert 'data-testid="new-fund"' in listed
