"""The OpenAPI document is valid OpenAPI 3 and describes every API route."""

import re

import pytest
import yaml
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver


def api_paths() -> set[str]:
    """Every URL under /api/v1/, written as OpenAPI writes it (`{id}` for parameters)."""
    found = set()

    def walk(patterns, prefix=""):
        for p in patterns:
            route = prefix + str(p.pattern).lstrip("^").rstrip("$")
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern) and route.startswith("api/v1/"):
                path = re.sub(r"\(\?P<(\w+)>[^)]+\)", r"{\1}", route)
                path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)
                if r"\.(?P" in route or "{format}" in path:
                    continue  # format-suffix variants
                found.add("/" + path.replace("{pk}", "{id}"))

    walk(get_resolver().url_patterns)
    return found


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    out = tmp_path_factory.mktemp("schema") / "schema.yaml"
    # --validate checks the document against the OpenAPI 3 schema; --fail-on-warn turns any
    # endpoint drf-spectacular could not describe into a failure.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    return yaml.safe_load(out.read_text())


def test_the_document_is_openapi_3(document):
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "ZoneOS API"


def test_every_api_route_is_in_the_document(document):
    routes = api_paths()
    assert len(routes) >= 13
    assert routes <= set(document["paths"]), routes - set(document["paths"])


@pytest.mark.django_db
def test_the_document_is_served_without_login(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/areas/" in response.content
    assert client.get("/api/docs/").status_code == 200


def test_every_api_operation_documents_the_conventions_error_answers(document):
    errors = {"400", "401", "403", "404", "409"}
    for path, item in document["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in item.items():
            missing = errors - set(operation["responses"])
            assert not missing, f"{method.upper()} {path} lacks {sorted(missing)}"
    field_errors = document["paths"]["/api/v1/enterprises/"]["post"]["responses"]["400"]
    assert field_errors["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/FieldErrors"
    }
