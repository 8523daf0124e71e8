"""A park with many projects: the board shows each column's newest cards, says how many there are and
links to the list of them all; its cost does not grow with the park."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zoneos.pipeline.models import Project
from zoneos.pipeline.views import BOARD_LIMIT
from zoneos.testing.factories import make_project

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en"})
    return client


def leads(world, n: int, start: int = 0):
    first = datetime.date(2024, 1, 1)
    return [
        make_project(world.P1, name=f"线索{i:04d}", lead_on=first + datetime.timedelta(days=i))
        for i in range(start, start + n)
    ]


def test_a_long_column_shows_the_newest_cards_its_count_and_a_link_to_them_all(world):
    made = leads(world, BOARD_LIMIT + 12)
    staff = client_for(world.park_staff)
    page = staff.get(f"/projects/board/?area={world.P1.pk}").content.decode()
    lead = page.split('data-testid="column-lead"')[1].split("</section>")[0]
    shown = re.findall(r'data-testid="card-(\d+)"', lead)
    assert len(shown) == BOARD_LIMIT
    leads_of_p1 = Project.objects.filter(area=world.P1, stage="lead").order_by("-lead_on", "-pk")
    assert [int(pk) for pk in shown] == [p.pk for p in leads_of_p1[:BOARD_LIMIT]]
    assert made[0].name not in lead  # the oldest lead waits in the list
    count = int(re.search(r'data-testid="count-lead">(\d+)<', lead).group(1))
    assert count == leads_of_p1.count() >= BOARD_LIMIT + 12
    href, text = re.search(r'href="([^"]+)" data-testid="show-all-lead">([^<]+)<', lead).groups()
    assert text == f"Show all {count}"
    listed = staff.get(href.replace("&amp;", "&"))
    assert listed.context["total"] == count and f"within={world.P1.pk}" in href


def test_the_board_runs_the_same_queries_for_a_park_three_times_larger(world):
    leads(world, BOARD_LIMIT + 5)
    staff = client_for(world.park_staff)
    staff.get("/projects/board/")
    with CaptureQueriesContext(connection) as before:
        small = staff.get("/projects/board/")
    leads(world, 2 * BOARD_LIMIT, start=100)
    with CaptureQueriesContext(connection) as after:
        large = staff.get("/projects/board/")
    assert len(after) == len(before)
    assert large.content.count(b'data-testid="card-') == small.content.count(b'data-testid="card-')
