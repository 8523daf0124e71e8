"""Every change to API tokens, the check of a presented key, and the purge of old security events.

- `create_token(by, name, expires_at)` makes a token for its caller and returns it with its secret:
  the only moment the secret exists outside the caller's hands (the row keeps its SHA-256).
- `revoke_token(token, by)`: by its owner or an admin who may change the owner (scoping decides).
- `authenticate_key(key, request)`: the user of a presented key, or `TokenRefused` with the reason
  (unknown, expired, revoked, inactive user); a use is written to the token and to the log at most
  once a minute.
- `purge_old_events()`: deletes security events older than the retention (for the scheduler, and
  `manage.py purge_security_events`).
"""

from __future__ import annotations

import datetime
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import require
from zoneos.audit.context import acting
from zoneos.core.errors import Conflict
from zoneos.core.roles import CHANGE

from . import events
from .models import PREFIX_LENGTH, ApiToken, EventKind, SecurityEvent, digest

SECRET_BYTES = 20  # 40 hexadecimal characters, the length clients of the earlier tokens know
USE_INTERVAL = datetime.timedelta(minutes=1)
MIN_RETENTION_DAYS = 180


def default_expiry(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) + datetime.timedelta(days=settings.ZONEOS_API_TOKEN_DAYS)


def latest_expiry(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) + datetime.timedelta(days=settings.ZONEOS_API_TOKEN_MAX_DAYS)


def _check_expiry(expires_at: datetime.datetime, now: datetime.datetime) -> None:
    if expires_at <= now:
        raise ValidationError({"expires_at": [_("Choose a moment in the future.")]})
    if expires_at > latest_expiry(now):
        raise ValidationError(
            {
                "expires_at": [
                    _("A token lives at most %(days)d days.") % {"days": settings.ZONEOS_API_TOKEN_MAX_DAYS}
                ]
            }
        )


@transaction.atomic
def create_token(
    *, by, name: str, expires_at: datetime.datetime | None = None, request=None
) -> tuple[ApiToken, str]:
    """A new token for `by` (tokens are made by their owner); returns it and its secret."""
    if not by.is_authenticated or not by.is_active:
        raise PermissionDenied(_("Sign in to create an API token."))
    now = timezone.now()
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Give the token a name that says where it is used.")]})
    expires_at = expires_at or default_expiry(now)
    _check_expiry(expires_at, now)
    secret = secrets.token_hex(SECRET_BYTES)
    token = ApiToken(
        user=by,
        name=name,
        prefix=secret[:PREFIX_LENGTH],
        hash=digest(secret),
        created_at=now,
        expires_at=expires_at,
    )
    token.full_clean()
    with acting(by):
        token.save()
    events.record(
        EventKind.TOKEN_CREATED,
        request,
        user=by,
        detail={
            "token": token.pk,
            "prefix": token.prefix,
            "name": name,
            "expires_at": expires_at.isoformat(),
        },
    )
    return token, secret


@transaction.atomic
def revoke_token(token: ApiToken, *, by, request=None) -> ApiToken:
    require(token, by, CHANGE, _("You may not revoke this token."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise Conflict(_("This token was already revoked."))
    token.revoked_at = timezone.now()
    token.revoked_by = by
    with acting(by):
        token.save(update_fields=["revoked_at", "revoked_by"])
    events.record(
        EventKind.TOKEN_REVOKED,
        request,
        user=by,
        detail={"token": token.pk, "prefix": token.prefix, "owner": token.user.get_username()},
    )
    return token


class TokenRefused(Exception):
    """A presented key that does not authenticate; the message says why, for the caller, and
    `reason` is one of "unknown", "revoked", "expired", "inactive user"."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def _when(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def authenticate_key(key: str, request=None):
    """The active user whose live token `key` is, and the token; else TokenRefused (and an event)."""
    now = timezone.now()
    # A NUL character (an Open311 form may carry %00) is in no key, and PostgreSQL refuses it in a query.
    readable = bool(key) and "\x00" not in key
    candidates = (
        ApiToken.objects.select_related("user").filter(prefix=key[:PREFIX_LENGTH]) if readable else []
    )
    presented = digest(key or "")
    token = next((t for t in candidates if hmac.compare_digest(t.hash, presented)), None)
    if token is None:
        _refused(request, "unknown", None, key)
        raise TokenRefused(_("Invalid token."), "unknown")
    if token.revoked_at is not None:
        _refused(request, "revoked", token, key)
        message = _("This API token was revoked on %(when)s.") % {"when": _when(token.revoked_at)}
        raise TokenRefused(message, "revoked")
    if token.expires_at <= now:
        _refused(request, "expired", token, key)
        message = _("This API token expired on %(when)s; create a new one.") % {
            "when": _when(token.expires_at)
        }
        raise TokenRefused(message, "expired")
    if not token.user.is_active:
        _refused(request, "inactive user", token, key)
        raise TokenRefused(_("The user of this API token is deactivated."), "inactive user")
    _note_use(token, now, request)
    return token.user, token


def _refused(request, reason: str, token: ApiToken | None, key: str) -> None:
    events.record(
        EventKind.TOKEN_REFUSED,
        request,
        user=token.user if token else None,
        detail={
            "reason": reason,
            "prefix": (key or "")[:PREFIX_LENGTH],
            "token": token.pk if token else None,
        },
    )


def _note_use(token: ApiToken, now: datetime.datetime, request) -> None:
    """Stamp the token's last use and log it, at most once a minute: a conditional UPDATE, so two
    requests in the same minute (in two processes) write one event between them."""
    if token.last_used_at is not None and token.last_used_at > now - USE_INTERVAL:
        return  # as read with the token: most requests cost no write at all
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - USE_INTERVAL)
    if ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now):
        token.last_used_at = now
        events.record(
            EventKind.TOKEN_USED, request, user=token.user, detail={"token": token.pk, "prefix": token.prefix}
        )


# Retention ---------------------------------------------------------------------------------------
def retention_days() -> int:
    """ZONEOS_SECURITY_LOG_DAYS, refused below 180 days (the platform does not start with less)."""
    days = settings.ZONEOS_SECURITY_LOG_DAYS
    if days < MIN_RETENTION_DAYS:
        raise ImproperlyConfigured(
            f"ZONEOS_SECURITY_LOG_DAYS is {days}: security events are kept at least "
            f"{MIN_RETENTION_DAYS} days."
        )
    return days


def purge_old_events(now: datetime.datetime | None = None) -> int:
    """Delete the security events older than the retention; returns how many. For the scheduler."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days())
    deleted, _by_model = SecurityEvent.objects.filter(at__lt=cutoff).delete()
    return deleted
