"""Filters of channels and notifications, for the API."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneos.core.filters import IdFilter, WithinAreaFilter

from .models import Channel, ChannelKind, DeliveryStatus, Event, Notification


class ChannelFilter(django_filters.FilterSet):
    area = IdFilter(label=_("Area"), field_name="area_id")
    within = WithinAreaFilter()
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ChannelKind.choices)
    active = django_filters.BooleanFilter(label=pgettext_lazy("notification channel", "Active"))

    class Meta:
        model = Channel
        fields = ["area", "within", "kind", "active"]


class NotificationFilter(django_filters.FilterSet):
    area = IdFilter(label=_("Area"), field_name="area_id")
    within = WithinAreaFilter()
    status = django_filters.ChoiceFilter(label=_("Status"), choices=DeliveryStatus.choices)
    event = django_filters.ChoiceFilter(label=_("Event"), choices=Event.choices)
    channel = IdFilter(label=_("Channel"), field_name="channel_id")

    class Meta:
        model = Notification
        fields = ["area", "within", "status", "event", "channel"]
