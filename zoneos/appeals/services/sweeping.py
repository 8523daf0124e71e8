"""The deadline sweep: warns of replies due today, marks overdue appeals and escalates them one rung
per threshold passed (the handler, the department's heads, the zone's supervisors), in batches that
two workers can run at once, with one digest per group of people instead of one message per appeal."""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zoneos.accounts.models import User
from zoneos.areas.models import Area
from zoneos.audit import bulk
from zoneos.core.bulkinsert import insert
from zoneos.notifications.services import Notice, notify_many
from zoneos.workdays.calendar import due_in_working_days

from ..models import Appeal, AppealEvent, Escalation, EventKind
from .deadlines import _alarms, _deadline
from .notices import department_handlers, zone_supervisors

SWEPT_FIELDS = ("overdue", "warned", "escalation", "supervised", "alarm_at")


@dataclass(slots=True)
class Swept:
    """What the sweep reads of a due appeal (its clock, its flags and what its digests name): a row,
    not a model instance, since a backlog brings tens of thousands of them."""

    pk: int
    title: str
    status: str
    paused_at: datetime.datetime | None
    sign_for_due: datetime.datetime
    reply_due: datetime.datetime
    overdue: bool
    warned: bool
    escalation: int
    supervised: bool
    alarm_at: datetime.datetime | None
    area_id: int
    department_id: int | None
    handler_id: int | None
    enterprise_name: str

    get_absolute_url = Appeal.get_absolute_url  # the appeal's page: it reads only `pk`


SWEEP_READS = [f.name for f in dataclasses.fields(Swept)][:-1] + ["enterprise__name"]


def sweep(now: datetime.datetime | None = None, *, batch: int = 5000) -> Counter:
    """Warn of deadlines due today, mark overdue appeals and escalate them one rung per threshold
    passed: the handler, the department's heads, the zone's supervisors. Returns counts of what was done.

    Works through the appeals whose alarm is due in batches, each in a transaction of its own. A
    batch's rows are claimed by the conditional UPDATE that writes them: it only matches a row whose
    alarm and escalation are still what the sweep read, so of two workers that read the same appeal
    (or a worker and a handler's step) one writes it, and only the appeals written get their event,
    history and notices. On PostgreSQL a batch is also read `FOR UPDATE SKIP LOCKED`, so a second
    worker takes the next rows instead of waiting on the first one's."""
    now = now or timezone.now()
    done: Counter = Counter()
    recipients: dict = {}  # who hears of a department's or an area's appeals, looked up once a sweep
    while True:
        with transaction.atomic():
            # The batch is chosen (and locked) in the order of the alarm index, which stops after
            # `batch` rows however many are due; deadlines share a few moments (17:30), and within
            # one the department orders the rows, so that a department's news falls in one digest.
            chosen = (
                Appeal.objects.select_for_update(skip_locked=True)
                .filter(alarm_at__lte=now)
                .order_by("alarm_at", "department_id")
                .values("pk")[:batch]
            )
            appeals = [
                Swept(*row)
                for row in Appeal.objects.filter(pk__in=chosen)
                .order_by("department_id", "pk")
                .values_list(*SWEEP_READS)
            ]
            if not appeals:
                return done
            done.update(_sweep_batch(appeals, now, recipients))


def _sweep_batch(appeals: list[Swept], now: datetime.datetime, recipients: dict) -> Counter:
    done: Counter = Counter()
    read: dict[int, tuple] = {}
    events: dict[int, dict] = {}
    notices: dict[int, tuple[str, int]] = {}
    changed: dict[int, dict] = {}
    due_in = functools.cache(due_in_working_days)
    for appeal in appeals:
        read[appeal.pk] = (appeal.alarm_at, appeal.escalation)
        before = {f: getattr(appeal, f) for f in ("overdue", "warned", "escalation", "supervised")}
        alarms = _alarms(appeal, due_in)
        reached = [a for a in alarms if a.at <= now]
        levels = [a.level for a in reached if a.kind == "escalate"]
        if levels:
            level = max(levels)
            appeal.escalation = level
            appeal.overdue = True
            appeal.warned = True
            if level >= Escalation.SUPERVISORS:
                appeal.supervised = True
            data = {"level": level, "deadline": _deadline(appeal).isoformat()}
            events[appeal.pk] = {"appeal_id": appeal.pk, "kind": EventKind.ESCALATE, "data": data}
            notices[appeal.pk] = ("overdue", level)
        elif reached:  # the warning of the day the reply is due
            appeal.warned = True
            data = {"due": appeal.reply_due.isoformat()}
            events[appeal.pk] = {"appeal_id": appeal.pk, "kind": EventKind.WARN, "data": data}
            notices[appeal.pk] = ("deadline_near", 0)
        # What was reached is done, and the rungs above the one reached lie later still (see `_alarms`).
        appeal.alarm_at = min((a.at for a in alarms if a.at > now), default=None)
        changed[appeal.pk] = {
            f: (v, getattr(appeal, f)) for f, v in before.items() if v != getattr(appeal, f)
        }
    won = _write_swept(appeals, read)
    mine = [a for a in appeals if a.pk in won]
    for appeal in mine:
        if appeal.pk in notices:
            event, level = notices[appeal.pk]
            done["warned" if event == "deadline_near" else f"escalated_to_{level}"] += 1
    # Written with COPY on PostgreSQL: a backlog's sweep writes tens of thousands of events.
    insert(AppealEvent, (events[a.pk] for a in mine if a.pk in events), same={"at": now, "by_id": None})
    bulk.log(Appeal, [(a.pk, a.title, bulk.UPDATE, changed[a.pk]) for a in mine if changed[a.pk]], by=None)
    _send_sweep_notices([(*notices[a.pk], a) for a in mine if a.pk in notices], recipients)
    return done


