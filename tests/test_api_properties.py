"""Property-based API tests: schemathesis generates requests from the OpenAPI document, valid and
invalid, for every operation, and none may end in a server error. Runs in-process (WSGI), inside the
test's transaction, as a superuser (who reaches every record) and as a park's staff member.

Writes to the registry's wide records (enterprises, yearly figures: some twenty fields each) are
fuzzed without schemathesis's coverage phase, whose boundary value of every field and every
combination of them costs over a thousand requests per operation; every other operation gets all
phases."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig

from zoneos.wsgi import application

# Building the document needs no database, so it is loaded once, at collection.
WIDE_WRITES = {
    "path_regex": r"^/api/v1/(enterprises|indicators)/(\{id\}/)?$",
    "method": ["POST", "PUT", "PATCH"],
}
schema = schemathesis.openapi.from_wsgi("/api/schema/", application).exclude(**WIDE_WRITES)
wide = schemathesis.openapi.from_wsgi(
    "/api/schema/",
    application,
    config=SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}}),
).include(**WIDE_WRITES)
SETTINGS = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calling the WSGI app directly fires request_finished, which would close the connection that
    holds the test's transaction; Django's own test client disconnects the same handler."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def call_as_each_user(case, world):
    for user in (world.root, world.park_staff):
        token, _ = Token.objects.get_or_create(user=user)
        case.call_and_validate(headers={"Authorization": f"Token {token.key}"}, checks=[not_a_server_error])


@pytest.mark.django_db
@schema.parametrize()
@SETTINGS
def test_no_request_makes_the_api_fail(case, world):
    call_as_each_user(case, world)


@pytest.mark.django_db
@wide.parametrize()
@settings(SETTINGS, max_examples=40)
def test_no_write_of_a_wide_record_makes_the_api_fail(case, world):
    call_as_each_user(case, world)
