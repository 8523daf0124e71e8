"""DRF authentication by `Authorization: Token <key>` against the hashed API tokens.

The header is the one DRF's own tokens used, so clients keep working; an unknown, expired or revoked
key answers 401 with a message saying which (drf-spectacular documents it as DRF's token scheme,
which this class extends).
"""

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from . import services
from .models import ApiToken


class ApiTokenAuthentication(TokenAuthentication):
    keyword = "Token"
    model = ApiToken

    def authenticate(self, request):
        # The events are written with Django's request: asking DRF's for its user would authenticate
        # again, from inside this very call.
        self._request = getattr(request, "_request", request)
        return super().authenticate(request)

    def authenticate_credentials(self, key):
        try:
            return services.authenticate_key(key, getattr(self, "_request", None))
        except services.TokenRefused as refused:
            raise exceptions.AuthenticationFailed(str(refused)) from None
