"""The chain-chief system: a chain's chief, office and lead department, kept by the zone's admins with
the field named when refused; and what the chain's page gathers for the chief (the enterprises' figures,
projects, open appeals, policy money, the service officers of its leaders), within the caller's scope."""

from decimal import Decimal

import pytest

from zoneos.chains import overview, services
from zoneos.chains.models import Placement
from zoneos.enterprises.models import Enterprise, Indicator

from .world import YEAR, build_chain


@pytest.fixture
def chain(world):
    return build_chain(world)


def test_the_zones_admin_names_the_chain_chief_and_a_wrong_one_names_the_field(world, chain, api):
    c, *_ = chain
    admin = api(world.admin)
    url = f"/api/v1/chains/{c.pk}/"
    ok = admin.patch(
        url,
        {"chief": world.leader.pk, "chief_title": "管委会副主任", "lead_department": world.D1.pk},
        format="json",
    )
    assert ok.status_code == 200, ok.content
    assert (ok.json()["chief"], ok.json()["lead_department"]) == (world.leader.pk, world.D1.pk)
    history = admin.get(f"{url}history/").json()["results"][0]
    assert history["user"] == "admin" and "chief" in history["changes"]
    # An official of another zone, a department of another zone: refused, naming the field.
    assert admin.patch(url, {"chief": world.stranger.pk}, format="json").status_code == 400
    wrong = admin.patch(url, {"lead_department": world.D2.pk}, format="json")
    assert wrong.status_code == 400 and "lead_department" in wrong.json()
    # Only the zone's admins keep it.
    assert api(world.investment_officer).patch(url, {"chief_title": "x"}, format="json").status_code == 403


def test_the_chain_page_gathers_figures_appeals_and_officers_within_scope(world, chain, client):
    c, _car, links, e = chain
    Placement.objects.filter(link=links["BAT"], enterprise=world.E1).update(role="leader")
    Enterprise.objects.filter(pk=world.E1.pk).update(service_officer=world.service_officer)
    Indicator.objects.filter(enterprise=world.E1).update(year=YEAR, output_value=Decimal("100000000"))
    services.place(link=links["MOT"], project=world.PR1, by=world.root)

    zone = overview.overview(c, world.Z1, world.admin, year=YEAR)
    # A2 300 million + A3 12 million + E1 100 million; D1 (deregistered) and Q2 (no figures) add nothing.
    assert zone["figures"]["output_value"] == Decimal("412000000")
    assert zone["figures"]["enterprises"] == 3
    assert zone["pipeline"]["count"] == 1 and zone["projects"] == [world.PR1]
    assert zone["appeal_count"] == 1 and zone["appeals"][0] == world.AP1  # E1's open appeal
    assert overview.chief_team(c, world.Z1, world.admin) == [
        {"name": world.service_officer.label, "enterprises": [world.E1.name]}
    ]
    # Park P2's part of the chain holds Q2 only: no figures, no appeal, no project.
    p2 = overview.overview(c, world.P2, world.root, year=YEAR)
    assert (p2["figures"]["enterprises"], p2["appeal_count"], p2["pipeline"]["count"]) == (0, 0, 0)

    client.force_login(world.admin)
    page = client.get(f"/chains/{c.pk}/?year={YEAR}").content.decode()
    assert 'data-testid="chain-figures"' in page and world.AP1.title in page
    client.force_login(world.admin)
    response = client.post(
        f"/chains/{c.pk}/",
        {"action": "chief", "chief": world.leader.pk, "chief_title": "区委副书记", "lead_department": ""},
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.chief == world.leader and c.chief_title == "区委副书记" and c.lead_department is None
