"""Request bodies over the limits and numbers too large for a float answer 400 (JSON under /api/, a
page elsewhere) and write nothing; the service goes on answering."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zoneos.areas.models import Area
from zoneos.tabular.models import ImportJob

pytestmark = pytest.mark.django_db


def _area(code="P9"):
    return {"code": code, "name": "九号园", "kind": "park"}


def test_a_json_body_over_the_limit_is_a_400_in_json_and_writes_nothing(world, api, settings):
    """DRF reads a JSON body itself, past Django's check of request.body: without the parser's own
    check a body of any size would be read into memory and the record created."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps({**_area(), "parent": world.Z1.pk}) + " " * 20_000
    response = api(world.admin).post("/api/v1/areas/", body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "larger than" in response.json()["detail"]
    assert not Area.objects.filter(code="P9").exists()
    # The service still answers, and a normal body still works.
    ok = api(world.admin).post("/api/v1/areas/", {**_area(), "parent": world.Z1.pk}, format="json")
    assert ok.status_code == 201


def test_a_form_field_over_the_limit_in_an_api_upload_is_a_400_in_json(world, api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    upload = SimpleUploadedFile("e.csv", "名称\n甲\n".encode())
    response = api(world.admin).post(
        "/api/v1/imports/", {"kind": "x" * 20_000, "file": upload}, format="multipart"
    )
    assert response.status_code == 400
    assert "larger than" in response.json()["detail"]


def test_an_upload_over_the_request_limit_is_refused_before_it_is_read(world, api, client, settings):
    settings.ZONEOS_MAX_REQUEST_BYTES = 50_000
    big = SimpleUploadedFile("enterprises.csv", b"a,b\n" + b"1,2\n" * 20_000)
    response = api(world.admin).post(
        "/api/v1/imports/", {"kind": "enterprises", "file": big}, format="multipart"
    )
    assert response.status_code == 400
    assert "larger than the 0.0476837 MB" in response.json()["detail"]
    assert not ImportJob.objects.exists()

    client.force_login(world.admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    big.seek(0)
    page = client.post("/imports/", {"kind": "enterprises", "file": big})
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")
    assert "larger than" in page.content.decode()
    assert not ImportJob.objects.exists()


def test_a_page_form_over_the_limit_gets_a_friendly_400_page(world, client, settings):
    """Django refuses the body while the CSRF check reads the form; the answer is ZoneOS's page that
    says why, not a bare "Bad Request (400)"."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client.force_login(world.admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/login/", {"username": "admin", "password": "x" * 20_000})
    assert response.status_code == 400
    text = response.content.decode()
    assert 'data-testid="refusal"' in text and "larger than" in text
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("body", ['{"code": 1e400, "name": "九号园", "kind": "park", "parent": %d}'])
def test_a_number_too_large_for_a_float_is_a_400_naming_the_field(world, api, body):
    """`1e400` reads as infinity in Python; a text field would have stored "inf"."""
    response = api(world.admin).post("/api/v1/areas/", body % world.Z1.pk, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"code": ["The number is too large."]}
    assert not Area.objects.filter(code="inf").exists()


def test_a_nested_number_too_large_names_its_path(world, api):
    response = api(world.admin).post(
        "/api/v1/areas/", '{"name": "x", "extra": [1, {"deep": -1e999}]}', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"extra": ["extra.1.deep: The number is too large."]}
