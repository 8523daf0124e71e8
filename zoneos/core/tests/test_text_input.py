"""Control and invisible characters in names and titles, at every input: the API, page forms and
Open311. A control character is refused with a 400 naming the field and nothing is saved; invisible
and direction-changing characters are removed; text is stored in NFC."""

import unicodedata

import pytest
from django.test import Client

from zoneos.appeals.models import Appeal
from zoneos.areas.models import Area
from zoneos.core import text
from zoneos.security.services import create_token

pytestmark = pytest.mark.django_db

APPEALS = "/api/v1/appeals/"


def appeal(client, **extra):
    payload = {
        "category": "help",
        "channel": "online",
        "title": "厂房用电扩容",
        "description": "需要变压器。",
    }
    return client.post(APPEALS, {**payload, **extra}, format="json")


def test_an_appeal_title_with_bel_is_refused_by_the_api_naming_the_field(world, api):
    client = api(world.enterprise)
    response = appeal(client, enterprise=world.E1.pk, title="厂房\u0007用电")
    assert response.status_code == 400
    assert list(response.json()) == ["title"]
    assert "U+0007" in response.json()["title"][0]
    assert not Appeal.objects.filter(title__contains="厂房").exists()
    # Multi-line text keeps its line breaks and tabs.
    ok = appeal(client, enterprise=world.E1.pk, description="第一行\n第二行\t附注")
    assert ok.status_code == 201, ok.content
    assert Appeal.objects.get(pk=ok.json()["id"]).description == "第一行\n第二行\t附注"


def test_a_form_encoded_api_body_is_cleaned_too(world, api):
    response = api(world.admin).post(
        "/api/v1/areas/", {"code": "P9", "name": "九号\x00园", "kind": "park", "parent": world.Z1.pk}
    )
    assert response.status_code == 400 and list(response.json()) == ["name"]


def test_an_appeal_title_with_bel_is_refused_by_the_page_form(world, settings):
    client = Client()
    client.force_login(world.enterprise)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        "/appeals/new/", {"category": "talent", "title": "人才\u0007公寓", "description": "申请人才公寓"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "“title”" in page and "U+0007" in page
    assert not Appeal.objects.filter(description="申请人才公寓").exists()


def test_invisible_and_bidi_characters_are_removed_and_text_is_nfc(world, api):
    decomposed = unicodedata.normalize("NFD", "Café")
    response = api(world.admin).post(
        "/api/v1/areas/",
        {
            "code": "P9",
            "name": f"\ufeff九号\u200b园\u202e{decomposed}\u2066",
            "kind": "park",
            "parent": world.Z1.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Area.objects.get(code="P9").name == "九号园Café"
    assert Area.objects.get(code="P9").name == unicodedata.normalize("NFC", "九号园Café")


def test_page_forms_drop_invisible_characters(world):
    client = Client()
    client.force_login(world.enterprise)
    response = client.post(
        "/appeals/new/", {"category": "talent", "title": "人才\u200d公寓\u202e", "description": "申请"}
    )
    assert response.status_code == 302
    assert Appeal.objects.filter(title="人才公寓").exists()


def test_an_open311_request_with_a_control_character_is_a_georeport_400(world, client):
    _token, key = create_token(by=world.enterprise, name="Open311")
    response = client.post(
        "/open311/v2/requests.json",
        {"api_key": key, "service_code": "consultation", "description": "能否\x1b申请补贴？"},
    )
    assert response.status_code == 400
    [error] = response.json()
    assert error["code"] == 400 and "“description”" in error["description"]
    assert not Appeal.objects.filter(description__contains="补贴").exists()


def test_passwords_are_left_as_typed():
    assert text.untouched("password") and text.untouched("new_password2")
    assert text.clean_data({"password": "a\u200bb", "name": "a\u200bb"}) == {
        "password": "a\u200bb",
        "name": "ab",
    }
