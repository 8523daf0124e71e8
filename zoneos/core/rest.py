"""DRF settings hooks: pagination and the error shape. Kept apart from zoneos.core.api because DRF
imports them while its own generic views are still loading."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination, parsers
from rest_framework.views import exception_handler as drf_exception_handler

from zoneos.core.errors import Conflict


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, except that a body nested too deep for Python's parser (`[[[[…` a hundred
    thousand times) is a 400 like any other unreadable body: `json` raises RecursionError for it, not
    ValueError, which DRF would have answered with a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("The JSON body is nested too deeply to read.")) from None


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
