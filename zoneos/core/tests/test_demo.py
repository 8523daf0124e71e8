"""The demo zone loads through the services and a second load changes nothing; on the loaded demo, the
fast lists answer what DRF answers (`fast_read`) and the rollups kept on the way are a rebuild's.
The demo (about a minute) is loaded once for the module, in a transaction rolled back after its last
test; each test runs in a savepoint inside it."""

import io
import re

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from zoneos.accounts.models import Membership, User
from zoneos.areas.models import Area
from zoneos.core import demo
from zoneos.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """What `manage.py load_demo` said, the demo loaded for the module's tests."""
    private = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"),
    )
    with django_db_blocker.unblock(), private:
        module_transaction = transaction.atomic()
        module_transaction.__enter__()
        try:
            out = io.StringIO()
            call_command("load_demo", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            module_transaction.__exit__(None, None, None)


def test_the_demo_has_the_field_zones_one_user_per_role_and_loads_once(loaded_demo):
    """What it holds, what the command says (the users it counts are the users it lists), and that a
    second load changes nothing."""
    said = loaded_demo
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


def test_the_fast_lists_answer_what_drf_answers(loaded_demo, monkeypatch):
    from zoneos.core.tests.fast_read import fast_lists_answer_what_drf_answers

    fast_lists_answer_what_drf_answers(monkeypatch)


def test_the_rollups_kept_while_the_demo_loads_equal_a_rebuild(loaded_demo):
    """The demo's records go through the services: every rollup the writers kept on the way (the
    statistics, the key projects' area months, the funnel's and the chains' cells) is what a rebuild
    computes."""
    out = io.StringIO()
    call_command("rebuild_rollups", "--check", stdout=out)
    said = out.getvalue()
    assert set(re.findall(r"(\d+) differ", said)) == {"0"}, said
    assert int(re.search(r"supervision: (\d+) cells", said).group(1)) > 0
