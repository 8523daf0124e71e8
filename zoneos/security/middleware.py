"""Pages that refuse (PermissionDenied, answered 403) leave a security event; the API's refusals are
recorded by its exception handler (zoneos.core.rest), since DRF answers them inside the view."""

from django.core.exceptions import PermissionDenied

from . import events
from .models import EventKind


class PermissionRefusalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            events.record(
                EventKind.PERMISSION_REFUSED,
                request,
                detail={"method": request.method, "message": str(exception)[:500]},
            )
        return None  # Django answers 403 as before
