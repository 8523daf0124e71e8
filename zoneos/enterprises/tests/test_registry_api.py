"""The registry through the API: codes are checked as GB 32100 says, figures follow the statistical
rules, locked years change only by a revision with a reason, and every change is in history."""

import pytest
from django.test import Client

from zoneos.core.codes import build_uscc
from zoneos.enterprises.models import Enterprise, Indicator

pytestmark = pytest.mark.django_db

VALID = "91440305MA5FXK7Q1W"
LEGACY = "91350100M0001TGQXM"  # a genuine early pilot code that fails mod 31


def create(client, **fields):
    payload = {"name": "小鹏汽车科技有限公司", "area": fields.pop("area"), "uscc": VALID, **fields}
    return client.post("/api/v1/enterprises/", payload, format="json")


def test_a_mistyped_code_is_refused_naming_uscc_and_nothing_is_written(world, api):
    response = create(api(world.park_staff), area=world.P1.pk, uscc="91440305MA5FXK7Q1X")
    assert response.status_code == 400
    assert "uscc" in response.json()
    assert "W" in response.json()["uscc"][0]  # says which check character was expected
    assert not Enterprise.objects.filter(name="小鹏汽车科技有限公司").exists()


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91110108MA01AB3CX", "18"),
        ("91110108MAI1AB3CX1", "I"),
        ("9111A108MA01AB3CX1", "3"),
    ],
)
def test_length_characters_and_division_digits_are_checked(world, api, code, fragment):
    response = create(api(world.park_staff), area=world.P1.pk, uscc=code)
    assert response.status_code == 400
    assert fragment in response.json()["uscc"][0]


def test_a_code_is_stored_upper_case_and_a_gb11714_mismatch_is_only_a_warning(world, api):
    response = create(api(world.park_staff), area=world.P1.pk, uscc=" 91110108ma01ab3c5n ")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["uscc"] == "91110108MA01AB3C5N"
    assert body["uscc_warnings"] and "X" in body["uscc_warnings"][0]


def test_a_legacy_code_needs_an_override_with_a_reason_which_history_keeps(world, api):
    client = api(world.park_staff)
    assert create(client, area=world.P1.pk, uscc=LEGACY).status_code == 400
    no_reason = create(client, area=world.P1.pk, uscc=LEGACY, uscc_override=True)
    assert no_reason.status_code == 400 and "uscc_override_reason" in no_reason.json()
    ok = create(
        client,
        area=world.P1.pk,
        uscc=LEGACY,
        uscc_override=True,
        uscc_override_reason="厦门早期试点代码，经核实",
    )
    assert ok.status_code == 201, ok.content
    history = client.get(f"/api/v1/enterprises/{ok.json()['id']}/history/").json()["results"]
    assert history[0]["user"] == "park_staff"
    assert history[0]["changes"]["uscc_override_reason"] == [None, "厦门早期试点代码，经核实"]


def test_duplicate_codes_and_foreign_capital_without_a_country_name_their_fields(world, api):
    client = api(world.park_staff)
    assert create(client, area=world.P1.pk).status_code == 201
    again = create(client, area=world.P1.pk, name="另一家")
    assert again.status_code == 400 and "uscc" in again.json()
    foreign = create(client, area=world.P1.pk, uscc="", name="外资企业", capital_origin="foreign")
    assert foreign.status_code == 400 and "capital_country" in foreign.json()
    ok = create(
        client, area=world.P1.pk, uscc="", name="外资企业", capital_origin="foreign", capital_country="DE"
    )
    assert ok.status_code == 201 and ok.json()["capital_country"] == "DE"


def test_emerging_industries_are_named_by_code_and_junk_is_a_400(world, api):
    from zoneos.enterprises.models import EmergingIndustry

    client = api(world.park_staff)
    known = EmergingIndustry.objects.order_by("code").first().code
    ok = create(client, area=world.P1.pk, name="新材料公司", emerging_industries=[known])
    assert ok.status_code == 201 and ok.json()["emerging_industries"] == [known]
    for junk in (["no-such"], ["a\x00b"], [7]):
        response = create(client, area=world.P1.pk, name="别的公司", emerging_industries=junk)
        assert response.status_code == 400 and "emerging_industries" in response.json(), junk
    assert not Enterprise.objects.filter(name="别的公司").exists()


def test_industry_codes_come_from_the_loaded_classification(world, api):
    client = api(world.park_staff)
    bad = create(client, area=world.P1.pk, industry_code="9999")
    assert bad.status_code == 400 and "industry_code" in bad.json()
    ok = create(client, area=world.P1.pk, industry_code="C3612")
    assert ok.status_code == 201
    assert ok.json()["industry_code"] == "3612"
    assert ok.json()["industry_section"] == "C"
    assert ok.json()["industry_name"] == "Manufacture of New Energy Vehicles"  # the request asks for English


def test_an_enterprise_cannot_be_placed_outside_the_writers_areas(world, api):
    response = create(api(world.park_staff), area=world.P3.pk)
    assert response.status_code == 400 and "area" in response.json()


def figures(client, enterprise, year, **values):
    return client.post(
        "/api/v1/indicators/", {"enterprise": enterprise.pk, "year": year, **values}, format="json"
    )


