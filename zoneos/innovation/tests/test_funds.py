"""Funds and talents: shares and stakes as fractions from 0 to 1 and amounts above zero (the field named),
focus chains of the fund's own zone, exits that cannot take back more than is left, what a fund invested,
exited and still holds on its page and in the API, the funds on a chain's page (or that none is there
yet), and the talents list with the services received."""

import datetime
from decimal import Decimal

import pytest

from zoneos.innovation import fund_services, talent_services
from zoneos.innovation.models import Fund

pytestmark = pytest.mark.django_db
FUND = {"name": "潼湖未来产业基金", "kind": "industry", "size": "2000000000.00", "manager": "示范资本"}


def test_shares_stakes_and_amounts_are_refused_out_of_range_with_the_field_named(world, api):
    client = api(world.investment_officer)
    share = client.post(
        "/api/v1/funds/", {"area": world.Z1.pk, **FUND, "government_share": "1.2"}, format="json"
    )
    assert share.status_code == 400 and list(share.json()) == ["government_share"]
    size = client.post("/api/v1/funds/", {"area": world.Z1.pk, **FUND, "size": "-5"}, format="json")
    assert size.status_code == 400 and list(size.json()) == ["size"]
    stake = client.post(
        "/api/v1/fund-investments/",
        {"fund": world.FD1.pk, "enterprise": world.E1.pk, "amount": "100", "invested_on": "2026-01-01",
         "stake": "1.01"},
        format="json",
    )  # fmt: skip
    assert stake.status_code == 400 and list(stake.json()) == ["stake"]
    amount = client.post(
        "/api/v1/fund-investments/",
        {"fund": world.FD1.pk, "enterprise": world.E1.pk, "amount": "0", "invested_on": "2026-01-01"},
        format="json",
    )
    assert amount.status_code == 400 and list(amount.json()) == ["amount"]
    same = client.post("/api/v1/funds/", {"area": world.Z1.pk, **FUND, "name": world.FD1.name}, format="json")
    assert same.status_code == 400 and list(same.json()) == ["name"]
    # Park staff read the zone's funds but keep none.
    assert api(world.park_staff).get(f"/api/v1/funds/{world.FD1.pk}/").status_code == 200
    assert api(world.park_staff).post("/api/v1/funds/", {"area": world.P1.pk, **FUND}).status_code == 403


def test_a_fund_focuses_on_chains_of_its_own_zone_only(world, api):
    w = world
    from zoneos.chains.models import Chain

    template = Chain.objects.get(pk=w.TPL.pk)
    refused = fund_services.create_fund
    with pytest.raises(Exception) as error:
        refused(by=w.root, area=w.Z1, name="错投基金", focus_chains=[w.CN2])
    assert "focus_chains" in error.value.message_dict
    with pytest.raises(Exception) as error:
        refused(by=w.root, area=w.Z1, name="模板基金", focus_chains=[template])
    assert "focus_chains" in error.value.message_dict
    fund = api(w.admin).post(
        "/api/v1/funds/", {"area": w.P1.pk, **FUND, "focus_chains": [w.CN1.pk, w.CN3.pk]}, format="json"
    )
    assert fund.status_code == 201, fund.content
    assert sorted(fund.json()["focus_chains"]) == sorted([w.CN1.pk, w.CN3.pk])
    history = api(w.admin).get(f"/api/v1/funds/{fund.json()['id']}/history/").json()["results"]
    assert history[-1]["user"] == "admin"


