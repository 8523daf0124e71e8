"""Who is acting: every history row is stamped with the author of the change.

Services run their writes inside `acting(user)`, so history is attributed whether the change came from
a page, the API, an import or a management command. For anything else inside a request (Django admin),
the middleware supplies the request's user. The user is resolved when the row is written, so a user
authenticated by the API's token (after the middleware ran) is still the author.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from auditlog.models import LogEntry
from django.db.models.signals import pre_save
from django.dispatch import receiver

_actor: ContextVar[Callable[[], object] | None] = ContextVar("zoneos_actor", default=None)


@contextmanager
def acting(user) -> Iterator[None]:
    """Attribute every change made inside this block to `user`."""
    token = _actor.set(lambda: user)
    try:
        yield
    finally:
        _actor.reset(token)


@contextmanager
def acting_lazily(resolve: Callable[[], object]) -> Iterator[None]:
    token = _actor.set(resolve)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor():
    resolve = _actor.get()
    user = resolve() if resolve else None
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


@receiver(pre_save, sender=LogEntry)
def stamp_actor(sender, instance: LogEntry, **kwargs) -> None:
    if instance.actor_id is None:
        user = current_actor()
        if user is not None:
            instance.actor = user
            instance.actor_email = user.email or None
