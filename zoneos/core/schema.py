"""The API conventions' error answers in the OpenAPI document: every operation under /api/v1/ may answer
400 naming the fields, 401 without credentials, 403 for a step or write the caller may not take, 404 for
what is outside the caller's scope, 405, 409 for a state that forbids the action and 415 for an
unreadable body. drf-spectacular documents the successes; this postprocessing hook adds the errors, so
that clients (and the property tests) read them from the document. `SchemaView` serves the document.

"""

from typing import ClassVar

from django.utils import translation
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

ERROR = {
    "type": "object",
    "required": ["detail"],
    "properties": {"detail": {"type": "string"}},
    "description": "What went wrong, in the caller's language.",
}
# Each field named with its messages (a nested record's fields nested), or `detail` for a body that
# cannot be parsed at all.
FIELD_ERRORS = {
    "type": "object",
    "minProperties": 1,
    "additionalProperties": {"anyOf": [{"type": "array"}, {"type": "object"}, {"type": "string"}]},
    "description": 'Each field with its messages, e.g. {"uscc": ["..."]}.',
}
ANSWERS = {
    "400": ("The request names fields with invalid values", "FieldErrors"),
    "401": ("No valid credentials", "Error"),
    "403": ("The caller may not do this", "Error"),
    "404": ("Not found, or outside the caller's scope", "Error"),
    "405": ("The method is not allowed here", "Error"),
    "409": ("The record's state forbids the action", "Error"),
    "415": ("The body's media type is not accepted", "Error"),
}


def add_error_responses(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("FieldErrors", FIELD_ERRORS)
    for path, item in result.get("paths", {}).items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            for code, (description, component) in ANSWERS.items():
                operation["responses"].setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}
                        },
                    },
                )
    return result


class SchemaView(SpectacularAPIView):
    """The OpenAPI document at /api/schema/, generated once per process, language, version and host: it
    changes only with the code, and one generation costs seconds of CPU (some 5 s on a busy 2-core
    machine), which every reader of /api/docs/ would otherwise spend again."""

    _documents: ClassVar[dict] = {}

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (translation.get_language(), version, request.get_host(), self.serve_public)
        document = self._documents.get(key)
        if document is None:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            document = self._documents[key] = generator.get_schema(request=request, public=self.serve_public)
        return Response(
            data=document,
            headers={"Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'},
        )
