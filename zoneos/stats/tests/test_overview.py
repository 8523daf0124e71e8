"""The overview equals hand computation on a small fixture, follows every registry change at once,
and is what the dashboard and the highlights show.

Fixture (years 2030 and 2031, amounts in million yuan):

    Z1 ── P1: A (manufacturing, domestic)   2030: 100  2031: 150  main business 25, high-tech in 2031
          │   B (software, Hong Kong)                  2031:  50  main business 30
          └ P2: C (auto parts, German)      2030: 200  2031: 180  main business 10, high-tech until 2029
              D (moved out)                 2030: 1000 2031: 1000
    Z2 ── P3: E (manufacturing, domestic)   2030: 300  2031: 400
"""

from decimal import Decimal

import pytest

from zoneos.enterprises.models import Enterprise
from zoneos.stats import services
from zoneos.stats.highlights import chinese, english

pytestmark = pytest.mark.django_db

M = Decimal(1_000_000)


@pytest.fixture
def zone(world, api):
    client = api(world.root)

    def enterprise(name, area, industry, origin="domestic", country="", status="active"):
        response = client.post(
            "/api/v1/enterprises/",
            {
                "name": name,
                "area": area.pk,
                "industry_code": industry,
                "capital_origin": origin,
                "capital_country": country,
                "status": status,
            },
            format="json",
        )
        assert response.status_code == 201, response.content
        return response.json()["id"]

    def figures(pk, year, output, mbr=None):
        payload = {
            "enterprise": pk,
            "year": year,
            "output_value": str(output * M),
            "revenue": str(output * M),
        }
        payload["tax_paid"] = str(output * M / 10)
        if mbr is not None:
            payload["main_business_revenue"] = str(mbr * M)
        response = client.post("/api/v1/indicators/", payload, format="json")
        assert response.status_code == 201, response.content

    ids = {
        "A": enterprise("甲制造", world.P1, "3612"),
        "B": enterprise("乙软件", world.P1, "6513", "hong_kong"),
        "C": enterprise("丙零部件", world.P2, "3670", "foreign", "DE"),
        "D": enterprise("丁迁出", world.P2, "3670", status="moved_out"),
        "E": enterprise("戊制造", world.P3, "3612"),
    }
    figures(ids["A"], 2030, 100)
    figures(ids["A"], 2031, 150, mbr=25)
    figures(ids["B"], 2031, 50, mbr=30)
    figures(ids["C"], 2030, 200)
    figures(ids["C"], 2031, 180, mbr=10)
    figures(ids["D"], 2030, 1000)
    figures(ids["D"], 2031, 1000)
    figures(ids["E"], 2030, 300)
    figures(ids["E"], 2031, 400)
    for key, start, end in (("A", "2031-03-01", None), ("C", "2026-12-01", "2029-11-30")):
        label = {"enterprise": ids[key], "kind": "high_tech", "valid_from": start, "valid_to": end}
        assert client.post("/api/v1/labels/", label, format="json").status_code == 201
    return ids


def overview(client, area, year=2031):
    response = client.get("/api/v1/stats/overview/", {"area": area.pk, "year": year})
    assert response.status_code == 200, response.content
    return response.json()


def test_the_zone_overview_equals_hand_computation(world, api, zone):
    o = overview(api(world.leader), world.Z1)
    assert o["enterprises"] == 3  # D moved out
    assert o["above_designated_size"] == 1  # A: industrial with 25 million; B is not industrial; C has 10
    assert o["high_tech"] == 1  # C's certificate ended in 2029
    assert o["output_value"] == "380000000.00"
    assert o["output_value_prev"] == "300000000.00"
    assert o["output_yoy"] == "0.2667"  # 380 / 300 - 1, total against total
    assert o["output_yoy_comparable"] == "0.1000"  # (150 + 180) / (100 + 200) - 1: A and C only
    assert o["revenue"] == "380000000.00"
    assert o["tax_paid"] == "38000000.00"
    assert o["share_of_parent"] == "0.4872"  # 380 / (380 + 400)
    assert o["parent"]["id"] == world.R.pk

    children = {c["id"]: c for c in o["by_child"]}
    assert children[world.P1.pk]["output_value"] == "200000000.00"
    assert children[world.P1.pk]["output_yoy"] == "1.0000"
    assert children[world.P1.pk]["share"] == "0.5263"
    assert children[world.P2.pk]["output_value"] == "180000000.00"
    assert children[world.P2.pk]["output_yoy"] == "-0.1000"
    assert [c["id"] for c in o["by_child"]] == [world.P1.pk, world.P2.pk]  # largest first

    sections = {s["section"]: s for s in o["by_industry_section"]}
    assert sections["C"]["output_value"] == "330000000.00" and sections["C"]["enterprises"] == 2
    assert (
        sections["I"]["output_value"] == "50000000.00"
        and sections["I"]["name"] == "信息传输、软件和信息技术服务业"
    )
    origins = {s["capital_origin"]: s["output_value"] for s in o["by_capital_origin"]}
    assert origins == {"domestic": "150000000.00", "hong_kong": "50000000.00", "foreign": "180000000.00"}


