"""Each user's inbox and their choice of channel per event.

`notify()` puts a notification in the inbox of every user it names (whether or not they have an
e-mail address, and whatever their e-mail preference), in the same transaction as its deliveries, so a
change that is rolled back leaves no trace in anybody's inbox. A user reads and marks only their own.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .models import Event, InboxItem, Preference


def email_refusals(notices: Iterable) -> set[tuple[int, str]]:
    """(user id, event) of the users of `notices` who turned e-mail off for that event: one query."""
    user_ids = {u.pk for notice in notices for u in notice.users if getattr(u, "pk", None)}
    if not user_ids:
        return set()
    return set(Preference.objects.filter(user_id__in=user_ids, email=False).values_list("user_id", "event"))


def items_for(notice, event: str, *, subject: str, url: str) -> list[InboxItem]:
    """The unsaved inbox rows of one notice: one per distinct active user it names."""
    seen: set[int] = set()
    items = []
    for user in notice.users:
        pk = getattr(user, "pk", None)
        if pk is None or pk in seen or not getattr(user, "is_active", True):
            continue
        seen.add(pk)
        items.append(
            InboxItem(user_id=pk, area=notice.area, event=event, subject=subject, text=notice.text, url=url)
        )
    return items


def of(user):
    """The inbox of `user` (nobody reads another's)."""
    if user is None or not user.is_authenticated:
        return InboxItem.objects.none()
    return InboxItem.objects.filter(user_id=user.pk)


def unread_count(user) -> int:
    return of(user).filter(read_at__isnull=True).count()


def mark_read(item: InboxItem, *, by) -> InboxItem:
    """Mark one of `by`'s notifications read (reading it twice keeps the first time)."""
    if item.user_id != by.pk:
        raise InboxItem.DoesNotExist
    if item.read_at is None:
        item.read_at = timezone.now()
        InboxItem.objects.filter(pk=item.pk, read_at__isnull=True).update(read_at=item.read_at)
    return item


def mark_all_read(*, by) -> int:
    """Mark every unread notification of `by` read; the number marked."""
    return of(by).filter(read_at__isnull=True).update(read_at=timezone.now())


def preferences(user) -> dict[str, bool]:
    """Event → whether `user` gets its e-mails, for every event."""
    chosen = dict(Preference.objects.filter(user_id=user.pk).values_list("event", "email"))
    return {event: chosen.get(event, True) for event in Event.values}


@transaction.atomic
def set_preferences(user, email: dict[str, bool]) -> dict[str, bool]:
    """Keep `user`'s e-mail choice for each event named in `email` (unknown events are refused with a
    ValueError); events left out stay as they are."""
    unknown = set(email) - set(Event.values)
    if unknown:
        raise ValueError(f"unknown events: {', '.join(sorted(unknown))}")
    for event, wanted in email.items():
        Preference.objects.update_or_create(user_id=user.pk, event=event, defaults={"email": bool(wanted)})
    return preferences(user)