def test_figures_derive_above_designated_size_and_the_size_class(world, api):
    client = api(world.statistician)
    factory = Enterprise.objects.create(
        name="制造企业", area=world.P1, industry_code="3612", industry_section="C"
    )
    shop = Enterprise.objects.create(
        name="软件企业", area=world.P1, industry_code="6511", industry_section="I"
    )
    made = figures(
        client, factory, 2025, main_business_revenue="20000000.00", revenue="25000000", employees=320
    )
    assert made.status_code == 201, made.content
    assert made.json()["above_designated_size"] is True
    assert made.json()["size_class"] == "medium"
    below = figures(
        client, factory, 2024, main_business_revenue="19999999.99", revenue="19999999.99", employees=320
    )
    assert below.json()["above_designated_size"] is False
    assert below.json()["size_class"] == "small"  # 320 staff but revenue under 20 million: one class down
    software = figures(client, shop, 2025, main_business_revenue="90000000")
    assert software.json()["above_designated_size"] is False  # the rule is for industrial enterprises
    explicit = client.patch(
        f"/api/v1/indicators/{software.json()['id']}/", {"above_designated_size_set": True}, format="json"
    )
    assert explicit.json()["above_designated_size"] is True
    factory.refresh_from_db()
    assert factory.size_class == "medium"  # the latest year's class


def test_a_second_row_for_the_same_year_names_year(world, api):
    client = api(world.statistician)
    assert figures(client, world.E1, 2025, revenue="1").status_code == 201
    again = figures(client, world.E1, 2025, revenue="2")
    assert again.status_code == 400 and "year" in again.json()


def test_a_locked_year_refuses_plain_changes_and_accepts_a_revision_with_a_reason(world, api):
    client = api(world.statistician)
    row = figures(client, world.E1, 2023, output_value="1000000.00").json()
    assert client.post("/api/v1/year-locks/", {"area": world.Z1.pk, "year": 2023}).status_code == 201

    plain = client.patch(f"/api/v1/indicators/{row['id']}/", {"output_value": "2000000.00"}, format="json")
    assert plain.status_code == 409
    assert figures(client, world.E1, 2023, output_value="5").status_code == 400  # the year exists
    assert Indicator.objects.get(pk=row["id"]).output_value == 1000000

    no_reason = client.post(f"/api/v1/indicators/{row['id']}/revise/", {"output_value": "2000000.00"})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    revised = client.post(
        f"/api/v1/indicators/{row['id']}/revise/", {"output_value": "2000000.00", "reason": "统计局反馈更正"}
    )
    assert revised.status_code == 200, revised.content
    assert revised.json()["output_value"] == "2000000.00"
    assert revised.json()["revisions"][0]["reason"] == "统计局反馈更正"
    assert revised.json()["revisions"][0]["by"] == "statistician"
    history = client.get(f"/api/v1/indicators/{row['id']}/history/").json()["results"]
    assert history[0]["changes"]["output_value"] == ["1000000.00", "2000000.00"]


def test_search_finds_names_by_pinyin_initials_and_codes_by_prefix(world, api):
    client = api(world.park_staff)
    create(client, area=world.P1.pk, name="小鹏汽车科技有限公司", uscc=VALID)
    other = build_uscc("9", "1", "440300", "MA5G0001")
    create(client, area=world.P1.pk, name="比亚迪电子有限公司", uscc=other)

    def names(**query):
        return [e["name"] for e in client.get("/api/v1/enterprises/", query).json()["results"]]

    assert names(q="xpqc") == ["小鹏汽车科技有限公司"]
    assert names(q="xiaopeng") == ["小鹏汽车科技有限公司"]
    assert names(q="小鹏") == ["小鹏汽车科技有限公司"]
    assert names(q="91440305") == ["小鹏汽车科技有限公司"]
    assert names(uscc="91440300") == ["比亚迪电子有限公司"]
    assert len(names(uscc="914403")) == 2


def test_filters_by_section_label_origin_and_size(world, api):
    client = api(world.park_staff)
    ev = create(client, area=world.P1.pk, name="整车厂", industry_code="3612").json()
    create(
        client, area=world.P1.pk, uscc="", name="软件公司", industry_code="6511", capital_origin="hong_kong"
    )
    client.post(
        "/api/v1/labels/",
        {"enterprise": ev["id"], "kind": "little_giant", "valid_from": "2024-01-01"},
        format="json",
    )

    def names(**query):
        return sorted(e["name"] for e in client.get("/api/v1/enterprises/", query).json()["results"])

    assert names(industry_section="C") == ["整车厂"]
    assert names(industry_division="65") == ["软件公司"]
    assert names(label="little_giant") == ["整车厂"]
    assert names(capital_origin="hong_kong") == ["软件公司"]
    assert names(status="moved_out") == []


def test_the_section_filter_survives_building_the_api_document(world, api):
    """Building /api/schema/ instantiates the filter forms; the section choices must not freeze empty."""
    client = api(world.park_staff)
    create(client, area=world.P1.pk, name="整车厂", industry_code="3612")
    create(client, area=world.P1.pk, uscc="", name="软件公司", industry_code="6511")
    assert api(world.root).get("/api/schema/").status_code == 200
    response = client.get("/api/v1/enterprises/", {"industry_section": "C"})
    assert response.status_code == 200, response.content
    assert [e["name"] for e in response.json()["results"]] == ["整车厂"]
    page = Client()
    page.force_login(world.park_staff)
    assert "整车厂" in page.get("/enterprises/", {"industry_section": "C"}).content.decode()
    assert "软件公司" not in page.get("/enterprises/", {"industry_section": "C"}).content.decode()
    assert "C 制造业" in page.get("/enterprises/").content.decode()
    page.cookies["zoneos_language"] = "en"
    assert "C Manufacturing" in page.get("/enterprises/").content.decode()
