"""The Open311 GeoReport v2 routes in the OpenAPI document: plain Django views that drf-spectacular does
not see, described by hand and added by a postprocessing hook (`SPECTACULAR_SETTINGS`). Each answers
JSON or XML by the `format` in its path."""

FORMAT = {
    "name": "format",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "enum": ["json", "xml"]},
    "description": "`json` or `xml`",
}
JURISDICTION = {
    "name": "jurisdiction_id",
    "in": "query",
    "schema": {"type": "string"},
    "description": "Accepted and ignored: one deployment serves one jurisdiction.",
}
LOCALE = {"name": "locale", "in": "query", "schema": {"type": "string"}, "description": "`zh-hans` or `en`"}
ERRORS = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
        "required": ["code", "description"],
    },
}
PUBLIC = []  # no authentication: reads are public, as the specification intends


def _answer(schema: dict, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}, "text/xml": {"schema": {"type": "string"}}},
    }


def _errors(description: str) -> dict:
    return _answer(ERRORS, description)


REQUEST = {
    "type": "object",
    "properties": {
        name: {"type": "string", "nullable": True}
        for name in (
            "service_request_id",
            "status",
            "status_notes",
            "service_name",
            "service_code",
            "description",
            "agency_responsible",
            "service_notice",
            "requested_datetime",
            "updated_datetime",
            "expected_datetime",
            "address",
            "address_id",
            "zipcode",
            "lat",
            "long",
            "media_url",
        )
    },
}
SERVICE = {
    "type": "object",
    "properties": {
        "service_code": {"type": "string"},
        "service_name": {"type": "string"},
        "description": {"type": "string"},
        "metadata": {"type": "boolean"},
        "type": {"type": "string"},
        "keywords": {"type": "string"},
        "group": {"type": "string"},
    },
}
NEW_REQUEST = {
    "type": "object",
    "required": ["api_key", "service_code", "account_id", "description"],
    "properties": {
        "api_key": {"type": "string", "description": "a ZoneOS API token"},
        "service_code": {"type": "string", "description": "an appeal category, e.g. `utilities`"},
        "account_id": {"type": "string", "description": "the enterprise's unified social credit code"},
        "description": {"type": "string", "maxLength": 4000},
        "title": {"type": "string", "maxLength": 200},
        "email": {"type": "string"},
        "first_name": {"type": "string"},
        "last_name": {"type": "string"},
        "phone": {"type": "string"},
        "jurisdiction_id": {"type": "string"},
    },
}


def add_paths(result, generator, request, public):
    """drf-spectacular postprocessing hook: the GeoReport routes beside the REST API's."""
    result.setdefault("paths", {}).update(PATHS)
    return result


PATHS = {
    "/open311/v2/discovery.{format}": {
        "get": {
            "operationId": "open311_discovery",
            "summary": "Open311: discovery",
            "tags": ["open311"],
            "security": PUBLIC,
            "parameters": [FORMAT],
            "responses": {"200": _answer({"type": "object"}, "The endpoints of this GeoReport v2 server")},
        }
    },
    "/open311/v2/services.{format}": {
        "get": {
            "operationId": "open311_services",
            "summary": "Open311: the services (one per appeal category)",
            "tags": ["open311"],
            "security": PUBLIC,
            "parameters": [FORMAT, JURISDICTION, LOCALE],
            "responses": {"200": _answer({"type": "array", "items": SERVICE}, "The services")},
        }
    },
    "/open311/v2/services/{service_code}.{format}": {
        "get": {
            "operationId": "open311_service_definition",
            "summary": "Open311: a service's definition (no attributes)",
            "tags": ["open311"],
            "security": PUBLIC,
            "parameters": [
                {"name": "service_code", "in": "path", "required": True, "schema": {"type": "string"}},
                FORMAT,
                JURISDICTION,
            ],
            "responses": {
                "200": _answer({"type": "object"}, "`{service_code, attributes: []}`"),
                "404": _errors("No such service"),
            },
        }
    },
    "/open311/v2/requests.{format}": {
        "get": {
            "operationId": "open311_requests",
            "summary": "Open311: public list of requests (appeals), without the enterprise's data",
            "tags": ["open311"],
            "security": PUBLIC,
            "parameters": [
                FORMAT,
                JURISDICTION,
                LOCALE,
                {"name": "service_request_id", "in": "query", "schema": {"type": "string"}},
                {"name": "service_code", "in": "query", "schema": {"type": "string"}},
                {"name": "start_date", "in": "query", "schema": {"type": "string"}},
                {"name": "end_date", "in": "query", "schema": {"type": "string"}},
                {"name": "status", "in": "query", "schema": {"type": "string"}},
            ],
            "responses": {
                "200": _answer(
                    {"type": "array", "items": REQUEST}, "At most 1000, the last 90 days by default"
                ),
                "400": _errors("A parameter is not valid"),
            },
        },
        "post": {
            "operationId": "open311_create_request",
            "summary": "Open311: submit an appeal with an API key (no session, no CSRF token)",
            "tags": ["open311"],
            "security": PUBLIC,
            "parameters": [FORMAT],
            "requestBody": {
                "required": True,
                "content": {
                    "application/x-www-form-urlencoded": {"schema": NEW_REQUEST},
                    "application/json": {"schema": NEW_REQUEST},
                },
            },
            "responses": {
                "200": _answer(
                    {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "service_request_id": {"type": "string"},
                                "service_notice": {"type": "string"},
                                "account_id": {"type": "string"},
                            },
                        },
                    },
                    "The new request's id",
                ),
                "400": _errors("A parameter is not valid"),
                "403": _errors("Missing or invalid API key, or an enterprise the key's user does not serve"),
                "404": _errors("No such service"),
            },
        },
    },
    "/open311/v2/requests/{service_request_id}.{format}": {
        "get": {
            "operationId": "open311_request",
            "summary": "Open311: one request",
            "tags": ["open311"],
            "security": PUBLIC,
            "parameters": [
                {"name": "service_request_id", "in": "path", "required": True, "schema": {"type": "string"}},
                FORMAT,
                JURISDICTION,
                LOCALE,
            ],
            "responses": {
                "200": _answer({"type": "array", "items": REQUEST}, "A list with the one request"),
                "404": _errors("No such request"),
            },
        }
    },
}

# Callers without a session or a valid api_key are held to the anonymous rate (zoneos.open311.views).
for _item in PATHS.values():
    for _operation in _item.values():
        _operation["responses"]["429"] = _errors(
            "Too many requests without a session or API key; `Retry-After` says when to try again"
        )
