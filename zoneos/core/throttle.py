"""Login throttling: after too many failed sign-ins for one username, or many more from one client
address, refuse further attempts for a while. Counted in the cache (Redis in production, shared by
all web processes). The username limit (LOGIN_MAX_FAILURES) is low: one user's typos lock that
username only. The address limit (LOGIN_MAX_FAILURES_PER_ADDRESS) is high: an office behind one NAT
address keeps signing in, while one address guessing across many usernames is stopped.

Used by /login/ and /admin/login/ alike (the admin through `ThrottledAdminAuthenticationForm`).
"""

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def client_address(request) -> str:
    """REMOTE_ADDR, unless ZONEOS_CLIENT_IP_HEADER names a header set by a trusted proxy (e.g.
    `HTTP_X_FORWARDED_FOR`). Then the right-most entry of that header: the one the proxy itself
    added, which the client cannot forge (entries to its left can be). With the setting empty the
    header is never read. A configured header that is missing or empty falls back to REMOTE_ADDR.
    """
    header = getattr(settings, "ZONEOS_CLIENT_IP_HEADER", "")
    if header:
        entries = [e.strip() for e in request.META.get(header, "").split(",") if e.strip()]
        if entries:
            return entries[-1]
    return request.META.get("REMOTE_ADDR", "")


def _user_key(username: str) -> str:
    return f"login-fail:user:{username.strip().lower()}"


def _addr_key(address: str) -> str:
    return f"login-fail:addr:{address}"


def is_locked(username: str, address: str) -> bool:
    return (cache.get(_user_key(username)) or 0) >= settings.LOGIN_MAX_FAILURES or (
        cache.get(_addr_key(address)) or 0
    ) >= settings.LOGIN_MAX_FAILURES_PER_ADDRESS


def record_failure(username: str, address: str) -> None:
    limits = (
        (_user_key(username), settings.LOGIN_MAX_FAILURES, "username"),
        (_addr_key(address), settings.LOGIN_MAX_FAILURES_PER_ADDRESS, "address"),
    )
    for key, limit, locked in limits:
        cache.add(key, 0, settings.LOGIN_FAILURE_WINDOW)
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_FAILURE_WINDOW)
            count = 1
        if count == limit:  # the failure that starts the lock, once per window
            _record_lockout(username, address, locked, count)


def _record_lockout(username: str, address: str, locked: str, failures: int) -> None:
    from zoneos.security.events import record, user_named
    from zoneos.security.models import EventKind

    record(
        EventKind.LOCKOUT,
        user=user_named(username),
        username=username,
        address=address,
        detail={"locked": locked, "failures": failures, "minutes": window_minutes()},
    )


def clear(username: str, address: str) -> None:
    """A successful sign-in clears the username's failures; the address's count stays, so that
    one valid account does not reset the count of guesses at others from the same address."""
    cache.delete(_user_key(username))


def window_minutes() -> int:
    return max(1, settings.LOGIN_FAILURE_WINDOW // 60)


def locked_message() -> str:
    return _("Too many failed sign-ins. Please wait %(minutes)d minutes and try again.") % {
        "minutes": window_minutes()
    }


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's login form, counting failures and refusing while locked, like /login/."""

    def clean(self):
        username = self.data.get("username", "")
        address = client_address(self.request)
        if is_locked(username, address):
            raise ValidationError(locked_message(), code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError:
            record_failure(username, address)
            raise
        if self.user_cache is not None:
            clear(self.user_cache.get_username(), address)
        return cleaned