def test_exits_take_back_no_more_than_is_left_and_the_fund_reads_its_totals(world, api):
    """FI1 (10 million) had 3 million exited (FX1, FX3); FI3 (10 million) none: FD1 invested 20 million,
    exited 3 and holds 17."""
    w = world
    client = api(w.investment_officer)
    fund = client.get(f"/api/v1/funds/{w.FD1.pk}/").json()
    assert (fund["invested"], fund["exited"], fund["remaining"]) == (
        "20000000.00",
        "3000000.00",
        "17000000.00",
    )
    assert fund["proceeds"] == "4500000.00" and fund["investment_count"] == 2
    too_much = client.post(
        "/api/v1/fund-exits/",
        {"investment": w.FI1.pk, "exited_on": "2026-06-01", "amount": "7000000.01"},
        format="json",
    )
    assert too_much.status_code == 400 and list(too_much.json()) == ["amount"]
    assert "7000000.00" in too_much.json()["amount"][0]
    early = client.post(
        "/api/v1/fund-exits/",
        {"investment": w.FI1.pk, "exited_on": "2024-12-31", "amount": "1000"},
        format="json",
    )
    assert early.status_code == 400 and list(early.json()) == ["exited_on"]
    stake = client.post(
        "/api/v1/fund-exits/",
        {"investment": w.FI1.pk, "exited_on": "2026-06-01", "amount": "1000", "stake": "0.105"},
        format="json",
    )
    assert stake.status_code == 400 and list(stake.json()) == ["stake"]
    assert "Only 10 % of the stake is left" in stake.json()["stake"][0]
    rest = client.post(
        "/api/v1/fund-exits/",
        {"investment": w.FI1.pk, "exited_on": "2026-06-01", "amount": "7000000.00", "proceeds": "9000000"},
        format="json",
    )
    assert rest.status_code == 201, rest.content
    investment = client.get(f"/api/v1/fund-investments/{w.FI1.pk}/").json()
    assert (investment["exited"], investment["remaining"]) == ("10000000.00", "0.00")
    shrink = client.patch(f"/api/v1/fund-investments/{w.FI1.pk}/", {"amount": "5000000"}, format="json")
    assert shrink.status_code == 400 and list(shrink.json()) == ["amount"]
    assert client.delete(f"/api/v1/funds/{w.FD1.pk}/").status_code == 409


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_fund_page_shows_investments_exits_and_what_remains(world, client, language):
    w = world
    client.force_login(w.park_staff)
    client.cookies["zoneos_language"] = language
    page = client.get(f"/innovation/funds/{w.FD1.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    # In 万元: invested 2,000, exited 300, remaining 1,700.
    assert 'data-testid="fund-invested">2,000.00<' in html or 'data-testid="fund-invested">2000.00<' in html
    assert 'data-testid="fund-remaining">1,700.00<' in html or 'data-testid="fund-remaining">1700.00<' in html
    assert f'data-testid="investment-{w.FI1.pk}"' in html and f'data-testid="exit-{w.FX1.pk}"' in html
    assert w.CN1.label in html
    assert client.get(f"/innovation/funds/{w.FD2.pk}/").status_code == 404
    listed = client.get("/innovation/funds/").content.decode()
    assert f'data-testid="fund-{w.FD1.pk}"' in listed and f'data-testid="fund-{w.FD2.pk}"' not in listed
    # CN3, a chain of Z1 no industry fund focuses on, is named.
    assert 'data-testid="chains-without-fund"' in listed and w.CN3.label in listed


def test_a_chain_page_lists_its_funds_or_says_the_zone_wants_one(world, client):
    w = world
    client.force_login(w.leader)
    client.cookies["zoneos_language"] = "en"
    covered = client.get(f"/chains/{w.CN1.pk}/", {"area": w.Z1.pk})
    html = covered.content.decode()
    assert covered.status_code == 200 and 'data-testid="chain-funds"' in html
    assert w.FD1.name in html and 'data-testid="chain-no-industry-fund"' not in html
    bare = client.get(f"/chains/{w.CN3.pk}/", {"area": w.Z1.pk}).content.decode()
    assert 'data-testid="chain-no-industry-fund"' in bare
    assert "an industry fund for each key future industry" in bare
    # A guidance fund alone does not answer the want.
    Fund.objects.get(pk=w.FD3.pk).focus_chains.add(w.CN3)
    guided = client.get(f"/chains/{w.CN3.pk}/", {"area": w.Z1.pk}).content.decode()
    assert w.FD3.name in guided and 'data-testid="chain-no-industry-fund"' in guided


def test_a_service_goes_to_a_talent_or_a_team_and_the_list_shows_what_each_received(world, api, client):
    w = world
    both = api(w.service_officer).post(
        "/api/v1/talent-services/",
        {"talent": w.TA1.pk, "team": w.TT1.pk, "kind": "schooling", "received_on": "2026-02-01"},
        format="json",
    )
    assert both.status_code == 400 and list(both.json()) == ["talent"]
    wrong_team = api(w.admin).patch(f"/api/v1/talents/{w.TA3.pk}/", {"team": w.TT2.pk}, format="json")
    assert wrong_team.status_code == 400 and "team" in wrong_team.json()
    talent_services.record_service(
        by=w.service_officer,
        talent=w.TA1,
        kind="subsidy",
        received_on=datetime.date(2026, 2, 1),
        amount=Decimal("300000"),
    )
    client.force_login(w.service_officer)
    client.cookies["zoneos_language"] = "en"
    page = client.get("/innovation/talents/").content.decode()
    assert f'data-testid="talent-{w.TA1.pk}"' in page and "Living or settling-in subsidy" in page
    assert f'data-testid="team-{w.TT1.pk}"' in page and w.TA2.name not in page
    doctors = client.get("/innovation/talents/", {"category": "doctor"}).content.decode()
    assert w.TA1.name not in doctors