def test_the_root_has_no_share_of_parent_and_a_year_without_a_previous_one_has_no_growth(world, api, zone):
    o = overview(api(world.root), world.R)
    assert o["enterprises"] == 4
    assert o["output_value"] == "780000000.00"
    assert o["share_of_parent"] is None
    first = overview(api(world.root), world.R, year=2030)
    assert first["output_yoy"] is None and first["output_yoy_comparable"] is None
    assert first["enterprises"] == 3  # A, C, E (D moved out)


def test_the_overview_follows_each_registry_change_at_once(world, api, zone):
    client = api(world.root)
    # Moving C to P1 moves its figures between children; the zone's totals stay.
    client.patch(f"/api/v1/enterprises/{zone['C']}/", {"area": world.P1.pk}, format="json")
    o = overview(client, world.Z1)
    assert {c["id"]: c["output_value"] for c in o["by_child"]}[world.P1.pk] == "380000000.00"
    # Marking A moved out removes it from every figure.
    client.patch(f"/api/v1/enterprises/{zone['A']}/", {"status": "moved_out"}, format="json")
    o = overview(client, world.Z1)
    assert o["enterprises"] == 2 and o["high_tech"] == 0 and o["output_value"] == "230000000.00"
    # A revision of last year's figures changes this year's growth.
    c_2030 = client.get("/api/v1/indicators/", {"enterprise": zone["C"], "year": 2030}).json()["results"][0]
    client.post(f"/api/v1/indicators/{c_2030['id']}/revise/", {"output_value": str(90 * M), "reason": "更正"})
    o = overview(client, world.Z1)
    assert o["output_yoy_comparable"] == "1.0000"  # 180 / 90 - 1
    # A full rebuild gives the same numbers as the incremental updates.
    before = overview(client, world.R)
    services.refresh(None)
    assert overview(client, world.R) == before


def test_targets_show_progress_and_gap(world, api, zone):
    client = api(world.statistician)
    response = client.post(
        "/api/v1/targets/",
        {"area": world.Z1.pk, "metric": "output_value", "year": 2031, "value": str(400 * M)},
        format="json",
    )
    assert response.status_code == 201, response.content
    target = next(t for t in overview(client, world.Z1)["targets"] if t["year"] == 2031)
    assert target["actual"] == "380000000.00"
    assert target["progress"] == "0.9500"
    assert target["gap"] == "20000000.00"


def test_bad_parameters_name_themselves_and_other_zones_do_not_exist(world, api, zone):
    client = api(world.leader)
    assert "area" in client.get("/api/v1/stats/overview/").json()
    assert "year" in client.get("/api/v1/stats/overview/", {"area": world.Z1.pk, "year": "1800"}).json()
    assert client.get("/api/v1/stats/overview/", {"area": world.Z2.pk}).status_code == 404


def test_highlights_are_written_from_the_numbers_in_both_languages(world, zone):
    o = services.overview(world.Z1, 2031)
    zh, en = chinese(o), english(o)
    assert "企业3家" in zh and "规模以上企业1家" in zh and "高新技术企业1家" in zh
    assert "产值3.80亿元" in zh and "同比增长26.7%" in zh and "可比口径增长10.0%" in zh
    assert "占测试省的48.7%" in zh
    assert "3 active enterprises" in en and "3.80 hundred million yuan" in en and "up 26.7 %" in en
    assert "(up 10.0 % on a comparable basis)" in en
    Enterprise.objects.update(status="deregistered")
    services.refresh(None)
    assert "暂无" in chinese(services.overview(world.Z1, 2031))


def test_a_statistician_sets_a_target_on_the_page_and_the_dashboard_shows_its_progress(world, client, zone):
    client.force_login(world.statistician)
    response = client.post(
        "/targets/new/", {"area": world.Z1.pk, "metric": "output_value", "year": 2031, "value": "400000000"}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "95.0%" in page  # 380 of 400 million
    client.force_login(world.leader)
    assert client.get("/targets/new/").status_code == 403
