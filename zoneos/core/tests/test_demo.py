"""The demo zone loads through the services and a second load changes nothing."""

import io
import re

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command

from zoneos.accounts.models import Membership, User
from zoneos.areas.models import Area
from zoneos.core import demo
from zoneos.core.roles import Role

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_field_zones_one_user_per_role_and_loads_once():
    """One load of the whole demo (about a minute) serves all three checks: what it holds, what the
    command says (the users it counts are the users it lists), and that a second load changes nothing."""
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    said = out.getvalue()
    count = int(re.search(r"(\d+) users", said).group(1))
    listed = re.search(r"Sign in as any of (.+?) with password", said).group(1).split(", ")
    assert count == len(listed) == 10

    foshan = Area.objects.get(code="FS-GX")
    assert foshan.children.filter(kind="park").count() == 5
    assert Area.objects.get(code="HZ-ZK-TH").parent.code == "HZ-ZK"
    assert {m.role for m in Membership.objects.all()} == set(Role.values)
    leader = User.objects.get(username="leader")
    assert leader.check_password(demo.DEMO_PASSWORD)

    counts = (
        Area.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        LogEntry.objects.count(),
    )
    ctx = demo.load()
    assert ctx.created == 0 and ctx.updated == 0
    assert counts == (
        Area.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        LogEntry.objects.count(),
    )
