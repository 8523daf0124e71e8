"""The registry's zone-wide lists: `within` an area gives the records of its subtree that the user may
see, and says the subtree once when the user's whole view lies in it (the scope says it already), so
that PostgreSQL does not expect a fraction of the zone."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zoneos.testing.factories import EnterpriseFactory, IndicatorFactory, LabelFactory

pytestmark = pytest.mark.django_db

PATH_CONDITION = re.compile(r'"areas_area"\."path"(::text)? LIKE')


def figures(client, **query) -> tuple[list[str], list[str]]:
    """The enterprise names of the yearly figures listed, and the SQL of their count."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/indicators/", query)
    assert response.status_code == 200, response.content
    count = next(q["sql"] for q in queries if "COUNT(" in q["sql"] and "enterprises_indicator" in q["sql"])
    return [row["enterprise_name"] for row in response.json()["results"]], count


def test_a_statistician_naming_their_own_zone_sees_its_figures_with_the_subtree_said_once(world, api):
    IndicatorFactory(enterprise=EnterpriseFactory(area=world.P2, name="二号园企业"))
    client = api(world.statistician)
    everything, _ = figures(client, year=2024)
    within_zone, count = figures(client, year=2024, within=world.Z1.pk)
    assert within_zone == everything == ["一号科技有限公司", "二号园企业"]
    assert len(PATH_CONDITION.findall(count)) == 1


def test_within_a_park_or_another_zone_still_narrows_a_statisticians_list(world, api):
    IndicatorFactory(enterprise=EnterpriseFactory(area=world.P2, name="二号园企业"))
    client = api(world.statistician)
    assert figures(client, within=world.P2.pk)[0] == ["二号园企业"]
    assert figures(client, within=world.P1.pk)[0] == ["一号科技有限公司"]
    assert figures(client, within=world.Z2.pk)[0] == []  # out of scope stays out


def test_within_narrows_a_superusers_list_to_the_subtree(world, api):
    names, count = figures(api(world.root), within=world.Z1.pk)
    assert names == ["一号科技有限公司"]
    assert len(PATH_CONDITION.findall(count)) == 1


def test_the_high_tech_list_of_a_zone_is_the_same_with_or_without_naming_the_zone(world):
    holder = EnterpriseFactory(area=world.P2, name="二号园高企")
    LabelFactory(enterprise=holder)
    expired = EnterpriseFactory(area=world.P2, name="证书过期企业")
    LabelFactory(
        enterprise=expired, valid_from=datetime.date(2019, 1, 1), valid_to=datetime.date(2021, 12, 31)
    )
    page = Client()
    page.force_login(world.statistician)
    query = {"label": "high_tech", "status": "active"}
    plain = page.get("/enterprises/", query).content.decode()
    named = page.get("/enterprises/", {**query, "within": world.Z1.pk}).content.decode()
    for body in (plain, named):
        assert "一号科技有限公司" in body and "二号园高企" in body
        assert "证书过期企业" not in body and "三号科技有限公司" not in body
