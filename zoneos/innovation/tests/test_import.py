"""The platforms' yearly figures import: a sheet of a row per platform and year, checked row by row (a
bad row names its column and nothing is written), then committed through the services; a second sheet
with blank cells fills in the figures it gives and keeps the others."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zoneos.innovation.models import PlatformYear

pytestmark = pytest.mark.django_db
HEADER = "平台名称,年度,研发人员,科研项目数,专利数,在孵企业数,毕业企业数,入驻率（%）\n"


def upload(client, text):
    file = SimpleUploadedFile("platforms.csv", text.encode("utf-8-sig"))
    response = client.post("/api/v1/imports/", {"kind": "platform_years", "file": file}, format="multipart")
    assert response.status_code == 201, response.content
    return response.json()


def test_a_sheet_of_yearly_figures_is_checked_then_fills_in_without_erasing(world, api):
    client = api(world.park_staff)
    ip1, ip3 = world.IP1.name, world.IP3.name
    bad = upload(
        client,
        HEADER
        + f"{ip1},2025,30,8,12,50,6,90\n"
        + f"{world.IP2.name},2025,1,1,1,1,1,50\n"  # row 3: P3's platform, out of reach
        + f"{ip3},2025,-4,,,,,130\n",  # row 4: a negative count, an occupancy over 100
    )
    assert bad["status"] == "invalid"
    assert {(e["row"], e["column"]) for e in bad["errors"]} == {
        (3, "平台名称"),
        (4, "研发人员"),
        (4, "入驻率（%）"),
    }
    assert not PlatformYear.objects.filter(year=2025).exists()

    good = upload(client, HEADER + f"{ip1},2025,30,8,12,50,6,90\n{ip1},2024,25,,,,,\n")
    assert good["status"] == "ready" and (good["created"], good["updated"]) == (1, 1), good
    assert client.post(f"/api/v1/imports/{good['id']}/commit/").json()["status"] == "committed"
    row = PlatformYear.objects.get(platform=world.IP1, year=2025)
    assert (row.rd_staff, row.patents, row.occupancy) == (30, 12, Decimal("0.9"))
    kept = PlatformYear.objects.get(pk=world.PY1.pk)
    assert (kept.rd_staff, kept.incubated, kept.occupancy) == (25, 30, Decimal("0.85"))  # blanks kept

    again = upload(client, HEADER + f"{ip1},2025,,,15,,,\n")
    assert (again["created"], again["updated"]) == (0, 1), again
    client.post(f"/api/v1/imports/{again['id']}/commit/")
    row.refresh_from_db()
    assert (row.rd_staff, row.patents, row.incubated) == (30, 15, 50)


def test_only_the_platforms_keepers_import_their_figures(world, api):
    file = SimpleUploadedFile("platforms.csv", (HEADER + f"{world.IP1.name},2025,1,,,,,\n").encode())
    response = api(world.leader).post(
        "/api/v1/imports/", {"kind": "platform_years", "file": file}, format="multipart"
    )
    assert response.status_code in {400, 403}
    assert not PlatformYear.objects.filter(year=2025).exists()
