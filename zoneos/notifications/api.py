"""REST API of notifications: the channels an area's admins keep (e-mail lists and group robots; the
signing secret is written, never read back), and the notifications sent, with a retry of failed ones."""

from __future__ import annotations

from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from zoneos.accounts.scoping import scope
from zoneos.areas.models import Area
from zoneos.core.api import ScopedRelatedField, ScopedViewSet, load_related
from zoneos.core.roles import VIEW

from . import inbox, services
from .filters import ChannelFilter, NotificationFilter
from .models import Channel, ChannelKind, DeliveryStatus, Event, InboxItem, Notification


class EventListField(serializers.ListField):
    """Event names. The service checks them (one message naming `events`, not one per item, and named
    together with the other fields' mistakes)."""

    child = serializers.ChoiceField(choices=Event.choices)

    def to_internal_value(self, data):
        return data


# A choice set may have one name only in the document: the channels' `kind` and `events` carry the
# enums, a notification's copies of them are described in words.
@extend_schema_field({"type": "string", "description": ", ".join(ChannelKind.values)})
class KindText(serializers.CharField):
    pass


@extend_schema_field({"type": "string", "description": ", ".join(Event.values)})
class EventText(serializers.CharField):
    pass


class ChannelSerializer(serializers.ModelSerializer):
    area = ScopedRelatedField(queryset=Area.objects.all())
    area_name = serializers.CharField(source="area.label", read_only=True)
    kind = serializers.ChoiceField(choices=ChannelKind.choices)
    address = serializers.CharField(
        max_length=1000,
        help_text="E-mail addresses separated by commas (kind `email`), or the robot's webhook URL.",
    )
    secret = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=200,
        style={"input_type": "password"},
        help_text=(
            "The signing secret of a DingTalk or Feishu robot. Written only, never read back; "
            "left out it stays as it is, an empty string removes it."
        ),
    )
    has_secret = serializers.SerializerMethodField()
    events = EventListField(required=False, help_text="The events sent to this channel (default: all).")

    class Meta:
        model = Channel
        fields = [
            "id",
            "area",
            "area_name",
            "name",
            "kind",
            "address",
            "secret",
            "has_secret",
            "secret_changed_at",
            "events",
            "active",
            "created_at",
        ]
        read_only_fields = ["secret_changed_at", "created_at"]

    def get_has_secret(self, obj) -> bool:
        """Whether a signing secret is set."""
        return bool(obj.secret)


class ChannelViewSet(ScopedViewSet):
    """Where an area's notifications go: e-mail lists and group robots (WeCom, DingTalk, Feishu) or a
    generic JSON webhook. A notification about an area goes to the active channels of that area and of
    every area above it that subscribe to its event. Kept and read by the area's admins."""

    queryset = Channel.objects.all()
    serializer_class = ChannelSerializer
    filterset_class = ChannelFilter

    def create_record(self, data):
        return services.create_channel(by=self.request.user, **data)

    def update_record(self, instance, data):
        return services.update_channel(instance, by=self.request.user, **data)

    def delete_record(self, instance):
        services.delete_channel(instance, by=self.request.user)


class NotificationSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.label", read_only=True)
    event = EventText(read_only=True)
    kind = KindText(read_only=True)
    status = serializers.ChoiceField(choices=DeliveryStatus.choices, read_only=True)
    channel_name = serializers.CharField(source="channel.name", read_only=True, allow_null=True)
    target = serializers.CharField(read_only=True, help_text="The e-mail address, or the channel's name.")

    class Meta:
        model = Notification
        fields = [
            "id",
            "area",
            "area_name",
            "event",
            "subject",
            "text",
            "url",
            "kind",
            "channel",
            "channel_name",
            "recipient",
            "target",
            "status",
            "attempts",
            "next_attempt_at",
            "last_error",
            "sent_at",
            "created_at",
        ]
        read_only_fields = fields


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The notifications sent about the areas in the caller's reach (admins only), with their delivery
    state: `pending` (attempts go on with a growing wait), `sent`, or `failed` after the last attempt.
    `retry` sends a failed one again."""

    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    permission_classes = [IsAuthenticated]
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return load_related(
            scope(super().get_queryset(), self.request.user, VIEW), self.get_serializer_class()
        )

    @extend_schema(
        summary="Send a failed notification again",
        request=None,
        responses={
            200: NotificationSerializer,
            409: OpenApiResponse(description="The notification has not failed (pending or sent)"),
        },
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def retry(self, request, pk=None):
        notification = services.retry_notification(self.get_object(), by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=notification.pk)).data)


class InboxItemSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.label", read_only=True)
    event = EventText(read_only=True)
    read = serializers.SerializerMethodField()

    class Meta:
        model = InboxItem
        fields = [
            "id",
            "area",
            "area_name",
            "event",
            "subject",
            "text",
            "url",
            "read",
            "read_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_read(self, obj) -> bool:
        """Whether the user has read it."""
        return obj.read_at is not None


class InboxViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's own notifications (every one sent to them by e-mail or to their groups' robots),
    newest first; `?unread=true` lists the unread ones. Nobody reads another user's inbox."""

    serializer_class = InboxItemSerializer
    permission_classes = [IsAuthenticated]
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        items = inbox.of(self.request.user).select_related("area")
        if self.action == "list" and self.request.query_params.get("unread") in ("true", "1"):
            items = items.filter(read_at__isnull=True)
        return items

    @extend_schema(
        summary="The caller's notifications",
        parameters=[OpenApiParameter("unread", bool, description="Only the unread ones")],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="Mark a notification read", request=None, responses={200: InboxItemSerializer})
    @action(detail=True, methods=["post"], filter_backends=[])
    def read(self, request, pk=None):
        item = inbox.mark_read(self.get_object(), by=request.user)
        return Response(self.get_serializer(item).data)

    @extend_schema(
        summary="Mark every notification of the caller read",
        request=None,
        responses={200: inline_serializer("InboxReadAll", {"marked": serializers.IntegerField()})},
    )
    @action(detail=False, methods=["post"], url_path="read-all", filter_backends=[])
    def read_all(self, request):
        return Response({"marked": inbox.mark_all_read(by=request.user)})


class PreferencesSerializer(serializers.Serializer):
    email = serializers.DictField(
        child=serializers.BooleanField(),
        help_text="Event → whether the caller gets its notifications by e-mail as well as in the inbox. "
        f"Events: {', '.join(Event.values)}.",
    )

    def validate_email(self, value):
        unknown = set(value) - set(Event.values)
        if unknown:
            raise serializers.ValidationError(f"Unknown events: {', '.join(sorted(unknown))}.")
        return value


class PreferencesView(APIView):
    """The caller's choice of channel per event: every notification is in the inbox; `email` says for
    which events it also comes by e-mail. A PUT names the events to change; others stay."""

    permission_classes = [IsAuthenticated]

    @extend_schema(summary="The caller's notification preferences", responses={200: PreferencesSerializer})
    def get(self, request):
        return Response({"email": inbox.preferences(request.user)})

    @extend_schema(
        summary="Change the caller's notification preferences",
        request=PreferencesSerializer,
        responses={200: PreferencesSerializer},
    )
    def put(self, request):
        serializer = PreferencesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response({"email": inbox.set_preferences(request.user, serializer.validated_data["email"])})
