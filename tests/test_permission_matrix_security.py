"""The permission matrix of API tokens and of the security log, walked by every caller of the named
world (each role on Z1, a stranger, a superuser, an anonymous caller): everyone keeps their own tokens;
the colleague's token (a park user of P1) is seen and revoked by Z1's admin and the superuser, by
nobody else (404); the outsider's (P3, in Z2) by the superuser only. The security log answers admins
and the superuser, with their users' events only, and refuses everyone else (403)."""

import pytest

from tests.test_permission_matrix import ANONYMOUS, CALLERS, client_for
from zoneos.security.models import ApiToken, EventKind, SecurityEvent
from zoneos.security.services import create_token

MANAGERS = {"admin", "root"}


@pytest.fixture
def world(world_from_module):
    return world_from_module


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_api_tokens(world, api, caller):
    client = client_for(api, world, caller)
    colleagues, _key = create_token(by=world.colleague, name="园区对接")
    outsiders, _key = create_token(by=world.outsider, name="外区")
    base = "/api/v1/tokens/"

    created = client.post(base, {"name": "自用"}, format="json")
    listing = client.get(base, {"page_size": 1000})
    if caller == ANONYMOUS:
        assert {created.status_code, listing.status_code} == {401}
        assert client.post(f"{base}{colleagues.pk}/revoke/").status_code == 401
        assert ApiToken.objects.count() == 2
        return
    assert created.status_code == 201, created.content
    own = created.json()["id"]
    seen = {row["id"] for row in listing.json()["results"]}
    assert own in seen
    assert (colleagues.pk in seen) == (caller in MANAGERS)
    assert (outsiders.pk in seen) == (caller == "root")

    assert client.get(f"{base}{own}/").status_code == 200
    assert client.get(f"{base}{colleagues.pk}/").status_code == (200 if caller in MANAGERS else 404)
    assert client.get(f"{base}{outsiders.pk}/").status_code == (200 if caller == "root" else 404)

    revoked = client.post(f"{base}{colleagues.pk}/revoke/")
    assert revoked.status_code == (200 if caller in MANAGERS else 404)
    colleagues.refresh_from_db()
    assert (colleagues.revoked_at is not None) == (caller in MANAGERS)
    outside = client.post(f"{base}{outsiders.pk}/revoke/")
    assert outside.status_code == (200 if caller == "root" else 404)
    outsiders.refresh_from_db()
    assert (outsiders.revoked_at is not None) == (caller == "root")
    assert client.post(f"{base}{own}/revoke/").status_code == 200
    # No other method changes a token.
    assert client.patch(f"{base}{own}/", {"name": "改名"}, format="json").status_code == 405
    assert client.delete(f"{base}{own}/").status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_the_security_log(world, api, caller):
    client = client_for(api, world, caller)
    inside = SecurityEvent.objects.create(kind=EventKind.SIGN_IN, user=world.colleague, username="colleague")
    outside = SecurityEvent.objects.create(kind=EventKind.SIGN_IN, user=world.outsider, username="outsider")
    base = "/api/v1/security-events/"
    answers = [
        client.get(base, {"page_size": 1000}),
        client.get(f"{base}{inside.pk}/"),
        client.get(f"{base}export/", {"as": "csv"}),
    ]
    if caller == ANONYMOUS:
        assert {a.status_code for a in answers} == {401}
        return
    if caller not in MANAGERS:
        assert {a.status_code for a in answers} == {403}
        return
    assert [a.status_code for a in answers] == [200, 200, 200]
    seen = {row["id"] for row in answers[0].json()["results"]}
    assert inside.pk in seen and (outside.pk in seen) == (caller == "root")
    assert client.get(f"{base}{outside.pk}/").status_code == (200 if caller == "root" else 404)
    text = b"".join(answers[2].streaming_content).decode("utf-8-sig")
    assert "colleague" in text and ("outsider" in text) == (caller == "root")
    assert client.post(base, {}, format="json").status_code == 405
    assert client.delete(f"{base}{inside.pk}/").status_code == 405
