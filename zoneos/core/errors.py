"""Errors that services raise and both the API and the pages understand."""

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException


class Conflict(APIException):
    """The request is well-formed but the record's state forbids it (answers 409)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This action is not allowed in the record's current state.")
    default_code = "conflict"
