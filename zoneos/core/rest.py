"""DRF settings hooks: pagination and the error shape. Kept apart from zoneos.core.api because DRF
imports them while its own generic views are still loading."""

import math

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination, parsers
from rest_framework.views import exception_handler as drf_exception_handler

from zoneos.core.errors import Conflict
from zoneos.core.text import BadText, clean_data, clean_file_name, clean_querydict


def body_too_big_message() -> str:
    return _("The request body is larger than the %(limit)s the server accepts.") % {
        "limit": megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    }


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def _non_finite(value, path: str):
    """The first number in a parsed body that overflowed to infinity (`1e400`), as a field path."""
    if isinstance(value, float) and not math.isfinite(value):
        return path or "non_field_errors"
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _non_finite(item, f"{path}.{key}" if path else str(key))
        if found:
            return found
    return None


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, made safe for hostile bodies:

    - a body nested too deep for Python's parser (`[[[[…` a hundred thousand times) is a 400 like any
      other unreadable body: `json` raises RecursionError for it, not ValueError, which DRF would have
      answered with a 500;
    - a body over DATA_UPLOAD_MAX_MEMORY_SIZE is refused before it is read (DRF reads the stream
      itself, past Django's own check of `request.body`);
    - a number too large for a float (`1e400`, which Python reads as infinity) is a 400 naming its
      field instead of reaching a field as `inf` (a text field would store "inf");
    - every string is cleaned (zoneos.core.text): NFC, invisible and bidirectional characters
      removed, a control character a 400 naming its field."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        if request is not None and settings.DATA_UPLOAD_MAX_MEMORY_SIZE is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                raise exceptions.ParseError(body_too_big_message())
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("The JSON body is nested too deeply to read.")) from None
        try:
            field = _non_finite(data, "")
        except RecursionError:
            raise exceptions.ParseError(_("The JSON body is nested too deeply to read.")) from None
        if field:
            raise field_error(field, _("The number is too large."))
        try:
            return clean_data(data)
        except BadText as exc:
            raise field_error(exc.field, exc.message) from None
        except RecursionError:
            raise exceptions.ParseError(_("The JSON body is nested too deeply to read.")) from None


def field_error(path: str, message: str) -> exceptions.ValidationError:
    """A 400 under the top-level field, as DRF names fields; a nested place is named in the message
    ("items.0.name: …")."""
    field = path.split(".", 1)[0]
    return exceptions.ValidationError({field: [message if field == path else f"{path}: {message}"]})


def _clean_form(data):
    try:
        return clean_querydict(data)
    except BadText as exc:
        raise field_error(exc.field, exc.message) from None


class FormParser(parsers.FormParser):
    """DRF's form parser, its fields cleaned as in JSONParser."""

    def parse(self, stream, media_type=None, parser_context=None):
        return _clean_form(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser, its fields cleaned as in JSONParser and its files' names too."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        for _field, uploads in parsed.files.lists():
            for upload in uploads:
                upload.name = clean_file_name(upload.name)
        return parsers.DataAndFiles(_clean_form(parsed.data), parsed.files)


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                field: [str(m) for e in errors for m in e.messages]
                for field, errors in exc.error_dict.items()
            }
            detail = {("non_field_errors" if k == "__all__" else k): v for k, v in detail.items()}
        else:
            detail = {"non_field_errors": [str(m) for m in exc.messages]}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        names = sorted(
            {str(obj._meta.verbose_name_plural) for obj in exc.protected_objects}
            if isinstance(exc, ProtectedError)
            else {str(obj._meta.verbose_name_plural) for obj in exc.restricted_objects}
        )
        exc = Conflict(_("This record is still used by: %(names)s.") % {"names": ", ".join(names)})
    elif isinstance(exc, RequestDataTooBig):
        exc = exceptions.ParseError(body_too_big_message())
    elif isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
        exc = exceptions.ParseError(_("The request has too many fields or files."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, exceptions.PermissionDenied):
        _record_refusal(exc, context)
    return drf_exception_handler(exc, context)


def _record_refusal(exc, context) -> None:
    """A 403 of the API in the security log (pages' refusals: zoneos.security.middleware)."""
    from zoneos.security.events import record  # DRF loads this module before the apps are ready
    from zoneos.security.models import EventKind

    request = context.get("request")
    record(
        EventKind.PERMISSION_REFUSED,
        request,
        detail={"method": getattr(request, "method", ""), "message": str(exc.detail)[:500]},
    )
