"""Funds' shares and stakes are fractions from 0 to 1 in storage and in the API (0.35 is 35 %): a 35 sent
as if it were per cent is refused naming the field, a request naming the old percentage fields is refused
rather than silently ignored, the pages take and show per cent (35 typed is 0.35 stored, shown "35 %"),
and the migration divides every stored percentage by 100."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from zoneos.innovation.models import Exit, Fund, Investment
from zoneos.testing.factories import EnterpriseFactory

FUND = {"name": "潼湖未来产业基金", "kind": "industry", "size": "2000000000.00"}


@pytest.mark.django_db
def test_a_share_of_35_sent_to_the_api_is_refused_naming_the_field(world, api):
    client = api(world.investment_officer)
    share = client.post(
        "/api/v1/funds/", {"area": world.Z1.pk, **FUND, "government_share": "35"}, format="json"
    )
    assert share.status_code == 400 and list(share.json()) == ["government_share"]
    assert "0.35 is 35 %" in share.json()["government_share"][0]
    stake = client.patch(f"/api/v1/fund-investments/{world.FI1.pk}/", {"stake": "35"}, format="json")
    assert stake.status_code == 400 and list(stake.json()) == ["stake"]
    sold = client.patch(f"/api/v1/fund-exits/{world.FX1.pk}/", {"stake": "35"}, format="json")
    assert sold.status_code == 400 and list(sold.json()) == ["stake"]
    assert not Fund.objects.filter(name=FUND["name"]).exists()
    assert Investment.objects.get(pk=world.FI1.pk).stake == Decimal("0.1")


@pytest.mark.django_db
def test_a_fraction_is_kept_and_read_back_with_four_decimals(world, api):
    client = api(world.investment_officer)
    made = client.post(
        "/api/v1/funds/", {"area": world.Z1.pk, **FUND, "government_share": "0.35"}, format="json"
    )
    assert made.status_code == 201, made.content
    assert made.json()["government_share"] == "0.3500"
    assert Fund.objects.get(pk=made.json()["id"]).government_share == Decimal("0.35")
    read = client.get(f"/api/v1/fund-investments/{world.FI1.pk}/").json()
    assert read["stake"] == "0.1000" and "stake_pct" not in read


@pytest.mark.django_db
def test_a_request_naming_the_old_percentage_fields_is_refused_not_ignored(world, api):
    client = api(world.investment_officer)
    old = client.post(
        "/api/v1/funds/", {"area": world.Z1.pk, **FUND, "government_share_pct": "35"}, format="json"
    )
    assert old.status_code == 400 and list(old.json()) == ["government_share_pct"]
    assert "Renamed to government_share" in old.json()["government_share_pct"][0]
    stake = client.patch(f"/api/v1/fund-investments/{world.FI1.pk}/", {"stake_pct": "12"}, format="json")
    assert stake.status_code == 400 and list(stake.json()) == ["stake_pct"]
    assert Investment.objects.get(pk=world.FI1.pk).stake == Decimal("0.1")


@pytest.mark.django_db
def test_the_fund_form_takes_35_per_cent_and_stores_0_35(world, client):
    w = world
    client.force_login(w.investment_officer)
    client.cookies["zoneos_language"] = "en"
    form = {"area": w.Z1.pk, **FUND, "size": "20", "government_share": "35"}  # size in 亿元
    created = client.post("/innovation/funds/new/", form)
    fund = Fund.objects.get(name=FUND["name"])
    assert created.status_code == 302, created.context and created.context["form"].errors
    assert (fund.government_share, fund.size) == (Decimal("0.35"), Decimal("2000000000"))
    page = client.get(fund.get_absolute_url()).content.decode()
    assert "government share 35 %" in page and "<dd>35 %</dd>" in page
    edit = client.get(f"/innovation/funds/{fund.pk}/edit/").content.decode()
    assert 'name="government_share" value="35"' in edit
    over = client.post(f"/innovation/funds/{fund.pk}/edit/", {**form, "government_share": "135"})
    assert list(over.context["form"].errors) == ["government_share"]
    assert "from 0 % to 100 %" in over.context["form"].errors["government_share"][0]
    fund.refresh_from_db()
    assert fund.government_share == Decimal("0.35")


@pytest.mark.django_db(transaction=True)
def test_the_migration_divides_stored_percentages_by_100_and_back(back_to_the_latest_migrations):
    """30 becomes 0.3, 2.80 becomes 0.028 and 100 becomes 1, a blank stays blank; reversed, the
    percentages come back."""
    enterprise = EnterpriseFactory()
    before = [("innovation", "0002_platforms_talents_funds")]
    after = [("innovation", "0003_shares_as_fractions")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = MigrationExecutor(connection).loader.project_state(before).apps
        fund = old.get_model("innovation", "Fund").objects.create(
            area_id=enterprise.area_id, name="迁移基金", government_share_pct=Decimal("30")
        )
        investment = old.get_model("innovation", "Investment").objects.create(
            fund=fund, enterprise_id=enterprise.pk, amount=Decimal("100"), invested_on="2025-01-01",
            stake_pct=Decimal("2.80"),
        )  # fmt: skip
        old.get_model("innovation", "Exit").objects.create(
            investment=investment, exited_on="2025-06-01", amount=Decimal("10"), stake_pct=Decimal("100")
        )
        old.get_model("innovation", "Investment").objects.create(
            fund=fund, enterprise_id=enterprise.pk, amount=Decimal("5"), invested_on="2025-01-01"
        )
    finally:
        MigrationExecutor(connection).migrate(after)
    assert Fund.objects.get(name="迁移基金").government_share == Decimal("0.3")
    stakes = sorted(Investment.objects.filter(fund__name="迁移基金").values_list("stake", flat=True), key=str)
    assert stakes == [Decimal("0.028"), None]
    assert Exit.objects.get(investment__fund__name="迁移基金").stake == Decimal("1")
    MigrationExecutor(connection).migrate(before)
    try:
        old = MigrationExecutor(connection).loader.project_state(before).apps
        back = old.get_model("innovation", "Fund").objects.get(name="迁移基金")
        assert back.government_share_pct == Decimal("30")
        stake = old.get_model("innovation", "Investment").objects.filter(fund=back, stake_pct__isnull=False)
        assert stake.get().stake_pct == Decimal("2.8")
    finally:
        MigrationExecutor(connection).migrate(after)
