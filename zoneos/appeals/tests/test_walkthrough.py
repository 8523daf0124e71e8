"""Defects found by trying the service desk as a new user would (issue 18)."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def english(user):
    client = Client()
    client.cookies["zoneos_language"] = "en"
    client.force_login(user)
    return client


def test_the_workbench_appeals_rows_line_up_with_their_headers(world):
    world.E1.service_officer = world.service_officer
    world.E1.save()
    html = english(world.service_officer).get("/workbench/?month=2026-03").content.decode()
    table = html[html.index('data-testid="workbench-appeals"') :]
    table = table[: table.index("</table>")]
    headers = re.findall(r"<th\b", table[: table.index("</thead>")])
    row = table[table.index(f'data-testid="appeal-{world.AP1.pk}"') :]
    row = row[: row.index("</tr>")]
    cells = re.findall(r"<td\b", row)
    assert len(cells) == len(headers) == 8
    assert world.E1.label in row  # the enterprise sits under "Enterprise"
