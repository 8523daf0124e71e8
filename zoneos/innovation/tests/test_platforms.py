"""Innovation platforms: what is refused (with the field named), a year's figures that a second report
fills in without erasing, the counts by level of an area, the recognitions ending within 90 days warned
on the list and told once to the area's staff, and the pages."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from zoneos.innovation import figures, platform_services, warnings
from zoneos.innovation.models import Platform, PlatformYear
from zoneos.notifications.models import InboxItem

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def days(n: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=n)


def test_a_recognition_valid_to_a_day_before_it_was_recognised_is_refused_naming_valid_to(world, api):
    response = api(world.park_staff).post(
        "/api/v1/innovation-platforms/",
        {
            "area": world.P1.pk,
            "name": "潼湖概念验证中心",
            "kind": "concept_centre",
            "level": "municipal",
            "host_enterprise": world.E1.pk,
            "recognised_on": "2026-05-01",
            "valid_to": "2026-05-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["valid_to"]


def test_a_platform_without_a_host_is_refused_and_one_hosted_by_a_university_kept(world, api):
    client = api(world.admin)
    base = {"area": world.P1.pk, "name": "港澳联合实验室", "kind": "key_lab", "level": "provincial"}
    refused = client.post("/api/v1/innovation-platforms/", base, format="json")
    assert refused.status_code == 400 and "host_name" in refused.json()
    kept = client.post(
        "/api/v1/innovation-platforms/",
        {**base, "host_kind": "hk_macao", "host_name": "香港科技大学"},
        format="json",
    )
    assert kept.status_code == 201, kept.content
    assert kept.json()["host"] == "香港科技大学" and kept.json()["expiring"] is False
    region = client.post(
        "/api/v1/innovation-platforms/", {**base, "area": world.R.pk, "host_name": "某大学"}, format="json"
    )
    assert region.status_code in (400, 404)


def test_a_second_report_of_a_year_fills_in_its_figures_and_never_erases_one(world, api):
    client = api(world.park_staff)
    first = client.post(
        "/api/v1/platform-years/",
        {"platform": world.IP1.pk, "year": 2025, "rd_staff": 30, "incubated": 42, "occupancy": "0.885"},
        format="json",
    )
    assert first.status_code == 201, first.content
    again = client.post(
        "/api/v1/platform-years/",
        {"platform": world.IP1.pk, "year": 2025, "patents": 7, "rd_staff": None, "incubated": None},
        format="json",
    )
    assert again.status_code == 200, again.content
    body = again.json()
    assert (body["rd_staff"], body["incubated"], body["patents"], body["occupancy"]) == (
        30,
        42,
        7,
        "0.8850",
    )
    assert body["id"] == first.json()["id"]
    assert PlatformYear.objects.filter(platform=world.IP1, year=2025).count() == 1
    patched = client.patch(
        f"/api/v1/platform-years/{body['id']}/", {"graduated": None, "patents": 8}, format="json"
    )
    assert patched.json()["patents"] == 8 and patched.json()["incubated"] == 42
    over = client.post(
        "/api/v1/platform-years/",
        {"platform": world.IP1.pk, "year": 2025, "occupancy": "1.2"},
        format="json",
    )
    assert over.status_code == 400 and list(over.json()) == ["occupancy"]
    history = client.get(f"/api/v1/platform-years/{body['id']}/history/").json()["results"]
    assert {e["user"] for e in history} == {"park_staff"}


def test_platforms_by_level_counts_those_in_force_in_the_area_every_level_listed(world):
    w = world
    platform_services.create_platform(
        by=w.root, area=w.P2, name="国家级孵化器", kind="incubator", level="national", host_name="某大学",
        host_kind="university", recognised_on=datetime.date(2020, 1, 1),
    )  # fmt: skip
    platform_services.create_platform(
        by=w.root, area=w.P1, name="已到期的众创空间", kind="maker_space", level="district",
        host_name="某公司", recognised_on=datetime.date(2020, 1, 1), valid_to=datetime.date(2023, 1, 1),
    )  # fmt: skip
    counted = figures.platforms_by_level(w.Z1)
    assert [(r["level"], r["count"]) for r in counted["levels"]] == [
        ("national", 1),
        ("provincial", 1),  # IP1
        ("municipal", 1),  # IP3
        ("district", 0),  # expired in 2023
    ]
    assert counted["total"] == 3
    assert figures.platforms_by_level(w.P1)["total"] == 2
    assert figures.platforms_by_level(w.Z1, on=datetime.date(2022, 6, 1))["levels"][3]["count"] == 1
    # Seen by the caller only: P1's park staff do not see P2's national incubator.
    assert figures.platforms_by_level(w.Z1, user=w.park_staff)["total"] == 2


@pytest.fixture
def ending(world):
    """IP1 (P1) ends in 30 days, IP2 (P3) in 60; IP3 (P1) is valid for a year yet."""
    w = world
    Platform.objects.filter(pk=w.IP1.pk).update(valid_to=days(30))
    Platform.objects.filter(pk=w.IP2.pk).update(valid_to=days(60))
    Platform.objects.filter(pk=w.IP3.pk).update(recognised_on=days(-100), valid_to=days(365))
    return w


def test_the_area_staff_are_told_once_of_a_recognition_ending_within_90_days(ending):
    w = ending
    with translation.override("en"):
        assert warnings.sweep() == {"warned": 2}
    items = InboxItem.objects.filter(event="deadline_near", area=w.P1)
    # P1's admins (the zone's) and park staff; not the zone's leaders or officers.
    assert sorted(items.values_list("user__username", flat=True)) == ["admin", "colleague", "park_staff"]
    item = items.get(user=w.park_staff)
    assert item.subject == f"1 platform's recognition in {w.P1.name} ends within 90 days"
    assert w.IP1.name in item.text and "in 30 days" in item.text
    assert warnings.sweep() == {"warned": 0}  # told once
    # Renewed, then shortened again: warned of again.
    platform_services.update_platform(Platform.objects.get(pk=w.IP1.pk), by=w.root, valid_to=days(20))
    assert warnings.sweep() == {"warned": 1}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_list_counts_by_level_filters_and_warns_of_recognitions_ending_soon(ending, client, language):
    w = ending
    client.force_login(w.park_staff)
    client.cookies["zoneos_language"] = language
    page = client.get("/innovation/platforms/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="ending-soon"' in html and f'data-testid="ending-{w.IP1.pk}"' in html
    assert w.IP2.name not in html  # P3's: out of the park staff's scope
    assert 'data-testid="level-provincial">1<' in html and 'data-testid="level-municipal">1<' in html
    labs = client.get("/innovation/platforms/", {"kind": "key_lab"}).content.decode()
    assert w.IP3.name in labs and w.IP1.name not in labs and 'data-testid="level-total">1<' in labs
    # The page's selects send "any" as an empty value: it filters nothing.
    provincial = client.get(
        "/innovation/platforms/", {"kind": "", "level": "provincial", "q": ""}
    ).content.decode()
    assert w.IP1.name in provincial and w.IP3.name not in provincial
    client.force_login(w.users["enterprise"])
    assert client.get("/innovation/platforms/").status_code == 403


def test_the_platform_page_shows_its_years_and_its_end_near(ending, client):
    w = ending
    client.force_login(w.leader)
    client.cookies["zoneos_language"] = "en"
    page = client.get(f"/innovation/platforms/{w.IP1.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="platform-ending"' in html and "30 days left" in html
    assert 'data-testid="platform-years"' in html and ">2024<" in html and ">2023<" not in html
    assert 'data-testid="figure-occupancy"' in html and "85 %" in html
    assert client.get(f"/innovation/platforms/{w.IP2.pk}/").status_code == 404


def test_park_staff_add_a_platform_and_record_a_year_on_the_pages(world, client):
    w = world
    client.force_login(w.park_staff)
    form = {
        "area": w.P1.pk,
        "name": "潼湖加速器",
        "kind": "accelerator",
        "level": "district",
        "host_kind": "other",
        "host_name": "示范运营公司",
        "recognised_on": "2026-01-01",
        "valid_to": "2025-12-31",
    }
    refused = client.post("/innovation/platforms/new/", form)
    assert refused.status_code == 200 and list(refused.context["form"].errors) == ["valid_to"]
    created = client.post("/innovation/platforms/new/", {**form, "valid_to": "2028-12-31"})
    platform = Platform.objects.get(name="潼湖加速器")
    assert created.status_code == 302 and created["Location"] == f"/innovation/platforms/{platform.pk}/"
    client.post(
        f"/innovation/platforms/{platform.pk}/year/", {"year": 2025, "rd_staff": 12, "occupancy": "60"}
    )
    client.post(f"/innovation/platforms/{platform.pk}/year/", {"year": 2025, "patents": 3, "rd_staff": ""})
    row = PlatformYear.objects.get(platform=platform, year=2025)
    assert (row.rd_staff, row.patents, row.occupancy) == (12, 3, Decimal("0.6"))
    page = client.get(f"/innovation/platforms/{platform.pk}/").content.decode()
    assert 'data-testid="record-year"' in page and 'data-testid="edit-platform"' in page
    client.force_login(w.leader)  # reads, keeps nothing
    assert client.get(f"/innovation/platforms/{platform.pk}/year/").status_code == 403
    assert (
        'data-testid="record-year"'
        not in client.get(f"/innovation/platforms/{platform.pk}/").content.decode()
    )
