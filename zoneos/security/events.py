"""Writing the security event log: one INSERT per event, and never the reason a request fails.

`record(kind, request, ...)` takes the user, the client address (through the configured proxy header,
`zoneos.core.throttle.client_address`), the user agent and the path from the request when it has one.
A failure to write (a database that refuses, a broken transaction) is logged and swallowed: the
request goes on. Inside a transaction the row is written in a savepoint, so a failed INSERT does not
break the caller's transaction.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection, transaction

from .models import EventKind, SecurityEvent

logger = logging.getLogger(__name__)

USER_AGENT_LENGTH = SecurityEvent._meta.get_field("user_agent").max_length
PATH_LENGTH = SecurityEvent._meta.get_field("path").max_length
USERNAME_LENGTH = SecurityEvent._meta.get_field("username").max_length


def _text(value, length: int) -> str:
    """Text as a column holds it: cut to its length, without NUL (PostgreSQL refuses it): a failed
    sign-in under a hostile name is logged, not lost."""
    return str(value or "").replace("\x00", "")[:length]


def _client_address(request) -> str:
    from zoneos.core.throttle import client_address

    return client_address(request)


def _request_user(request):
    user = getattr(request, "user", None) if request is not None else None
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def user_named(username: str):
    """The account a username names, if any (the one a failed sign-in or a lockout was aimed at), so
    that its admin sees the attempts on it."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    if not username:
        return None
    try:
        return User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
    except (DatabaseError, ValueError):  # a name no database column can hold (a NUL character)
        return None


def record(
    kind: EventKind | str,
    request=None,
    *,
    user=None,
    username: str | None = None,
    address: str | None = None,
    detail: dict | None = None,
) -> SecurityEvent | None:
    """Write one event. `user` defaults to the request's signed-in user; `username` to that user's."""
    try:
        if user is None:
            user = _request_user(request)
        if username is None:
            username = user.get_username() if user is not None else ""
        event = SecurityEvent(
            kind=kind,
            user=user,
            username=_text(username, USERNAME_LENGTH),
            address=_text(
                address if address is not None else (_client_address(request) if request else ""), 64
            ),
            user_agent=_text(request.META.get("HTTP_USER_AGENT", "") if request else "", USER_AGENT_LENGTH),
            path=_text(request.path if request else "", PATH_LENGTH),
            detail=detail or {},
        )
        if connection.in_atomic_block:
            with transaction.atomic():
                event.save(force_insert=True)
        else:
            event.save(force_insert=True)
        return event
    except (DatabaseError, ValueError, TypeError) as exc:
        # The log must never be the reason a sign-in, a download or a refusal fails.
        logger.warning("security event %s not recorded: %s", kind, exc)
        return None
