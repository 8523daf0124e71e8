"""Login throttling: after too many failed sign-ins for one username or one client address, refuse
further attempts for a while. Counted in the cache (Redis in production, shared by all web processes).
"""

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, address: str) -> list[str]:
    return [f"login-fail:user:{username.strip().lower()}", f"login-fail:addr:{address}"]


def is_locked(username: str, address: str) -> bool:
    return any((cache.get(k) or 0) >= settings.LOGIN_MAX_FAILURES for k in _keys(username, address))


def record_failure(username: str, address: str) -> None:
    for key in _keys(username, address):
        cache.add(key, 0, settings.LOGIN_FAILURE_WINDOW)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_FAILURE_WINDOW)


def clear(username: str, address: str) -> None:
    cache.delete(_keys(username, address)[0])


def window_minutes() -> int:
    return max(1, settings.LOGIN_FAILURE_WINDOW // 60)
