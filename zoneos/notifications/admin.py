"""Read-only admin pages: channels are kept through the API (their service checks and records every
change; here one is only removed, through `services.delete_channel`), notifications are written by
the platform, and a failed one is sent again through the same service as the API's retry."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from zoneos.core.admin import ReadOnlyAdmin, ServiceAdmin
from zoneos.core.errors import Conflict

from . import services
from .models import Channel, DeliveryStatus, Notification


@admin.register(Channel)
class ChannelAdmin(ServiceAdmin):
    list_display = ["name", "area", "kind", "active", "created_at"]
    list_filter = ["kind", "active"]
    exclude = ["secret"]
    readonly_fields = [f.name for f in Channel._meta.fields if f.name != "secret"]

    def service_delete(self, request, obj):
        services.delete_channel(obj, by=request.user)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["event", "area", "kind", "channel", "recipient", "status", "attempts", "created_at"]
    list_filter = ["status", "event", "kind"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["retry"]

    @admin.action(description=_("Send the failed ones again"))
    def retry(self, request, queryset):
        count = 0
        for notification in queryset.filter(status=DeliveryStatus.FAILED):
            try:
                services.retry_notification(notification, by=request.user)
            except Conflict:
                continue
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d notification queued.", "%(count)d notifications queued.", count)
            % {"count": count},
            messages.SUCCESS,
        )