def _write_swept(appeals: list[Swept], read: dict[int, tuple]) -> set[int]:
    """Write the swept values of `appeals` where the row's alarm and escalation are still those `read`;
    the ids of the rows written. One statement on PostgreSQL, a row at a time elsewhere."""
    if not appeals:
        return set()
    if connection.vendor == "postgresql":
        table = Appeal._meta.db_table
        columns = [Appeal._meta.get_field(f).column for f in SWEPT_FIELDS]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS a SET "  # noqa: S608 (names from the model, values as parameters)
                + ", ".join(f"{c} = v.{c}" for c in columns)
                + " FROM unnest(%s::bigint[], %s::timestamptz[], %s::smallint[], %s::boolean[], "
                "%s::boolean[], %s::smallint[], %s::boolean[], %s::timestamptz[]) "
                f"AS v(id, was_at, was_level, {', '.join(columns)}) "
                "WHERE a.id = v.id AND a.alarm_at IS NOT DISTINCT FROM v.was_at "
                "AND a.escalation = v.was_level RETURNING a.id",
                [
                    _array(a.pk for a in appeals),
                    _array(read[a.pk][0] for a in appeals),
                    _array(read[a.pk][1] for a in appeals),
                    *(_array(getattr(a, f) for a in appeals) for f in SWEPT_FIELDS),
                ],
            )
            return {row[0] for row in cursor.fetchall()}
    won = set()
    for appeal in appeals:
        was_at, was_level = read[appeal.pk]
        if Appeal.objects.filter(pk=appeal.pk, alarm_at=was_at, escalation=was_level).update(
            **{f: getattr(appeal, f) for f in SWEPT_FIELDS}
        ):
            won.add(appeal.pk)
    return won


def _array(values) -> str:
    """A PostgreSQL array literal of integers, booleans and aware datetimes ('{1,t,NULL}'), cast in the
    statement: the driver would adapt a Python list element by element, which costs more than the
    UPDATE itself at thousands of rows."""

    def literal(value) -> str:
        if value is None:
            return "NULL"
        if value is True or value is False:
            return "t" if value else "f"
        if isinstance(value, datetime.datetime):
            return f'"{value.isoformat()}"'
        return str(int(value))

    return "{" + ",".join(map(literal, values)) + "}"


DIGEST_LINES = 10


def _send_sweep_notices(notices, recipients: dict | None = None) -> None:
    """One message per group of people and area for each kind of news (a digest: "12 appeals are
    overdue", with the first few listed), not one per appeal: a department with a backlog gets one
    mail, and a sweep over a large region stays quick. `notices`: (event, level, appeal) triples;
    `recipients`: a memo of whom each department's and area's news reaches, kept across batches."""
    if not notices:
        return
    memo = {} if recipients is None else recipients
    areas = Area.objects.in_bulk({appeal.area_id for _event, _level, appeal in notices})
    handlers = User.objects.in_bulk({appeal.handler_id for _event, _level, appeal in notices} - {None})

    def people_for(event: str, level: int, appeal: Swept) -> list:
        if (event == "deadline_near" or level == Escalation.HANDLER) and appeal.handler_id:
            return [handlers[appeal.handler_id]]
        if event == "deadline_near" or level in (Escalation.HANDLER, Escalation.HEADS):
            key = ("department", appeal.department_id, level == Escalation.HEADS)
            if key not in memo:
                memo[key] = (
                    department_handlers(appeal.department_id, heads_only=key[2])
                    if appeal.department_id
                    else []
                )
        else:
            key = ("area", appeal.area_id)
            if key not in memo:
                memo[key] = zone_supervisors(areas[appeal.area_id])
        return memo[key]

    digests: dict[tuple, list[Swept]] = defaultdict(list)
    people_of: dict[tuple, list] = {}
    for event, level, appeal in notices:
        people = people_for(event, level, appeal)
        key = (event, level, appeal.area_id, tuple(sorted(u.pk for u in people)))
        digests[key].append(appeal)
        people_of[key] = people
    queue = reverse("appeals:queue")
    messages = []
    for key, appeals in digests.items():
        event, level, area_id, _people = key
        n = len(appeals)
        if event == "deadline_near":
            subject = ngettext("%(n)d reply is due today", "%(n)d replies are due today", n) % {"n": n}
        elif level == Escalation.HANDLER:
            subject = ngettext("%(n)d appeal is overdue", "%(n)d appeals are overdue", n) % {"n": n}
        elif level == Escalation.HEADS:
            subject = ngettext(
                "%(n)d overdue appeal escalated to the department's heads",
                "%(n)d overdue appeals escalated to the department's heads",
                n,
            ) % {"n": n}
        else:
            subject = ngettext(
                "%(n)d overdue appeal escalated to the zone's supervisors",
                "%(n)d overdue appeals escalated to the zone's supervisors",
                n,
            ) % {"n": n}
        lines = [
            f"- {a.title} ({a.enterprise_name}), {timezone.localtime(a.reply_due):%Y-%m-%d %H:%M}"
            for a in appeals[:DIGEST_LINES]
        ]
        if n > DIGEST_LINES:
            lines.append(_("… and %(n)d more.") % {"n": n - DIGEST_LINES})
        url = (
            appeals[0].get_absolute_url() if n == 1 else f"{queue}?{'overdue=true' if level else 'open=true'}"
        )
        messages.append(Notice(event, areas[area_id], subject, "\n".join(lines), url, tuple(people_of[key])))
    notify_many(messages)
