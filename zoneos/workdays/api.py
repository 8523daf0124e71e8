"""REST API of the working-day calendar: the exception days (holidays and adjusted working weekends),
which every signed-in user reads and administrators change, and the due date of a count of working
days."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from zoneos.core.api import ScopedViewSet

from . import services
from .calendar import CalendarMissing, add_working_days
from .filters import CalendarDayFilter
from .models import FIRST_YEAR, LAST_YEAR, CalendarDay, DayKind

MAX_DAYS = 2000  # some eight years of working days: far beyond any time limit


class CalendarDaySerializer(serializers.ModelSerializer):
    # Declared, so that a second row for a date is refused by the view with its own message.
    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=DayKind.choices)
    working = serializers.BooleanField(source="is_working_day", read_only=True)

    class Meta:
        model = CalendarDay
        fields = ["id", "date", "kind", "name", "source", "working", "updated_at"]
        read_only_fields = ["updated_at"]


class DueQuerySerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=0, max_value=MAX_DAYS)
    from_next_day = serializers.BooleanField(required=False, default=True)

    def get_fields(self):
        # `from` is a Python keyword, so it cannot be declared as an attribute.
        return {"from": serializers.DateField(validators=[_within_calendar]), **super().get_fields()}


def _within_calendar(value) -> None:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise serializers.ValidationError(
            _("Give a date between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )


DUE = inline_serializer(
    name="WorkingDaysDue",
    fields={
        "from": serializers.DateField(),
        "days": serializers.IntegerField(),
        "from_next_day": serializers.BooleanField(),
        "due": serializers.DateField(),
    },
)


class CalendarDayViewSet(ScopedViewSet):
    """The days that differ from their weekday's rule: statutory holidays (including the weekends inside
    them) and adjusted working weekends (调休). `?year=2026` lists one year. Plain days are not listed;
    deleting a day makes it plain again."""

    queryset = CalendarDay.objects.all()
    serializer_class = CalendarDaySerializer
    filterset_class = CalendarDayFilter

    def create_record(self, data):
        if CalendarDay.objects.filter(date=data["date"]).exists():
            raise ValidationError({"date": [_("This day is in the calendar already; change it instead.")]})
        return services.set_day(
            data["date"], data["kind"], by=self.request.user, name=data.get("name"), source=data.get("source")
        )

    def update_record(self, instance, data):
        if "date" in data and data["date"] != instance.date:
            raise ValidationError(
                {"date": [_("A day's date does not change: delete it and add the other day.")]}
            )
        return services.set_day(
            instance.date,
            data.get("kind", instance.kind),
            by=self.request.user,
            name=data.get("name"),
            source=data.get("source"),
        )

    def delete_record(self, instance):
        services.set_day(instance.date, services.PLAIN, by=self.request.user)

    @extend_schema(
        summary="The day a number of working days after a date",
        description=(
            "`due` is the day on which the `days`-th working day is reached, counting from the day after "
            "`from` (次日起), or from `from` itself with `from_next_day=false`. `days=0` answers `from` "
            "when it is a working day, else the next working day. A year without official calendar data "
            "answers 400 naming `from` (when it is `from`'s year) or `days`."
        ),
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=True, description="YYYY-MM-DD"),
            OpenApiParameter("days", OpenApiTypes.INT, required=True, description=f"0 to {MAX_DAYS}"),
            OpenApiParameter("from_next_day", OpenApiTypes.BOOL, description="Default: true"),
        ],
        responses={200: OpenApiResponse(DUE)},
        filters=False,
    )
    @action(detail=False, methods=["get"], url_path="add", pagination_class=None, filter_backends=[])
    def add(self, request):
        query = DueQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        start, days = query.validated_data["from"], query.validated_data["days"]
        from_next_day = query.validated_data["from_next_day"]
        try:
            due = add_working_days(start, days, from_next_day=from_next_day)
        except CalendarMissing as exc:
            raise ValidationError({"from" if exc.year == start.year else "days": [str(exc)]}) from exc
        return Response(
            {"from": start.isoformat(), "days": days, "from_next_day": from_next_day, "due": due.isoformat()}
        )
