"""Answers to requests refused before any view ran: a body over the limits, too many fields, an
unreadable request, a control character in a form. JSON (`{"detail": …}`, the API's error shape) under
/api/, GeoReport's error list under /open311/, a page elsewhere; always 400, never a 500."""

from xml.etree import ElementTree

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from zoneos.core.rest import body_too_big_message, megabytes

JSON_PREFIXES = ("/api/", "/open311/")


def _answer(request, message: str):
    if request.path.startswith("/open311/"):
        # GeoReport v2's error list, in the format the path asks for.
        if request.path.endswith(".xml"):
            root = ElementTree.Element("errors")
            error = ElementTree.SubElement(root, "error")
            ElementTree.SubElement(error, "code").text = "400"
            ElementTree.SubElement(error, "description").text = message
            body = b'<?xml version="1.0" encoding="UTF-8"?>' + ElementTree.tostring(root, encoding="utf-8")
            return HttpResponse(body, status=400, content_type="text/xml; charset=utf-8")
        return JsonResponse([{"code": 400, "description": message}], status=400, safe=False)
    if request.path.startswith(JSON_PREFIXES):
        return JsonResponse({"detail": message}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


def request_too_big(request, limit: int):
    return _answer(
        request,
        _("The request body is larger than the %(limit)s the server accepts.") % {"limit": megabytes(limit)},
    )


def bad_request(request, exception=None):
    """Django's handler400: what a SuspiciousOperation raised while reading the request answers."""
    if isinstance(exception, RequestDataTooBig):
        message = body_too_big_message()
    elif isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)):
        message = _("The request has too many fields or files.")
    else:
        message = _("The request could not be read.")
    return _answer(request, message)


def bad_text(request, field: str, message: str):
    """A form field holding a control character: 400 naming the field, nothing saved."""
    return _answer(request, _("“%(field)s”: %(message)s") % {"field": field, "message": message})
