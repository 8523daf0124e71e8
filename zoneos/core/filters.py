"""Filter pieces shared by every module's FilterSets (used by both the pages and the API)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class WithinAreaFilter(django_filters.NumberFilter):
    """`?within=<area id>`: records in that area's subtree (the area switcher uses the same filter)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Within area"))
        kwargs.setdefault("method", self.filter_within)
        super().__init__(*args, **kwargs)

    @staticmethod
    def filter_within(queryset, name, value):
        from zoneos.areas.models import Area

        area = Area.objects.filter(pk=value).only("path").first()
        if area is None:
            return queryset.none()
        return queryset.filter(queryset.model.subtree_q(area.path))


def search_q(value: str, fields: list[str]) -> Q:
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": value})
    return condition
