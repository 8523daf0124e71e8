"""Every change to briefings and their schedules: requesting a briefing, rendering its file in the task
worker, keeping schedules, and the daily sweep that queues the briefings schedules are due.

A briefing may be had for any area whose supervision figures the user may read (the check of the
supervision summary); schedules are kept by the area's supervisors and admins. Each write is atomic and
attributed to its author in the history; tasks are queued only once the transaction has committed.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import may_place, require
from zoneos.areas.models import Area
from zoneos.audit.context import acting
from zoneos.core.errors import Conflict
from zoneos.core.replica import reading_from_replica
from zoneos.core.roles import CHANGE
from zoneos.supervision.policies import readable_areas
from zoneos.supervision.services import parse_month

from .models import Briefing, BriefingFormat, BriefingSchedule, BriefingStatus

log = logging.getLogger(__name__)
LANGUAGES = {code for code, _name in settings.LANGUAGES}
SCHEDULE_FIELDS = ("area", "day_of_month", "formats", "language", "active")


def may_read(area: Area, user) -> bool:
    """Whether `user` may read the supervision figures of `area` (and so have its briefing)."""
    return readable_areas(user).filter(pk=area.pk).exists()


def clean_formats(value, field: str = "formats") -> list[str]:
    values = [value] if isinstance(value, str) else list(value or [])
    if not values or any(v not in BriefingFormat.values for v in values):
        raise ValidationError({field: [_("Choose PDF, Excel or both.")]})
    return [f for f in BriefingFormat.values if f in values]


def clean_language(value: str | None) -> str:
    if not value:
        return translation.get_language() if translation.get_language() in LANGUAGES else "zh-hans"
    if value not in LANGUAGES:
        raise ValidationError({"language": [_("Choose Chinese or English.")]})
    return value


def last_month(today: datetime.date) -> tuple[int, int]:
    previous = today.replace(day=1) - datetime.timedelta(days=1)
    return previous.year, previous.month


# Briefings -----------------------------------------------------------------------------------------
def _queue(briefings: list[Briefing]) -> None:
    from . import tasks

    ids = [b.pk for b in briefings]
    transaction.on_commit(lambda: [tasks.generate_briefing.enqueue(pk) for pk in ids])


@transaction.atomic
def request_briefing(*, by, area: Area, month: str, formats, language: str | None = None) -> list[Briefing]:
    """Queue the briefing of `area` for `month` ("YYYY-MM") in each of `formats`, to be kept as files."""
    errors: dict = {}
    if area is None or not may_read(area, by):
        errors["area"] = [_("Choose an area whose key-project figures you may read.")]
    try:
        year, number = parse_month(month)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        formats = clean_formats(formats)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        language = clean_language(language)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with acting(by):
        briefings = [
            Briefing.objects.create(
                area=area, year=year, month=number, format=fmt, language=language, requested_by=by
            )
            for fmt in formats
        ]
    _queue(briefings)
    return briefings


@transaction.atomic
def delete_briefing(briefing: Briefing, *, by) -> None:
    """Remove a requested briefing and its file. A scheduled one stays: it records what the schedule
    sent, and the next sweep would only make it again; its schedule is paused or removed instead."""
    require(briefing, by, CHANGE)
    if briefing.schedule_id:
        raise Conflict(_("A scheduled briefing is kept; pause or remove its schedule instead."))
    name, storage = briefing.file.name, briefing.file.storage
    with acting(by):
        briefing.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def render(briefing: Briefing) -> bytes:
    from .briefing import render_pdf, render_xlsx

    make = render_pdf if briefing.format == BriefingFormat.PDF else render_xlsx
    with translation.override(briefing.language):
        return make(briefing.area, briefing.year, briefing.month)


def generate(briefing_id: int) -> Briefing | None:
    """Render a queued briefing and keep its file (the task worker's job). Rendering happens outside
    any transaction; a briefing already done is left alone, so a task run twice writes one file."""
    briefing = Briefing.objects.select_related("area").filter(pk=briefing_id).first()
    if briefing is None or briefing.status == BriefingStatus.DONE:
        return briefing
    try:
        with reading_from_replica():
            content = render(briefing)
    except Exception as exc:  # the row records the failure; the worker goes on
        log.exception("Briefing %s failed", briefing_id)
        Briefing.objects.filter(pk=briefing_id).update(
            status=BriefingStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        briefing.refresh_from_db()
        return briefing
    with transaction.atomic():
        briefing = Briefing.objects.select_for_update().select_related("area").get(pk=briefing_id)
        if briefing.status == BriefingStatus.DONE:
            return briefing
        briefing.file.save(briefing.filename, ContentFile(content), save=False)
        briefing.status, briefing.error, briefing.generated_at = BriefingStatus.DONE, "", timezone.now()
        briefing.save(update_fields=["file", "status", "error", "generated_at"])
    return briefing


# Schedules -----------------------------------------------------------------------------------------
def _validate_schedule(schedule: BriefingSchedule, by) -> None:
    errors: dict = {}
    if schedule.area_id is None:
        errors["area"] = [_("Choose an area.")]
    elif not may_place(BriefingSchedule, schedule.area, by):
        errors["area"] = [_("You may not schedule briefings for %(area)s.") % {"area": schedule.area}]
    if not isinstance(schedule.day_of_month, int) or not 1 <= schedule.day_of_month <= 28:
        errors["day_of_month"] = [_("Choose a day between 1 and 28.")]
    try:
        schedule.formats = clean_formats(schedule.formats)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if schedule.language not in LANGUAGES:
        errors["language"] = [_("Choose Chinese or English.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_schedule(
    *, by, area: Area, day_of_month: int, formats, language: str = "zh-hans", active: bool = True
) -> BriefingSchedule:
    schedule = BriefingSchedule(
        area=area, day_of_month=day_of_month, formats=formats, language=language, active=active, created_by=by
    )
    _validate_schedule(schedule, by)
    with acting(by):
        schedule.save()
    return schedule


@transaction.atomic
def update_schedule(schedule: BriefingSchedule, *, by, **changes) -> BriefingSchedule:
    require(schedule, by, CHANGE)
    schedule = BriefingSchedule.objects.select_for_update().select_related("area").get(pk=schedule.pk)
    refused = set(changes) - set(SCHEDULE_FIELDS)
    if refused:
        raise ValidationError({f: [_("This field cannot be set here.")] for f in refused})
    for name, value in changes.items():
        setattr(schedule, name, value)
    _validate_schedule(schedule, by)
    with acting(by):
        schedule.save()
    return schedule


@transaction.atomic
def delete_schedule(schedule: BriefingSchedule, *, by) -> None:
    require(schedule, by, CHANGE)
    with acting(by):
        schedule.delete()


def run_due(today: datetime.date | None = None) -> list[Briefing]:
    """Queue last month's briefing of every active schedule whose day has come this month and that has
    not made it yet. Safe to run as often as wished, from several machines at once: the unique
    constraint on (schedule, month, format) lets only one of them create each briefing."""
    today = today or timezone.localdate()
    year, month = last_month(today)
    created: list[Briefing] = []
    due = BriefingSchedule.objects.filter(active=True, day_of_month__lte=today.day).select_related(
        "area", "created_by"
    )
    for schedule in due:
        have = set(schedule.briefings.filter(year=year, month=month).values_list("format", flat=True))
        for fmt in schedule.formats:
            if fmt in have or fmt not in BriefingFormat.values:
                continue
            try:
                with transaction.atomic(), acting(schedule.created_by):
                    briefing = Briefing.objects.create(
                        area=schedule.area,
                        year=year,
                        month=month,
                        format=fmt,
                        language=schedule.language,
                        schedule=schedule,
                        requested_by=None,
                    )
                    _queue([briefing])
            except IntegrityError:
                continue  # another sweep made it a moment ago
            created.append(briefing)
    return created
