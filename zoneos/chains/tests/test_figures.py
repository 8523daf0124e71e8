"""Chain figures on the pages of the modules below: the funnel's projects by chain with the sentence
zones report ("N chain projects: ..."), supervision's key projects by chain, within the caller's scope."""

from decimal import Decimal

import pytest

from zoneos.chains import figures, services
from zoneos.pipeline.moves import move

from .world import build_chain


@pytest.fixture
def chain(world):
    c, _car, links, _e = build_chain(world)
    services.place(link=links["BAT"], project=world.PR1, by=world.root)
    services.place(link=links["MOT"], project=world.PR1, by=world.root)  # twice on one chain: once
    services.place(link=links["MOT"], project=world.PR3, by=world.root)
    services.place(link=links["BAT"], key_project=world.KP1, by=world.root)
    return c, links


def test_the_funnel_and_the_summary_count_projects_by_chain(world, chain, client):
    c, _links = chain
    move(world.PR1, by=world.root, to="signed", on=world.PR1.stage_on)
    move(world.PR1, by=world.root, to="registered", on=world.PR1.stage_on)
    found = figures.chain_projects(world.admin, world.Z1)
    assert found["total"] == 2
    assert [(r["chain"], r["projects"], r["landed"]) for r in found["chains"]] == [(c, 2, 1)]
    assert figures.sentence(found) in {
        "2 chain projects: New-energy vehicles 2.",
        "2 chain projects: 新能源汽车 2.",
    }
    assert figures.chain_projects(world.admin, world.Z2)["total"] == 0
    assert figures.chain_key_projects(world.admin, world.Z1, 2025) == [
        {"chain": c, "projects": 1, "annual_plan": Decimal("1200000000.00")}
    ]

    client.force_login(world.investment_officer)
    funnel = client.get(
        "/projects/funnel/", {"area": world.Z1.pk}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert 'data-testid="chain-projects"' in funnel and "2个产业链项目" in funnel
    client.force_login(world.supervisor)
    summary = client.get("/supervision/", {"area": world.Z1.pk, "month": "2025-06"}).content.decode()
    assert 'data-testid="chain-key-projects"' in summary and c.name in summary


def test_park_staff_count_their_parks_chain_projects_only(world, chain):
    services.place(link=world.LK2, project=world.PR2, by=world.root)  # zone Z2's chain, park P3
    assert figures.chain_projects(world.park_staff, None)["total"] == 2  # PR1 and PR3, both in P1
    assert figures.chain_projects(world.root, None)["total"] == 3


def test_the_coverage_matrix_and_the_target_list_pages(world, chain, client):
    c, links = chain
    services.create_candidate(
        by=world.root, chain=c, name="远方芯片有限公司", links=[links["CHIP"]], labels=["little_giant"]
    )
    client.force_login(world.admin)
    matrix = client.get("/chains/matrix/", {"area": world.Z1.pk, "year": 2025}).content.decode()
    # P1 holds E1, A2, A3 on BAT (strong) and S1 on MOT (weak); CHIP missing: (0 + 0.5 + 2) / 4.
    assert f'data-testid="cell-{c.code}-{world.P1.pk}">62.5%' in matrix
    # P2 holds Q2 on MOT only: BAT missing too, (1 + 0.5 + 2) / 4.
    assert f'data-testid="cell-{c.code}-{world.P2.pk}">87.5%' in matrix
    page = client.get(f"/chains/{c.pk}/targets/").content.decode()
    assert "远方芯片有限公司" in page and 'data-testid="import-targets"' in page
    # Park staff compare only the park they see; they read the targets but do not import them.
    client.force_login(world.park_staff)
    matrix = client.get("/chains/matrix/", {"area": world.Z1.pk, "year": 2025}).content.decode()
    assert f"cell-{c.code}-{world.P1.pk}" in matrix and f"cell-{c.code}-{world.P2.pk}" not in matrix
    page = client.get(f"/chains/{c.pk}/targets/").content.decode()
    assert "远方芯片有限公司" in page and 'data-testid="import-targets"' not in page


def test_the_data_highlights_name_the_chain_projects(world, chain, api):
    response = api(world.admin).get("/api/v1/stats/overview/", {"area": world.Z1.pk, "year": 2024})
    assert response.status_code == 200, response.content
    text = response.json()["highlights"]
    # After the registry's figures and before the area's innovation and space (`reports.innovation`).
    assert " 2 chain projects: New-energy vehicles 2. Innovation and space: " in text["en"]
    assert "2个产业链项目：新能源汽车 2。科技创新与空间方面" in text["zh-hans"]
    # The enterprise user sees no chain: no such sentence.
    from zoneos.stats.highlights import highlights
    from zoneos.stats.services import overview

    assert "chain projects" not in highlights(overview(world.Z1, 2024), world.enterprise)["en"]
