"""A platform's yearly occupancy is a fraction from 0 to 1 in storage and in the API (0.85 is 85 %), as the
funds' shares are: 85 sent as if it were per cent is refused naming the field, a request naming the old
`occupancy_pct` is refused rather than silently ignored, the pages take and show per cent, a sheet is
read in per cent and a bare 0.85 in it is refused rather than guessed, and the migration divides every
stored percentage by 100."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from zoneos.innovation.models import PlatformYear
from zoneos.testing.factories import EnterpriseFactory

HEADER = "平台名称,年度,研发人员,科研项目数,专利数,在孵企业数,毕业企业数,入驻率（%）\n"


@pytest.mark.django_db
def test_an_occupancy_of_85_sent_to_the_api_is_refused_naming_the_field(world, api):
    client = api(world.park_staff)
    over = client.post(
        "/api/v1/platform-years/", {"platform": world.IP1.pk, "year": 2025, "occupancy": "85"}, format="json"
    )
    assert over.status_code == 400 and list(over.json()) == ["occupancy"]
    assert "0.35 is 35 %" in over.json()["occupancy"][0]
    patched = client.patch(f"/api/v1/platform-years/{world.PY1.pk}/", {"occupancy": "85"}, format="json")
    assert patched.status_code == 400 and list(patched.json()) == ["occupancy"]
    assert PlatformYear.objects.get(pk=world.PY1.pk).occupancy == Decimal("0.85")
    assert not PlatformYear.objects.filter(platform=world.IP1, year=2025).exists()


@pytest.mark.django_db
def test_an_occupancy_is_kept_as_a_fraction_and_read_back_with_four_decimals(world, api):
    client = api(world.park_staff)
    made = client.post(
        "/api/v1/platform-years/", {"platform": world.IP1.pk, "year": 2025, "occupancy": "0.9"}, format="json"
    )
    assert made.status_code == 201, made.content
    assert made.json()["occupancy"] == "0.9000" and "occupancy_pct" not in made.json()
    assert PlatformYear.objects.get(pk=made.json()["id"]).occupancy == Decimal("0.9")


@pytest.mark.django_db
def test_a_request_naming_occupancy_pct_is_refused_not_ignored(world, api):
    client = api(world.park_staff)
    old = client.post(
        "/api/v1/platform-years/",
        {"platform": world.IP1.pk, "year": 2025, "occupancy_pct": "90"},
        format="json",
    )
    assert old.status_code == 400 and list(old.json()) == ["occupancy_pct"]
    assert "Renamed to occupancy" in old.json()["occupancy_pct"][0]
    patched = client.patch(f"/api/v1/platform-years/{world.PY1.pk}/", {"occupancy_pct": "90"}, format="json")
    assert patched.status_code == 400 and list(patched.json()) == ["occupancy_pct"]
    assert PlatformYear.objects.get(pk=world.PY1.pk).occupancy == Decimal("0.85")


@pytest.mark.django_db
def test_the_year_form_takes_85_per_cent_stores_0_85_and_shows_85_per_cent(world, client):
    w = world
    client.force_login(w.park_staff)
    client.cookies["zoneos_language"] = "en"
    url = f"/innovation/platforms/{w.IP1.pk}/year/"
    form = client.get(url).content.decode()
    assert "Occupancy (%)" in form and "A fraction" not in form
    saved = client.post(url, {"year": 2025, "occupancy": "72.5"})
    assert saved.status_code == 302, saved.context and saved.context["form"].errors
    assert PlatformYear.objects.get(platform=w.IP1, year=2025).occupancy == Decimal("0.725")
    over = client.post(url, {"year": 2025, "occupancy": "130"})
    assert list(over.context["form"].errors) == ["occupancy"]
    assert "from 0 % to 100 %" in over.context["form"].errors["occupancy"][0]
    page = client.get(w.IP1.get_absolute_url()).content.decode()
    assert "72.5 %" in page and "85 %" in page and "0.85" not in page


def upload(client, text):
    file = SimpleUploadedFile("platforms.csv", text.encode("utf-8-sig"))
    response = client.post("/api/v1/imports/", {"kind": "platform_years", "file": file}, format="multipart")
    assert response.status_code == 201, response.content
    return response.json()


@pytest.mark.django_db
def test_a_sheet_gives_occupancy_in_per_cent_and_a_bare_fraction_is_refused_naming_the_column(world, api):
    client = api(world.park_staff)
    ip1, ip3 = world.IP1.name, world.IP3.name
    ambiguous = upload(client, HEADER + f"{ip1},2025,,,,,,0.85\n{ip3},2025,,,,,,1\n{ip1},2023,,,,,,85%\n")
    assert ambiguous["status"] == "invalid"
    assert {(e["row"], e["column"]) for e in ambiguous["errors"]} == {(2, "入驻率（%）"), (3, "入驻率（%）")}
    assert "ambiguous" in ambiguous["errors"][0]["message"]
    assert not PlatformYear.objects.filter(year__in=(2023, 2025)).exists()

    good = upload(client, HEADER + f"{ip1},2025,,,,,,85\n{ip3},2025,,,,,,0\n{ip1},2023,,,,,,0.5 %\n")
    assert good["status"] == "ready", good
    client.post(f"/api/v1/imports/{good['id']}/commit/")
    rows = PlatformYear.objects.filter(year__in=(2023, 2025)).select_related("platform")
    stored = {f"{y.platform.name}/{y.year}": y.occupancy for y in rows}
    assert stored[f"{ip1}/2025"] == Decimal("0.85")  # never 85, never 0.0085
    assert stored[f"{ip3}/2025"] == Decimal("0")
    assert stored[f"{ip1}/2023"] == Decimal("0.005")


@pytest.mark.django_db(transaction=True)
def test_the_migration_divides_stored_occupancy_by_100_and_back(back_to_the_latest_migrations):
    """85 (SQLite keeps 85.00 as the integer 85) becomes 0.85, 88.5 becomes 0.885, 100 becomes 1, a blank
    stays blank; reversed, the percentages come back."""
    enterprise = EnterpriseFactory()
    before = [("innovation", "0003_shares_as_fractions")]
    after = [("innovation", "0004_occupancy_as_fraction")]
    MigrationExecutor(connection).migrate(before)
    try:
        old = MigrationExecutor(connection).loader.project_state(before).apps
        platform = old.get_model("innovation", "Platform").objects.create(
            area_id=enterprise.area_id, name="迁移孵化器", kind="incubator", level="district", host_name="某"
        )
        year = old.get_model("innovation", "PlatformYear").objects
        for number, value in (
            (2022, None),
            (2023, Decimal("85")),
            (2024, Decimal("88.5")),
            (2025, Decimal(100)),
        ):
            year.create(platform=platform, year=number, occupancy_pct=value)
    finally:
        MigrationExecutor(connection).migrate(after)
    stored = dict(PlatformYear.objects.filter(platform__name="迁移孵化器").values_list("year", "occupancy"))
    assert stored == {2022: None, 2023: Decimal("0.85"), 2024: Decimal("0.885"), 2025: Decimal("1")}
    MigrationExecutor(connection).migrate(before)
    try:
        old = MigrationExecutor(connection).loader.project_state(before).apps
        back = old.get_model("innovation", "PlatformYear").objects.filter(platform__name="迁移孵化器")
        assert dict(back.values_list("year", "occupancy_pct")) == {
            2022: None, 2023: Decimal("85"), 2024: Decimal("88.5"), 2025: Decimal("100"),
        }  # fmt: skip
    finally:
        MigrationExecutor(connection).migrate(after)
