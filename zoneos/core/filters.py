"""Filter pieces shared by every module's FilterSets (used by both the pages and the API)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zoneos.areas.models import Area, subtree_q
from zoneos.core.ids import MAX_ID, as_id

__all__ = ["MAX_ID", "as_id", "as_number", "IdFilter", "WithinAreaFilter", "search_q"]


def as_number(value) -> int | None:
    """A small whole number (a year, a count) from a query or form value: ASCII digits only."""
    raw = str(value if value is not None else "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None


class IdFilter(django_filters.NumberFilter):
    """A record id in the query string: a whole number a database can hold, else a 400 naming it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra.update(min_value=1, max_value=MAX_ID, decimal_places=0)


class WithinAreaFilter(IdFilter):
    """`?within=<area id>`: records in that area's subtree (the area switcher uses the same filter)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Within area"))
        kwargs.setdefault("method", self.filter_within)
        super().__init__(*args, **kwargs)

    @staticmethod
    def filter_within(queryset, name, value):
        area = Area.objects.filter(pk=value).only("path").first()
        if area is None:
            return queryset.none()
        return queryset.filter(subtree_q(queryset.model, area))


def search_q(value: str, fields: list[str]) -> Q:
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": value})
    return condition
