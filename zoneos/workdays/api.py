"""REST API of the working-day calendar: the exception days (holidays and adjusted working weekends),
which every signed-in user reads and administrators change, and the deadline a number of working days
or working hours after a moment."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from zoneos.core.api import ScopedViewSet

from . import services
from .calendar import due_in_working_days, due_in_working_hours
from .filters import CalendarDayFilter
from .models import FIRST_YEAR, LAST_YEAR, CalendarDay, DayKind

MAX_DAYS = 2000  # some eight years of working days: far beyond any time limit
MAX_HOURS = 16000  # as many working hours: some nine years of the default office hours


class CalendarDaySerializer(serializers.ModelSerializer):
    # Declared, so that a second row for a date is refused by the view with its own message.
    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=DayKind.choices)
    working = serializers.BooleanField(source="is_working_day", read_only=True)

    class Meta:
        model = CalendarDay
        fields = ["id", "date", "kind", "name", "source", "working", "updated_at"]
        read_only_fields = ["updated_at"]


# Schemas of the deadline's parameters and answers that no serializer field describes exactly.
START = {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "string", "format": "date"}]}
HOURS = {"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": MAX_HOURS}
FIELD_ERRORS = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}


class LocalDateTimeField(serializers.DateTimeField):
    """An ISO 8601 date-time, or a plain date (its midnight); without an offset it is local time
    (settings.TIME_ZONE, whatever time zone a request may have activated)."""

    def default_timezone(self):
        return timezone.get_default_timezone()


class DueQuerySerializer(serializers.Serializer):
    start = LocalDateTimeField()
    days = serializers.IntegerField(required=False, min_value=0, max_value=MAX_DAYS)
    # Four decimal places (0.36 s) are finer than any time limit; a bound on the digits also keeps
    # numbers such as 1e400 from reaching the arithmetic.
    hours = serializers.DecimalField(required=False, max_digits=9, decimal_places=4, max_value=MAX_HOURS)

    def validate_start(self, value):
        # The local day, which is the one the counting uses.
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise serializers.ValidationError(
                _("Give a date between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return value

    def validate_hours(self, value):
        if value <= 0:
            raise serializers.ValidationError(_("Give a number of hours greater than 0."))
        return value

    def validate(self, attrs):
        if "days" in attrs and "hours" in attrs:
            raise serializers.ValidationError({"days": [_("Give days or hours, not both.")]})
        if "days" not in attrs and "hours" not in attrs:
            raise serializers.ValidationError({"days": [_("Give a number of days or of hours.")]})
        return attrs


class _DueAnswer(serializers.Serializer):
    start = serializers.DateTimeField(help_text="`start` as understood, in local time with its offset.")
    due = serializers.DateTimeField(help_text="The deadline, in local time with its offset.")
    provisional = serializers.BooleanField(
        help_text=(
            "Whether the deadline rests on a day of a year without official calendar data, judged by "
            "the weekday rule: it may move once the State Council notice is entered."
        )
    )


class WorkingDaysDueSerializer(_DueAnswer):
    days = serializers.IntegerField(min_value=0, max_value=MAX_DAYS)


@extend_schema_field(HOURS)
class _HoursField(serializers.FloatField):
    pass


class WorkingHoursDueSerializer(_DueAnswer):
    hours = _HoursField()


DUE = PolymorphicProxySerializer(
    component_name="WorkingTimeDue",
    serializers=[WorkingDaysDueSerializer, WorkingHoursDueSerializer],
    resource_type_field_name=None,
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
        summary="The deadline a number of working days or working hours after a moment",
        description=(
            "Give `start` and exactly one of `days` and `hours`; the answer repeats them with `due` and "
            "`provisional`.\n\n"
            "With `days`, `due` is the end of the last working period of the `days`-th working day after "
            "the local day of `start` (次日起: the first working day after the day of receipt is day 1). "
            "`days=0` answers the end of the day of `start` when it is a working day, else the end of the "
            "next working day.\n\n"
            "With `hours`, `due` is that much working time (the office hours of working days) after "
            "`start`: counting starts at once when `start` falls inside a working period, else at the "
            "start of the next one.\n\n"
            "Days of a year without official calendar data are judged by the weekday rule (Monday to "
            "Friday, plus whatever days the table holds for that year), and `provisional` is then true. "
            "Bad arguments answer 400 naming the field."
        ),
        parameters=[
            OpenApiParameter(
                "start",
                START,
                required=True,
                description=(
                    "An ISO 8601 date-time (`2026-02-13T10:00:00+08:00`; without an offset, local time) or "
                    "a plain date (`2026-02-13`, its midnight in local time); its local year from "
                    f"{FIRST_YEAR} to {LAST_YEAR}."
                ),
            ),
            OpenApiParameter(
                "days",
                {"type": "integer", "minimum": 0, "maximum": MAX_DAYS},
                description=f"Working days, 0 to {MAX_DAYS}. Give either `days` or `hours`.",
            ),
            OpenApiParameter(
                "hours",
                HOURS,
                description=(
                    f"Working hours, more than 0 up to {MAX_HOURS}, with at most 4 decimal places. Give "
                    "either `days` or `hours`."
                ),
            ),
        ],
        responses={
            200: OpenApiResponse(DUE),
            400: OpenApiResponse(FIELD_ERRORS, description="The messages for each field that is wrong."),
        },
        filters=False,
    )
    @action(detail=False, methods=["get"], url_path="add", pagination_class=None, filter_backends=[])
    def add(self, request):
        # An empty parameter (as a form leaves it) is not given.
        query = DueQuerySerializer(data={k: v for k, v in request.query_params.items() if v != ""})
        query.is_valid(raise_exception=True)
        start = query.validated_data["start"]
        if "days" in query.validated_data:
            days = query.validated_data["days"]
            amount, due = {"days": days}, due_in_working_days(start, days)
        else:
            hours = query.validated_data["hours"]
            amount, due = {"hours": _number(hours)}, due_in_working_hours(start, hours)
        return Response(
            {"start": start.isoformat(), **amount, "due": due.due.isoformat(), "provisional": due.provisional}
        )


def _number(value: Decimal) -> int | float:
    """A JSON number: 4 rather than 4.0 for a whole number of hours."""
    return int(value) if value == value.to_integral_value() else float(value)
