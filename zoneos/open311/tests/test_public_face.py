"""What Open311 shows the public: anonymous callers are held to the anonymous rate (429 in the
specification's error format), and a request's description is hidden from them unless the zone
publishes descriptions; a signed-in reader sees the descriptions of the appeals they may see."""

import datetime
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.utils import timezone

from zoneos.appeals.models import Appeal
from zoneos.security.models import ApiToken, EventKind, SecurityEvent
from zoneos.security.services import create_token

pytestmark = pytest.mark.django_db

BASE = "/open311/v2/"
LIMIT = 60  # REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"]: 60/minute


@pytest.fixture
def recent(world):
    Appeal.objects.filter(pk__in=[world.AP1.pk, world.AP2.pk]).update(
        received_at=timezone.now() - datetime.timedelta(days=1)
    )
    return world


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_anonymous_caller_over_the_rate_gets_429_in_the_specifications_format(world, fmt):
    caller = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(LIMIT):
        assert caller.get(f"{BASE}services.{fmt}").status_code == 200
    refused = caller.get(f"{BASE}requests.{fmt}")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    if fmt == "json":
        [error] = refused.json()
        assert error["code"] == 429
        assert "60/minute" in error["description"]
    else:
        root = ElementTree.fromstring(refused.content)
        assert root.tag == "errors" and root.findtext("error/code") == "429"
    # Another address is counted on its own.
    assert Client(REMOTE_ADDR="198.51.100.8").get(f"{BASE}services.{fmt}").status_code == 200


def test_a_signed_in_reader_is_not_held_to_the_anonymous_rate(client, world):
    client.force_login(world.leader)
    for _ in range(LIMIT + 5):
        assert client.get(f"{BASE}services.json").status_code == 200


def test_posting_without_a_valid_key_counts_as_anonymous_and_a_valid_key_does_not(world):
    from zoneos.core.codes import build_uscc

    world.E1.uscc = build_uscc("9", "1", "440300", "MA5GK0E1")
    world.E1.save(update_fields=["uscc"])
    caller = Client(REMOTE_ADDR="198.51.100.9")
    for _ in range(LIMIT):
        assert caller.post(f"{BASE}requests.json", {"api_key": "guess"}).status_code == 403
    assert caller.post(f"{BASE}requests.json", {"api_key": "guess"}).status_code == 429
    assert caller.get(f"{BASE}services.json").status_code == 429
    _token, key = create_token(by=world.enterprise, name="Open311")
    body = {"api_key": key, "service_code": "help", "account_id": world.E1.uscc, "description": "求助"}
    assert caller.post(f"{BASE}requests.json", body).status_code == 200


def test_an_expired_key_is_refused_saying_so(world):
    token, key = create_token(by=world.enterprise, name="Open311")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    answer = Client().post(f"{BASE}requests.json?locale=en", {"api_key": key, "service_code": "help"})
    assert answer.status_code == 403
    [error] = answer.json()
    assert error["description"].startswith("api_key: ") and "expired" in error["description"]
    assert SecurityEvent.objects.get(kind=EventKind.TOKEN_REFUSED).detail["reason"] == "expired"


def descriptions(client, fmt="json") -> dict[str, str | None]:
    answer = client.get(f"{BASE}requests.{fmt}")
    assert answer.status_code == 200
    if fmt == "xml":
        root = ElementTree.fromstring(answer.content)
        return {
            r.findtext("service_request_id"): r.findtext("description") or None
            for r in root.findall("request")
        }
    return {r["service_request_id"]: r["description"] for r in answer.json()}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_descriptions_are_hidden_from_anonymous_readers_by_default(client, recent, fmt):
    world = recent
    assert descriptions(client, fmt) == {str(world.AP1.pk): None, str(world.AP2.pk): None}
    [one] = client.get(f"{BASE}requests/{world.AP1.pk}.json").json()
    assert one["description"] is None
    assert one["service_code"] == world.AP1.category  # the rest stays public


def test_a_signed_in_reader_sees_the_descriptions_of_the_appeals_in_their_scope(client, recent):
    world = recent
    client.force_login(world.admin)  # Z1: AP1 (E1), not AP2 (E2 in Z2)
    assert descriptions(client) == {str(world.AP1.pk): world.AP1.description, str(world.AP2.pk): None}
    [one] = client.get(f"{BASE}requests/{world.AP2.pk}.json").json()
    assert one["description"] is None


def test_a_zone_may_publish_the_descriptions(client, recent, settings):
    settings.ZONEOS_OPEN311_PUBLIC_DESCRIPTIONS = True
    world = recent
    assert descriptions(client) == {
        str(world.AP1.pk): world.AP1.description,
        str(world.AP2.pk): world.AP2.description,
    }


def test_a_key_holding_a_nul_character_is_refused_not_a_server_error(world):
    answer = Client().post(f"{BASE}requests.json?locale=en", {"api_key": "ab\x00cd", "service_code": "help"})
    assert answer.status_code == 403
    assert answer.json()[0]["description"] == "api_key: Missing or invalid API key."
