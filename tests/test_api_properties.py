"""Property-based API tests: schemathesis generates requests from the OpenAPI document, valid and
invalid, for every operation, and none may end in a server error. Runs in-process (WSGI), inside the
test's transaction, as a superuser (who reaches every record) and as a park's staff member."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from zoneos.wsgi import application

# Building the document needs no database, so it is loaded once, at collection.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_no_request_makes_the_api_fail(case, world):
    for user in (world.root, world.park_staff):
        token, _ = Token.objects.get_or_create(user=user)
        case.call_and_validate(headers={"Authorization": f"Token {token.key}"}, checks=[not_a_server_error])
