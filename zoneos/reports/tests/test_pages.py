"""The briefings page, server side, in Chinese and English."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from zoneos.reports.models import Briefing, BriefingSchedule

pytestmark = pytest.mark.django_db
PAGE = "/reports/briefings/"


def signed_in(user, language="zh-hans") -> Client:
    client = Client()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": language})
    return client


def test_the_page_renders_for_the_zones_staff_in_chinese_and_english(world):
    zh = signed_in(world.users["supervisor"]).get(PAGE)
    page = zh.content.decode()
    assert zh.status_code == 200 and '<html lang="zh-CN">' in page
    assert 'data-testid="download-pdf"' in page and 'data-testid="download-xlsx"' in page
    assert "一号高新区" in page and "二号园" in page and "三号园" not in page
    assert 'href="/reports/briefings/"' in page  # in the navigation
    assert 'data-testid="schedule-form"' in page  # supervisors keep schedules
    en = signed_in(world.users["supervisor"], "en").get(PAGE).content.decode()
    assert "Download PDF" in en and "Download Excel" in en and "Kept briefings" in en and "Schedules" in en
    leader = signed_in(world.users["leader"], "en").get(PAGE).content.decode()
    assert "Download PDF" in leader and 'data-testid="schedule-form"' not in leader
    handler = signed_in(world.users["handler"], "en").get(PAGE)
    assert handler.context["area"] is None and 'data-testid="download-pdf"' not in handler.content.decode()


def test_downloading_from_the_page(world):
    client = signed_in(world.park_staff, "en")
    query = {"area": world.P1.pk, "month": "2025-03", "format": "xlsx"}
    response = client.get("/reports/briefings/download/", query)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="briefing-P1-2025-03.xlsx"'
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.worksheets[0].title == "Summary"
    for area in (world.P2.pk, "²", 2**70, ""):
        assert client.get("/reports/briefings/download/", {**query, "area": area}).status_code == 404, area
    assert client.get(PAGE, {"area": "²", "month": "x"}).context["area"] == world.P1
    bad = client.get("/reports/briefings/download/", {**query, "month": "2025-13"}, follow=True)
    assert "Give a month as YYYY-MM." in bad.content.decode()


def test_keeping_copies_and_schedules_from_the_page(world, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = signed_in(world.users["supervisor"], "en")
    with django_capture_on_commit_callbacks(execute=True):
        fragment = client.post(
            "/reports/briefings/request/",
            {"area": world.P1.pk, "month": "2025-03", "formats": ["xlsx"]},
            HTTP_HX_REQUEST="true",
        )
    assert fragment.status_code == 200 and "being prepared" in fragment.content.decode()
    kept = Briefing.objects.get()
    assert kept.status == "done" and kept.requested_by == world.users["supervisor"]
    listing = client.get(PAGE, {"part": "list"}, HTTP_HX_REQUEST="true").content.decode()
    assert f'href="/reports/briefings/{kept.pk}/file/"' in listing and "<html" not in listing
    assert client.get(f"/reports/briefings/{kept.pk}/file/").status_code == 200
    client.post("/set-area/", {"area": world.P2.pk})  # the switcher narrows the list to P2
    assert f"briefing-{kept.pk}" not in client.get(PAGE).content.decode()
    client.post("/set-area/", {"area": ""})
    assert signed_in(world.outsider).get(f"/reports/briefings/{kept.pk}/file/").status_code == 404
    assert f'data-testid="remove-briefing-{kept.pk}"' in listing
    assert signed_in(world.outsider).post(f"/reports/briefings/{kept.pk}/delete/").status_code == 404
    after = client.post(f"/reports/briefings/{kept.pk}/delete/", HTTP_HX_REQUEST="true").content.decode()
    assert "No briefings kept yet." in after and not Briefing.objects.exists()
    out_of_reach = client.post(
        "/reports/briefings/request/", {"area": world.P3.pk, "month": "2025-03"}, HTTP_HX_REQUEST="true"
    )
    assert "Choose an area whose key-project figures you may read." in out_of_reach.content.decode()

    added = client.post(
        "/reports/schedules/",
        {"area": world.Z1.pk, "day_of_month": "5", "formats": ["pdf"], "language": "zh-hans"},
        follow=True,
    )
    assert "Schedule added." in added.content.decode()
    planned = BriefingSchedule.objects.get()
    assert (planned.area, planned.day_of_month, planned.formats) == (world.Z1, 5, ["pdf"])
    refused = signed_in(world.users["leader"], "en").post(
        "/reports/schedules/", {"area": world.Z1.pk, "day_of_month": "5", "formats": ["pdf"]}, follow=True
    )
    assert "Choose an area." in refused.content.decode() and BriefingSchedule.objects.count() == 1
    assert (
        signed_in(world.users["leader"]).post(f"/reports/schedules/{planned.pk}/delete/").status_code == 302
    )
    assert BriefingSchedule.objects.exists()  # the leader may read it, not remove it
    removed = client.post(f"/reports/schedules/{planned.pk}/delete/", HTTP_HX_REQUEST="true")
    assert removed.status_code == 200 and "No schedules." in removed.content.decode()
    assert not BriefingSchedule.objects.exists()
