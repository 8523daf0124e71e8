"""The working-day calendar: the days that differ from the plain rule "Monday to Friday work, weekends
rest" (statutory holidays and adjusted working weekends, 调休), and the years whose official data is in.

Plain weekdays and weekends are not stored. A year is known only once a `CalendarYear` row marks it
complete: the State Council announces each year's 调休 late in the year before, so arithmetic refuses
a year that has no official data yet rather than guess.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 1949
LAST_YEAR = 2100


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday")
    WORKDAY = "workday", _("Adjusted working day")


# Colors for pages and charts, next to the choices they describe.
DAY_KIND_COLOR = {DayKind.HOLIDAY: "danger", DayKind.WORKDAY: "warning"}


class CalendarDay(models.Model):
    """A day that is not what its weekday says: a holiday (any day off by the holiday rules, including a
    weekend inside a holiday) or an adjusted working day (a weekend on which people work)."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("e.g. 春节, 国庆节"))
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("The notice or package the day comes from.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".strip()

    @property
    def is_working_day(self) -> bool:
        return self.kind == DayKind.WORKDAY

    @property
    def kind_color(self) -> str:
        return DAY_KIND_COLOR.get(self.kind, "secondary")

    def clean(self) -> None:
        errors: dict = {}
        if self.date is not None and not FIRST_YEAR <= self.date.year <= LAST_YEAR:
            errors["date"] = [
                _("Give a date between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
            ]
        elif self.date is not None and self.kind == DayKind.WORKDAY and self.date.weekday() < 5:
            errors["kind"] = [
                _("A weekday is a working day anyway: only a weekend can be an adjusted working day.")
            ]
        if errors:
            raise ValidationError(errors)


class CalendarYear(models.Model):
    """A year of the calendar. When `complete`, its holidays and adjusted working days are all in the
    table, and deadlines may be counted through it."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    complete = models.BooleanField(
        _("complete"),
        default=False,
        help_text=_("All holidays and adjusted working days of the year are in."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)

    def clean(self) -> None:
        if self.year is not None and not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise ValidationError(
                {
                    "year": [
                        _("Give a year between %(first)s and %(last)s.")
                        % {"first": FIRST_YEAR, "last": LAST_YEAR}
                    ]
                }
            )
        has_holidays = CalendarDay.objects.filter(date__year=self.year, kind=DayKind.HOLIDAY).exists
        if self.complete and self.year is not None and not has_holidays():
            raise ValidationError({"complete": [_("Enter the year's holidays before marking it complete.")]})
