"""`manage.py rebuild_rollups` repairs the rollups after rows were written around the services, and
`--check` finds such a difference without changing anything."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from zoneos.enterprises.models import Indicator
from zoneos.stats import services as stats
from zoneos.stats.models import Rollup
from zoneos.supervision import services as supervision
from zoneos.supervision.models import AreaMonth, MonthFigure

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("rebuild_rollups", *args, stdout=out)
    return out.getvalue()


def test_check_finds_rows_written_around_the_services_and_rebuild_repairs_them(world):
    assert "0 differ" in run("--check", "stats") and "0 differ" in run("--check", "supervision")
    # A hand correction in the database shell: the rollups do not follow it.
    Indicator.objects.create(enterprise=world.E1, year=2031, output_value=Decimal(500))
    MonthFigure.objects.filter(key_project=world.KP1, month=3).update(completed=Decimal(7))
    with pytest.raises(CommandError, match="stats, supervision"):
        run("--check")
    assert not Rollup.objects.filter(year=2031).exists()  # --check changed nothing

    assert "rebuilt" in run()
    assert Rollup.objects.get(area=world.P1, year=2031).output_value == 500
    march = AreaMonth.objects.get(area=world.P1, year=2025, month=3)
    assert march.completed == sum(
        f.completed for f in MonthFigure.objects.filter(area=world.P1, year=2025, month=3)
    )
    assert "0 differ" in run("--check")
    assert stats.SPEC.rows() and supervision.AREA_MONTHS.rows()


def test_an_unknown_rollup_is_refused_by_name(world):
    with pytest.raises(CommandError, match="no such rollup: funnels"):
        run("funnels")
