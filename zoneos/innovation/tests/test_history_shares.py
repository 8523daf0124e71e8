"""The history tab shows a share as its page does ("30 %", not the stored fraction "0.3000"), because its
column is a `FractionField`; a history row written while the column was a percentage named `*_pct` keeps
its value under its own "(%)" label, so that neither is read a hundred times wrong."""

import re
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from zoneos.audit.history import display_rows
from zoneos.innovation import fund_services, platform_services
from zoneos.innovation.models import Fund, PlatformYear

pytestmark = pytest.mark.django_db


def _history_cells(html: str) -> list[tuple[str, str, str]]:
    """(field, before, after) of every row of the history tables."""
    return re.findall(
        r'<tr><td>([^<]*)</td><td class="text-secondary">([^<]*)</td><td>([^<]*)</td></tr>', html
    )


def test_a_funds_government_share_reads_in_per_cent_in_its_history(world, client):
    w = world
    fund_services.update_fund(w.FD1, by=w.investment_officer, government_share=Decimal("0.35"))
    client.force_login(w.investment_officer)
    client.cookies["zoneos_language"] = "en"
    html = client.get(f"/innovation/funds/{w.FD1.pk}/", {"tab": "history"}).content.decode()
    assert ("Government share", "30 %", "35 %") in _history_cells(html)
    assert "0.3000" not in html and "0.30<" not in html


def test_a_history_row_of_the_old_percentage_column_keeps_its_value_and_says_per_cent(world, client):
    w = world
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Fund),
        object_pk=str(w.FD1.pk),
        object_id=w.FD1.pk,
        object_repr=str(w.FD1),
        action=LogEntry.Action.UPDATE,
        changes={"government_share_pct": ["25.00", "30.00"]},
        actor=w.investment_officer,
    )
    client.force_login(w.investment_officer)
    client.cookies["zoneos_language"] = "en"
    html = client.get(f"/innovation/funds/{w.FD1.pk}/", {"tab": "history"}).content.decode()
    assert ("Government share (%)", "25.00", "30.00") in _history_cells(html)


def test_an_occupancy_and_its_old_percentage_read_in_per_cent_in_the_history(world):
    w = world
    platform_services.update_platform_year(w.PY1, by=w.park_staff, occupancy=Decimal("0.9"))
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(PlatformYear),
        object_pk=str(w.PY1.pk),
        object_id=w.PY1.pk,
        object_repr=str(w.PY1),
        action=LogEntry.Action.UPDATE,
        changes={"occupancy_pct": ["80.00", "85.00"]},
        actor=w.park_staff,
    )
    rows = [
        (str(f["name"]), f["before"], f["after"])
        for r in display_rows(w.PY1, w.park_staff)
        for f in r["fields"]
    ]
    assert ("occupancy", "85 %", "90 %") in rows
    assert ("occupancy (%)", "80.00", "85.00") in rows
