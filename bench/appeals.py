"""Enterprise appeals at province scale: the deadline sweep over 1,000,000 open appeals, and the queue
of a department with 10,000 of them.

Builds (with COPY through `zoneos.core.bulkinsert`, not through the services) a region of 4 zones with
10 parks each, 6 departments per zone (routing rules by category, 5 handlers each, one or two of them
heads, all with e-mail addresses), supervisors on the zones and the region, a service officer per zone,
thousands of enterprises (one enterprise user each) and --appeals open appeals (default 1,000,000)
received over the last six months: most of them old and fully escalated (no alarm left), paused, or
answered and waiting for a rating; the rest of the last three weeks in every open state. Deadlines
come from `zoneos.workdays.calendar` and the SLA policies (the platform default and a stricter one of
zone 1 from 2026-09-01) as `services.submit` computes them (checked by submitting a sample through the
service); each appeal's steps (routing, signing for, starting, extension request, pause, reply, rating,
reopening, return, urging) are written as the services write their events, and between the steps the
hourly sweep (at minute 50) is replayed with the services' own `_alarms` / `_rearm` / `_next_alarm`, so
flags, `alarm_at` and the sweep's past warn/escalate events are as the sweep would have left them at
L0 = 2026-11-17 16:50 (Tuesday, Asia/Shanghai) — checked by running the real `services.sweep` over a
sample from its fresh state and comparing flags, alarms and events. One department (zone 0's 企业服务中心)
holds exactly 10,000 open appeals, spread over the table among the others. Not written: the history
(auditlog) and notification rows of the past, which nothing measured here reads.

Part 1, `services.sweep(now)` (target: at most 5 s), median of --repeat runs, each from a fresh copy
of the alarm state (one UPDATE from a side table restores the swept columns, the events, history,
notifications and queued tasks the run wrote are deleted, then VACUUM ANALYZE):

- (a) the steady hourly sweep, now = L0 + 1 h: the 17:30 closing of the day falls in it (first overdue
  marks of today's reply deadlines, escalations of earlier ones to the heads and supervisors,
  sign-for deadlines of the hour) — about 1 % of the open appeals;
- (b) a backlog: the sweep stopped after its run of L0 - BACKLOG_DAYS (14 days; the appeals' steps
  went on: that state is generated from the same lives with the sweep halted) and restarts at
  L0 + 1 h: 5 to 6 % of the open appeals are due (6.1 % at full size), the mornings' warnings
  included;
- (c) nothing due, now = L0: the index probe only.

Reports time, rows claimed, events written, notifications and queued delivery tasks written, the time
spent in `_send_sweep_notices` (recipients and `notify`) and in queueing the deliveries at commit, the
sweep without the notices (`_send_sweep_notices` left out), the statements sent, and a profile;
checks that each claimed appeal got exactly one event and that a second sweep at the same `now` does
nothing.

Part 2 (target: at most 300 ms), signed in as a handler of the department with 10,000 open appeals,
the whole request through Django's test client, median of --page-repeat runs, with the number of SQL
queries: `GET /appeals/`, `GET /appeals/?overdue=true` and
`GET /api/v1/appeals/?department=<id>&page_size=50`; the slowest queries are EXPLAIN ANALYZEd.

The database DATABASE_URL names (default: postgres://postgres@127.0.0.1:5432/zoneos_bench_appeals)
must have "bench" in its name: its public schema is dropped and migrated. After the load it is
vacuumed and analysed, as autovacuum would do. Prints a table and writes
bench/results/appeals-<vendor>.json.

    .venv/bin/python bench/appeals.py --appeals 100000   # a quick run
    .venv/bin/python bench/appeals.py                    # 1,000,000 open appeals
    .venv/bin/python bench/appeals.py --pages-only       # part 2 again, on the database left
"""

import argparse
import cProfile
import datetime
import hashlib
import io
import json
import os
import pstats
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from bisect import bisect_right
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VAR_DIR = Path(tempfile.mkdtemp(prefix="zoneos-bench-appeals-"))
os.environ["ZONEOS_VAR_DIR"] = str(VAR_DIR)
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zoneos_bench_appeals")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zoneos.settings")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from auditlog.models import LogEntry  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.backend import DatabaseBackend  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from zoneos.accounts.models import Membership, User  # noqa: E402
from zoneos.appeals import services  # noqa: E402
from zoneos.appeals.demo import ISSUES, REPLIES  # noqa: E402
from zoneos.appeals.models import Appeal, AppealEvent, Category, SlaPolicy, Status  # noqa: E402
from zoneos.areas.models import Area, Department  # noqa: E402
from zoneos.areas.services import create_area, create_department  # noqa: E402
from zoneos.core.bulkinsert import insert  # noqa: E402
from zoneos.core.codes import build_uscc  # noqa: E402
from zoneos.core.roles import Role  # noqa: E402
from zoneos.enterprises.models import Enterprise  # noqa: E402
from zoneos.notifications.models import Notification  # noqa: E402
from zoneos.workdays.calendar import due_in_working_days, due_in_working_hours, is_working_day  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from pipeline import reset_database  # noqa: E402

S = Status
UTC = datetime.UTC
LOCAL = timezone.get_default_timezone()
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
L0 = datetime.datetime(2026, 11, 17, 16, 50, tzinfo=LOCAL).astimezone(UTC)  # the sweep's last run
# The backlog scenario: the sweep stopped after its run at STOPPED and restarts at L0 + 1 h.
BACKLOG_DAYS = 14
STOPPED = L0 - datetime.timedelta(days=BACKLOG_DAYS)
SWEPT = ("overdue", "warned", "escalation", "supervised", "alarm_at")
TARGETS = {"sweep_ms": 5000, "page_ms": 300}
QUEUE_SIZE = 10_000
ZONES, PARKS = 4, 10
CITIES = ["广州", "深圳", "珠海", "惠州"]
# Category -> department of each zone ("" is the catch-all rule).
DEPARTMENTS = [
    ("企业服务中心", ""),
    ("经济发展局", "policy finance"),
    ("规划建设局", "land approval"),
    ("科技创新局", "talent"),
    ("营商环境办", "complaint"),
    ("城市管理局", "utilities"),
]
CATCH_ALL = {"consultation", "help", "suggestion", "other"}  # what the catch-all department receives
HANDLERS_PER_DEPARTMENT = 5
STATES = ("live", "stale")
# How an appeal's life goes: live ones (last three weeks) follow the usual course; the open ones
# among the old ones are mostly those never answered, paused, or answered and left unrated.
LIFE = {
    "live": {
        "stuck": 0.02,
        "ret": 0.02,
        "pause": 0.06,
        "ext": 0.04,
        "noreply": 0.12,
        "late": 0.35,
        "late_days": 12,
        "start": 0.9,
    },
    "stale": {
        "stuck": 0.04,
        "ret": 0.04,
        "pause": 0.18,
        "ext": 0.03,
        "noreply": 0.55,
        "late": 0.6,
        "late_days": 60,
        "start": 0.85,
    },
}
LIVE_SHARE = 0.10  # of the open appeals, received in the last 21 days
OFFICE_MINUTES = [m for m in range(9 * 60, 17 * 60 + 30) if not 12 * 60 <= m < 13 * 60 + 30]
ONLINE_HOURS = list(range(24))
ONLINE_WEIGHTS = [1, 1, 1, 1, 1, 1, 2, 4, 8, 12, 12, 11, 7, 8, 11, 11, 10, 9, 7, 6, 6, 5, 3, 2]
RATINGS = (["satisfied"] * 70) + (["basically_satisfied"] * 22) + (["dissatisfied"] * 8)
REASONS = [
    "需要企业补充提供近三年财务报表。",
    "涉及多部门会商，需延长办理时限。",
    "诉求不属于本部门职责，请重新分派。",
]


def local(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(LOCAL)


def hours(value: float) -> datetime.timedelta:
    return datetime.timedelta(seconds=int(value * 3600))


def tick_after(moment: datetime.datetime) -> datetime.datetime:
    """The first hourly sweep (at minute 50) at or after `moment`."""
    moment = moment.astimezone(UTC)
    tick = moment.replace(minute=50, second=0, microsecond=0)
    return tick if tick >= moment else tick + HOUR


class Sim:
    """What `services._alarms` and `_rearm` read and write of an appeal."""

    __slots__ = (
        "status",
        "paused_at",
        "sign_for_due",
        "reply_due",
        "warned",
        "escalation",
        "overdue",
        "supervised",
        "alarm_at",
    )

    def __init__(self, sign_for_due, reply_due):
        self.status = S.ASSIGNED
        self.paused_at = None
        self.sign_for_due, self.reply_due = sign_for_due, reply_due
        self.warned = self.overdue = self.supervised = False
        self.escalation = 0
        self.alarm_at = None


# The region -------------------------------------------------------------------------------------------
class Region:
    """Areas, departments, rules and people, built once; lookups cached for the generator."""

    def __init__(self, root, enterprise_count: int):
        self.root = root
        self.region = create_area(by=root, code="GD", name="广东省高新区", kind="region")
        self.zones, self.parks, self.parks_of = [], [], defaultdict(list)
        for z in range(ZONES):
            zone = create_area(
                by=root, code=f"Z{z}", name=f"{CITIES[z]}高新区", kind="zone", parent=self.region
            )
            self.zones.append(zone)
            for p in range(PARKS):
                park = create_area(
                    by=root, code=f"Z{z}-P{p}", name=f"{CITIES[z]}高新区第{p + 1}园", kind="park", parent=zone
                )
                self.parks.append(park)
                self.parks_of[z].append(park)
        self.zone_of = {park.pk: z for z in range(ZONES) for park in self.parks_of[z]}
        self.departments = {}  # (zone, name) -> Department
        for z, zone in enumerate(self.zones):
            for name, categories in DEPARTMENTS:
                department = create_department(by=root, area=zone, name=name)
                self.departments[(z, name)] = department
                for category in categories.split() or [""]:
                    services.save_routing_rule(by=root, area=zone, category=category, department=department)
        # A stricter deadline policy in zone 1 from 1 September 2026 (the others use the default).
        services.save_policy(
            by=root,
            area=self.zones[1],
            name="惠企服务提速",
            valid_from=datetime.date(2026, 9, 1),
            rules=[
                {"category": c, "sign_for_hours": "2.0", "reply_days": 2 if c == "consultation" else 4}
                for c in Category.values
            ],
        )
        self.queue = self.departments[(0, "企业服务中心")]
        password = make_password("bench-password-1")  # one hash for every bench user (nobody logs in)
        staff, memberships = [], []
        self.handlers, self.heads = defaultdict(list), defaultdict(list)
        for (z, name), department in self.departments.items():
            d = DEPARTMENTS.index((name, dict(DEPARTMENTS)[name]))
            for k in range(HANDLERS_PER_DEPARTMENT):
                username = f"h{z}{d}{k}"
                head = k == 0 or (k == 1 and d % 2 == 0)
                staff.append((username, f"{CITIES[z]}{name}经办人{k + 1}", self.zones[z]))
                memberships.append((username, Role.HANDLER, {"department_id": department.pk}, head))
        for z, zone in enumerate(self.zones):
            for k in range(2):
                staff.append((f"sup{z}{k}", f"{CITIES[z]}督查员{k + 1}", zone))
                memberships.append((f"sup{z}{k}", Role.SUPERVISOR, {"area_id": zone.pk}, False))
            staff.append((f"svc{z}", f"{CITIES[z]}首席服务官", zone))
            memberships.append((f"svc{z}", Role.SERVICE_OFFICER, {"area_id": zone.pk}, False))
        staff.append(("sup-gd", "省督查员", self.region))
        memberships.append(("sup-gd", Role.SUPERVISOR, {"area_id": self.region.pk}, False))
        insert(
            User,
            (
                {"username": u, "display_name": d, "email": f"{u}@gov.bench.example.cn", "home_area_id": a.pk}
                for u, d, a in staff
            ),
            same={"password": password},
        )
        # Enterprises, each with one user who submits its appeals online.
        count = enterprise_count
        insert(
            Enterprise,
            (
                {
                    "uscc": build_uscc("9", "1", "440605", f"MA{n:06d}"),
                    "name": f"{CITIES[n % ZONES]}市诉求测试{n:05d}科技有限公司",
                    "area_id": self.parks_of[n % ZONES][(n // ZONES) % PARKS].pk,
                    "registered_capital": Decimal(5_000_000),
                }
                for n in range(count)
            ),
        )
        enterprises = list(Enterprise.objects.order_by("pk").values_list("pk", "area_id"))
        insert(
            User,
            (
                {
                    "username": f"e{n:05d}",
                    "display_name": f"企业联系人{n:05d}",
                    "email": f"e{n:05d}@corp.bench.example.cn",
                }
                for n in range(count)
            ),
            same={"password": password},
        )
        users = dict(User.objects.values_list("username", "pk"))
        rows = [
            {"user_id": users[u], "role": role, "is_head": head, **target}
            for u, role, target, head in memberships
        ]
        rows += [
            {"user_id": users[f"e{n:05d}"], "role": Role.ENTERPRISE, "enterprise_id": pk}
            for n, (pk, _area) in enumerate(enterprises)
        ]
        insert(Membership, rows)
        for u, role, target, head in memberships:
            if role == Role.HANDLER:
                self.handlers[target["department_id"]].append(users[u])
                if head:
                    self.heads[target["department_id"]].append(users[u])
        self.officer = {z: users[f"svc{z}"] for z in range(ZONES)}
        self.enterprises = [(pk, area_id, users[f"e{n:05d}"]) for n, (pk, area_id) in enumerate(enterprises)]
        self.by_zone = defaultdict(list)
        for item in self.enterprises:
            self.by_zone[self.zone_of[item[1]]].append(item)
        self.areas = {a.pk: a for a in Area.objects.all()}
        self.boundaries = sorted(set(SlaPolicy.objects.values_list("valid_from", flat=True)))
        self._rules, self._routes, self._working = {}, {}, {}
        self._sign, self._reply = {}, {}

    def rule(self, area_id: int, category: str, day: datetime.date):
        key = (area_id, category, bisect_right(self.boundaries, day))
        if key not in self._rules:
            self._rules[key] = services.sla_rule(self.areas[area_id], category, day)
        return self._rules[key]

    def route(self, area_id: int, category: str):
        key = (area_id, category)
        if key not in self._routes:
            self._routes[key] = services.route(self.areas[area_id], category)
        return self._routes[key]

    def works(self, day: datetime.date) -> bool:
        if day not in self._working:
            self._working[day] = is_working_day(day)
        return self._working[day]

    def sign_due(self, start, amount):
        key = (start, amount)
        if key not in self._sign:
            self._sign[key] = due_in_working_hours(start, amount)
        return self._sign[key]

    def reply_due(self, start, days):
        key = (local(start).date(), days)  # the end of a working day: only the local day of `start` counts
        if key not in self._reply:
            self._reply[key] = due_in_working_days(start, days)
        return self._reply[key]


# One appeal's life ----------------------------------------------------------------------------------------
class Life:
    """An appeal's row and events as the services and the hourly sweep would have written them by L0."""

    def __init__(self, world: Region, rng: random.Random, enterprise, issue, channel, received, stopped=None):
        self.world, self.rng = world, rng
        self.stopped = stopped  # the sweep runs no more after this moment
        enterprise_id, area_id, user_id = enterprise
        category, title, description = issue
        zone = world.zone_of[area_id]
        rule = world.rule(area_id, category, local(received).date())
        sign = world.sign_due(received, rule.sign_for_hours)
        reply = world.reply_due(received, rule.reply_days)
        routed = world.route(area_id, category)
        self.department = routed.department
        self.enterprise_user = user_id
        self.handler = None
        submitter = user_id if channel == "online" else world.officer[zone]
        self.sim = Sim(sign.due.astimezone(UTC), reply.due.astimezone(UTC))
        self.row = {
            "enterprise_id": enterprise_id,
            "area_id": area_id,
            "submitter_id": submitter,
            "contact_name": "",
            "contact_phone": "",
            "channel": channel,
            "category": category,
            "title": title,
            "description": description,
            "received_at": received,
            "status": S.ASSIGNED,
            "department_id": self.department.pk,
            "handler_id": None,
            "assigned_at": received,
            "signed_at": None,
            "sign_for_hours": rule.sign_for_hours,
            "reply_days": rule.reply_days,
            "deadline_provisional": sign.provisional or reply.provisional,
            "extension_days": 0,
            "extension_reason": "",
            "paused_at": None,
            "reply": "",
            "replied_at": None,
            "replied_on_time": None,
            "rating": "",
            "rating_comment": "",
            "evaluated_at": None,
            "reopen_count": 0,
            "urged": False,
            "urge_count": 0,
            "created_at": received,
        }
        self.events = []
        self.closed = False
        self.reset_at = received  # the last step that restarted the alarms from a fresh state
        self.event("submit", by=submitter, note=description, at=received)
        services._rearm(self.sim, received)  # as `submit` does, with the appeal routed at once
        self.event(
            "assign",
            before=S.SUBMITTED,
            data={"department": self.department.label, "rule": routed.pk},
            at=received,
        )
        self.last = received

    def event(self, kind, *, by=None, before="", note="", data=None, at):
        self.events.append((kind, before, self.sim.status if before else "", note, data or {}, by, at))

    # The hourly sweep, as `_sweep_batch` does it for one appeal.
    def sweep_until(self, moment) -> None:
        sim = self.sim
        while sim.alarm_at is not None:
            now = tick_after(sim.alarm_at)
            if now > moment or (self.stopped is not None and now > self.stopped):
                return
            reached = [a for a in services._alarms(sim) if a.at <= now]
            warn = next((a for a in reached if a.kind == "warn"), None)
            levels = [a.level for a in reached if a.kind == "escalate"]
            if levels:
                level = max(levels)
                sim.escalation, sim.overdue, sim.warned = level, True, True
                if level >= 3:
                    sim.supervised = True
                self.event(
                    "escalate", data={"level": level, "deadline": services._deadline(sim).isoformat()}, at=now
                )
            elif warn is not None:
                sim.warned = True
                self.event("warn", data={"due": sim.reply_due.isoformat()}, at=now)
            sim.alarm_at = services._next_alarm(sim)
            self.last = max(self.last, now)

    def at(self, moment) -> bool:
        """Move the story to `moment`; False when that lies after L0 (the story stops there)."""
        if moment > L0:
            return False
        self.sweep_until(moment)
        self.last = max(self.last, moment)
        return True

    def move(self, kind, to, moment, *, by, note="", data=None):
        before, self.sim.status = self.sim.status, to
        self.event(kind, by=by, before=before, note=note, data=data, at=moment)

    # The steps, as the services take them.
    def sign_for(self, moment):
        self.handler = self.rng.choice(self.world.handlers[self.department.pk])
        self.row["signed_at"], self.row["handler_id"] = moment, self.handler
        late = self.sim.sign_for_due < moment
        self.sim.status = S.SIGNED_FOR
        services._rearm(self.sim, moment, new_clock=True)
        self.sim.status = S.ASSIGNED
        self.move("sign_for", S.SIGNED_FOR, moment, by=self.handler, data={"late": late})
        self.reset_at = moment

    def return_appeal(self, moment):
        reason = REASONS[2]
        data = {"department": self.department.label}
        self.row.update(department_id=None, handler_id=None, signed_at=None)
        before = self.sim.status
        self.sim.status = S.RETURNED
        services._rearm(self.sim, moment)
        self.sim.status = before
        by = self.rng.choice(self.world.handlers[self.department.pk])
        self.move("return", S.RETURNED, moment, by=by, note=reason, data=data)

    def urge(self, moment):
        self.row["urged"] = True
        self.row["urge_count"] += 1
        self.event("urge", by=self.enterprise_user, data={"count": self.row["urge_count"]}, at=moment)

    def reopen(self, moment):
        sim, row = self.sim, self.row
        reply = due_in_working_days(moment, row["reply_days"])
        sign = due_in_working_hours(moment, row["sign_for_hours"])
        sim.reply_due, sim.sign_for_due = reply.due.astimezone(UTC), sign.due.astimezone(UTC)
        row["deadline_provisional"] = row["deadline_provisional"] or reply.provisional
        row["reopen_count"] += 1
        row.update(replied_at=None, replied_on_time=None, rating="", rating_comment="", evaluated_at=None)
        before, sim.status = sim.status, S.REOPENED
        services._rearm(sim, moment, new_clock=True)
        sim.status = before
        self.move(
            "reopen", S.REOPENED, moment, by=self.enterprise_user, note="答复未解决实际问题，申请重办。"
        )
        self.reset_at = moment

    def live(self, p) -> None:
        """The appeal's course; stops at L0."""
        rng, sim, row = self.rng, self.sim, self.row
        received = row["received_at"]
        draw = rng.random()
        if draw < p["stuck"]:  # nobody signs for it
            self.maybe_urge(None)
            return
        if draw < p["stuck"] + p["ret"]:
            moment = received + hours(rng.uniform(0.5, 30))
            if self.at(moment):
                self.return_appeal(moment)
            return
        if rng.random() < 0.75:
            signed = received + (sim.sign_for_due - received) * rng.uniform(0.05, 0.9)
        else:
            signed = sim.sign_for_due + hours(rng.uniform(0.5, 40))
        if not self.at(signed):
            return
        self.sign_for(signed)
        if rng.random() > p["start"]:
            self.maybe_urge(None)
            return
        started = signed + hours(rng.uniform(0.2, 20))
        if not self.at(started):
            return
        self.move("start", S.IN_PROGRESS, started, by=self.handler)
        draw = rng.random()
        if draw < p["pause"]:
            paused = started + hours(rng.uniform(1, 72))
            if self.at(paused):
                row["paused_at"] = paused
                sim.paused_at, sim.alarm_at = paused, None
                self.event("pause", by=self.handler, note=REASONS[0], at=paused)
            return
        if draw < p["pause"] + p["ext"]:
            asked = started + (sim.reply_due - started) * rng.uniform(0.2, 0.9)
            if asked < sim.reply_due and self.at(asked):
                days = rng.choice([3, 5, 10])
                row["extension_days"], row["extension_reason"] = days, REASONS[1]
                self.move(
                    "request_extension",
                    S.EXTENSION_REQUESTED,
                    asked,
                    by=self.handler,
                    note=REASONS[1],
                    data={"days": days},
                )
            return
        if draw < p["pause"] + p["ext"] + p["noreply"]:
            self.maybe_urge(None)
            return
        if sim.reply_due > started and rng.random() > p["late"]:
            replied = started + (sim.reply_due - started) * rng.uniform(0.1, 0.98)
        else:
            replied = max(sim.reply_due, started) + hours(rng.uniform(2, 24 * p["late_days"]))
        self.maybe_urge(replied)
        if not self.at(replied):
            return
        text = rng.choice(REPLIES)
        row.update(reply=text, replied_at=replied, replied_on_time=replied <= sim.reply_due)
        sim.alarm_at = None
        self.move(
            "reply", S.REPLIED, replied, by=self.handler, note=text, data={"on_time": row["replied_on_time"]}
        )
        if rng.random() < 0.75:
            rated = replied + hours(rng.uniform(2, 24 * 6))
            if not self.at(rated):
                return
            rating = rng.choice(RATINGS)
            comment = "问题未解决" if rating == "dissatisfied" else ""
            row.update(rating=rating, rating_comment=comment, evaluated_at=rated)
            self.move(
                "evaluate", S.EVALUATED, rated, by=self.enterprise_user, note=comment, data={"rating": rating}
            )
            if rating == "dissatisfied" and rng.random() < 0.5:
                reopened = rated + hours(rng.uniform(1, 72))
                if self.at(reopened):
                    self.reopen(reopened)
                return
            if rng.random() < 0.9:
                self.closed = rated + hours(rng.uniform(1, 96)) <= L0
        elif rng.random() < 0.85:
            window = due_in_working_days(replied, services.CONFIRM_DAYS).due
            self.closed = window + hours(rng.uniform(1, 72)) <= L0

    def maybe_urge(self, replied):
        """An enterprise urges some appeals a day or more after the reply deadline passed unanswered."""
        if self.rng.random() < 0.3:
            moment = self.sim.reply_due + hours(self.rng.uniform(20, 96))
            if (replied is None or moment < replied) and self.at(moment) and self.sim.paused_at is None:
                self.urge(moment)

    def finish(self):
        self.sweep_until(L0)
        sim, row = self.sim, self.row
        row.update(
            status=sim.status,
            sign_for_due=sim.sign_for_due,
            reply_due=sim.reply_due,
            overdue=sim.overdue,
            warned=sim.warned,
            escalation=sim.escalation,
            supervised=sim.supervised,
            alarm_at=sim.alarm_at,
            updated_at=self.last,
        )
        return row


def receipt(world: Region, rng: random.Random, channel: str, first: int, last: int) -> datetime.datetime:
    """When an appeal came in, `first` to `last` days before L0: online at any hour (mostly in the day),
    by hotline or on a visit in office hours of a working day."""
    while True:
        day = local(L0).date() - datetime.timedelta(days=rng.randint(first, last))
        if channel == "online":
            minute = rng.choices(ONLINE_HOURS, ONLINE_WEIGHTS)[0] * 60 + rng.randrange(60)
        else:
            if not world.works(day):
                continue
            minute = rng.choice(OFFICE_MINUTES)
        moment = datetime.datetime.combine(day, datetime.time(), tzinfo=LOCAL) + datetime.timedelta(
            minutes=minute
        )
        if moment < L0 - datetime.timedelta(minutes=5):
            return moment.astimezone(UTC)


def generate(world: Region, count: int, queue_size: int, seed: int):
    """Yield (row, events, replayable, backlog state) for `count` open appeals, `queue_size` of them (spread
    over the table, as they come in among the others) routed to the queue department (zone 0, catch-all
    categories), none of the others."""
    rng = random.Random(seed)
    queue_slots = set(random.Random(seed + 3).sample(range(count), queue_size))
    catch_all = [i for i in ISSUES if i[0] in CATCH_ALL]
    routed_elsewhere = [i for i in ISSUES if i[0] not in CATCH_ALL]
    made = 0
    while made < count:
        state = "live" if rng.random() < LIVE_SHARE else "stale"
        first, last = (0, 20) if state == "live" else (21, 180)
        for_queue = made in queue_slots
        if for_queue:
            enterprise = rng.choice(world.by_zone[0])
            issue = rng.choice(catch_all)
        else:
            enterprise = rng.choice(world.enterprises)
            zone = world.zone_of[enterprise[1]]
            issue = rng.choice(routed_elsewhere if zone == 0 else ISSUES)
        channel = rng.choices(["online", "hotline", "visit"], [55, 35, 10])[0]
        received = receipt(world, rng, channel, first, last)
        before = rng.getstate()
        life = Life(world, rng, enterprise, issue, channel, received)
        life.live(LIFE[state])
        if life.closed:
            continue  # only open appeals are wanted
        row = life.finish()
        backlog = None
        if any(e[0] in ("warn", "escalate") and e[6] > STOPPED for e in life.events):
            # The same life (the same draws) with the sweep stopped at STOPPED: the backlog's state.
            after = rng.getstate()
            rng.setstate(before)
            halted = Life(world, rng, enterprise, issue, channel, received, stopped=STOPPED)
            halted.live(LIFE[state])
            halted.finish()
            assert rng.getstate() == after, "the halted life drew differently"
            backlog = tuple(getattr(halted.sim, f) for f in SWEPT)
        if for_queue:
            assert row["department_id"] == world.queue.pk or row["status"] == S.RETURNED
            if row["status"] == S.RETURNED:
                continue  # the queue department keeps exactly its 10,000
        sim = life.sim
        # The real sweep can replay this appeal from a fresh state: its alarms began after the last
        # step that reset them (the first warning or sign-for alarm comes after it).
        replayable = (
            sim.status in (S.ASSIGNED, S.SIGNED_FOR, S.IN_PROGRESS, S.EXTENSION_REQUESTED, S.REOPENED)
            and sim.paused_at is None
            and life.reset_at < local(sim.reply_due).replace(hour=0, minute=0) - datetime.timedelta(minutes=5)
            and (sim.status != S.ASSIGNED or life.reset_at < sim.sign_for_due)
            and not (sim.status == S.ASSIGNED and row["signed_at"])
        )
        made += 1
        yield row, life.events, (life.reset_at if replayable else None), backlog


def load(world: Region, count: int, seed: int, chunk: int = 20_000):
    """COPY the appeals and their events, chunk by chunk. Returns counts and samples for the checks."""
    started = time.perf_counter()
    real_due = services.due_in_working_days
    memo = {}

    def due_memo(start, days):
        key = (start, days)
        found = memo.get(key)
        if found is None:
            found = memo[key] = real_due(start, days)
        return found

    # Only while generating; the timed sweeps use the real one. Patched where the services call it.
    services.steps.due_in_working_days = services.deadlines.due_in_working_days = due_memo
    rng = random.Random(seed + 1)
    replay_pool, backlog_rows, status_count, kinds = [], [], Counter(), Counter()
    appeals = events = 0
    try:
        source = generate(world, count, min(QUEUE_SIZE, count // 10), seed)
        while True:
            batch = []
            for item in source:
                batch.append(item)
                if len(batch) >= chunk:
                    break
            if not batch:
                break
            last = Appeal.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            insert(Appeal, (row for row, _e, _r, _b in batch))
            written = list(
                Appeal.objects.filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", "enterprise_id", "received_at")
            )
            assert len(written) == len(batch), "read back a different number of appeals"
            rows = []
            for (pk, enterprise_id, received), (row, timeline, replay, backlog) in zip(
                written, batch, strict=True
            ):
                assert (enterprise_id, received) == (row["enterprise_id"], row["received_at"]), (
                    "ids out of order"
                )
                status_count[row["status"] + (" (paused)" if row["paused_at"] else "")] += 1
                if replay is not None and len(replay_pool) < 20_000:
                    replay_pool.append((pk, replay))
                if backlog is not None:
                    backlog_rows.append((pk, *backlog))
                for kind, before, to, note, data, by, at in timeline:
                    kinds[kind] += 1
                    rows.append(
                        {
                            "appeal_id": pk,
                            "kind": kind,
                            "from_status": before,
                            "to_status": to,
                            "note": note,
                            "data": json.dumps(data, ensure_ascii=False),
                            "by_id": by,
                            "at": at,
                        }
                    )
            insert(AppealEvent, rows, ready={"data"})
            appeals += len(batch)
            events += len(rows)
            print(
                f"  {appeals:,} appeals, {events:,} events ({time.perf_counter() - started:.0f} s)",
                flush=True,
            )
    finally:
        services.steps.due_in_working_days = services.deadlines.due_in_working_days = real_due
    rng.shuffle(replay_pool)
    return {
        "appeals": appeals,
        "events": events,
        "by_status": dict(status_count.most_common()),
        "events_by_kind": dict(kinds.most_common()),
        "seconds": round(time.perf_counter() - started, 1),
        "replay_pool": replay_pool,
        "backlog_rows": backlog_rows,
    }


# Checks that the bulk rows are what the services write ---------------------------------------------
def check_submit(world: Region, root, samples: int, seed: int) -> int:
    """Submit a sample through `services.submit` (rolled back) and compare with the generator's row."""
    rng = random.Random(seed + 2)
    enterprises = {e.pk: e for e in Enterprise.objects.select_related("area")}
    checked = 0
    fields = (
        "area_id",
        "department_id",
        "status",
        "sign_for_hours",
        "reply_days",
        "sign_for_due",
        "reply_due",
        "deadline_provisional",
    )
    with transaction.atomic():
        for _ in range(samples):
            enterprise = rng.choice(world.enterprises)
            issue = rng.choice(ISSUES)
            channel = rng.choice(["online", "hotline", "visit"])
            received = receipt(world, rng, channel, 0, 180)
            life = Life(world, rng, enterprise, issue, channel, received)
            expected = life.finish()
            appeal = services.submit(
                by=root,
                enterprise=enterprises[enterprise[0]],
                category=issue[0],
                title=issue[1],
                description=issue[2],
                channel=channel,
                received_at=received,
            )
            got = {f: getattr(appeal, f) for f in fields}
            want = {f: expected[f] for f in fields}
            if got != want:
                sys.exit(f"MISMATCH with services.submit: {got} != {want}")
            timeline = list(
                appeal.events.order_by("id").values_list("kind", "from_status", "to_status", "data")
            )
            mine = [(k, b, t, d) for k, b, t, _n, d, _by, _at in life.events[:2]]
            if timeline != mine:
                sys.exit(f"MISMATCH with the events of services.submit: {timeline} != {mine}")
            checked += 1
        transaction.set_rollback(True)
    return checked


def check_alarms(samples: int) -> int:
    """`alarm_at` of loaded appeals is what `services._next_alarm` computes from their flags."""
    ids = list(Appeal.objects.order_by("?").values_list("pk", flat=True)[:samples])
    for appeal in Appeal.objects.filter(pk__in=ids):
        if services._next_alarm(appeal) != appeal.alarm_at:
            sys.exit(
                f"MISMATCH: appeal {appeal.pk} has alarm_at {appeal.alarm_at}, "
                f"services._next_alarm says {services._next_alarm(appeal)}"
            )
    return len(ids)


def check_replay(pool, samples: int) -> dict:
    """Run the real sweep, hour by hour, over a sample of appeals put back in the state their last step
    left them (rolled back): the flags, alarms and sweep events must be the loaded ones."""
    sample = dict(pool[:samples])
    swept = ("overdue", "warned", "escalation", "supervised", "alarm_at")
    loaded = {a.pk: a for a in Appeal.objects.filter(pk__in=sample)}
    want_state = {pk: tuple(getattr(a, f) for f in swept) for pk, a in loaded.items()}
    want_events = defaultdict(list)
    for pk, kind, data, at in (
        AppealEvent.objects.filter(appeal_id__in=sample, kind__in=("warn", "escalate"))
        .order_by("appeal_id", "at", "id")
        .values_list("appeal_id", "kind", "data", "at")
    ):
        if at > sample[pk]:
            want_events[pk].append((kind, data, at))
    sweeps = 0
    with transaction.atomic():
        first_event = AppealEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
        fresh = []
        for appeal in loaded.values():
            appeal.overdue = appeal.warned = appeal.supervised = False
            appeal.escalation = 0
            appeal.alarm_at = services._next_alarm(appeal)
            fresh.append(appeal)
        Appeal.objects.bulk_update(fresh, swept)
        while True:
            earliest = (
                Appeal.objects.filter(alarm_at__lte=L0)
                .order_by("alarm_at")
                .values_list("alarm_at", flat=True)
            )
            earliest = earliest.first()
            if earliest is None:
                break
            services.sweep(tick_after(earliest))
            sweeps += 1
        got_state = {
            a.pk: tuple(getattr(a, f) for f in swept)
            for a in Appeal.objects.filter(pk__in=sample).only(*swept)
        }
        got_events = defaultdict(list)
        for pk, kind, data, at in (
            AppealEvent.objects.filter(pk__gt=first_event)
            .order_by("appeal_id", "at", "id")
            .values_list("appeal_id", "kind", "data", "at")
        ):
            got_events[pk].append((kind, data, at))
        transaction.set_rollback(True)
    for pk in sample:
        if got_state[pk] != want_state[pk]:
            sys.exit(f"MISMATCH: appeal {pk} swept by the service: {got_state[pk]}, loaded: {want_state[pk]}")
        if got_events[pk] != want_events[pk]:
            sys.exit(
                f"MISMATCH: appeal {pk} sweep events by the service: {got_events[pk]}, {want_events[pk]}"
            )
    return {"appeals": len(sample), "sweeps_run": sweeps, "events": sum(len(v) for v in want_events.values())}


# Part 1: the sweep -----------------------------------------------------------------------------------------
class Clock:
    """Time spent in the notices of the sweep and in queueing their deliveries at commit."""

    def __init__(self):
        self.notices = self.enqueue = 0.0
        self.enqueued = 0
        self.sending = True
        self._send = services._send_sweep_notices
        self._enqueue = DatabaseBackend.enqueue
        clock = self

        def send(notices, recipients=None):
            if not clock.sending:
                return None
            started = time.perf_counter()
            try:
                return clock._send(notices, recipients)
            finally:
                clock.notices += time.perf_counter() - started

        def enqueue(backend, task, args, kwargs):
            started = time.perf_counter()
            try:
                return clock._enqueue(backend, task, args, kwargs)
            finally:
                clock.enqueue += time.perf_counter() - started
                clock.enqueued += 1

        services.sweeping._send_sweep_notices = send  # where the sweep calls it
        DatabaseBackend.enqueue = enqueue

    def reset(self):
        self.notices = self.enqueue = 0.0
        self.enqueued = 0


def marks():
    def last(model):
        return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    return {"event": last(AppealEvent), "log": last(LogEntry), "notification": last(Notification)}


def restore(state: str, base) -> None:
    """Put back the alarm state the load left (one UPDATE of the rows a sweep may have touched), or the
    backlog's state (a second UPDATE), delete what sweeps wrote, and vacuum as autovacuum would."""
    columns = ", ".join(f"{f} = s.{f}" for f in SWEPT)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE appeals_appeal a SET {columns} FROM bench_alarm s "  # noqa: S608
            "WHERE s.id = a.id AND (s.alarm_at <= %s OR s.backlog)",
            [L0 + HOUR],
        )
        if state == "backlog":
            cursor.execute(f"UPDATE appeals_appeal a SET {columns} FROM bench_backlog s WHERE s.id = a.id")  # noqa: S608
        cursor.execute("DELETE FROM appeals_appealevent WHERE id > %s", [base["event"]])
        cursor.execute("DELETE FROM auditlog_logentry WHERE id > %s", [base["log"]])
        cursor.execute("DELETE FROM notifications_notification WHERE id > %s", [base["notification"]])
        cursor.execute(f"DELETE FROM {DBTaskResult._meta.db_table}")  # noqa: S608 (the bench's own rows)
        for table in (
            "appeals_appeal",
            "appeals_appealevent",
            "auditlog_logentry",
            "notifications_notification",
            DBTaskResult._meta.db_table,
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")


def due_count(now) -> int:
    return Appeal.objects.filter(alarm_at__lte=now).count()


class Statements:
    """Counts the statements a sweep sends (by verb and by shape), without keeping them."""

    def __init__(self):
        self.count = 0
        self.verbs, self.shapes = Counter(), Counter()

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        self.verbs[sql.split(None, 1)[0].upper()] += 1
        self.shapes[re.sub(r"\s+", " ", sql)[:150]] += 1
        return execute(sql, params, many, context)


def sweep_once(now, base, clock: Clock, *, profile=False, notices=True) -> dict:
    """One sweep from the fresh state; the figures and checks of that run."""
    clock.reset()
    clock.sending = notices
    profiler = cProfile.Profile() if profile else None
    statements = Statements()
    try:
        with connection.execute_wrapper(statements):
            if profiler:
                profiler.enable()
            started = time.perf_counter()
            done = services.sweep(now)
            elapsed = time.perf_counter() - started
            if profiler:
                profiler.disable()
    finally:
        clock.sending = True
    result = {
        "ms": elapsed * 1000,
        "done": dict(done),
        "notices_ms": clock.notices * 1000,
        "enqueue_ms": clock.enqueue * 1000,
        "enqueued": clock.enqueued,
        "queries": statements.count,
        "queries_by_verb": dict(statements.verbs.most_common()),
        "top_query_shapes": [{"count": n, "sql": q} for q, n in statements.shapes.most_common(10)],
    }
    per_appeal = Counter(
        AppealEvent.objects.filter(pk__gt=base["event"]).values_list("appeal_id", flat=True).iterator()
    )
    result["events"] = sum(per_appeal.values())
    result["appeals_with_events"] = len(per_appeal)
    result["one_event_each"] = all(n == 1 for n in per_appeal.values())
    result["notifications"] = Notification.objects.filter(pk__gt=base["notification"]).count()
    result["history"] = LogEntry.objects.filter(pk__gt=base["log"]).count()
    result["tasks"] = DBTaskResult.objects.count()
    again = services.sweep(now)
    result["idempotent"] = (
        not again and AppealEvent.objects.filter(pk__gt=base["event"]).count() == result["events"]
    )
    if profiler:
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(25)
            result[f"profile_{order}"] = out.getvalue()
    return result


def run_sweeps(args, base, world) -> tuple[list, dict]:
    clock = Clock()
    total = Appeal.objects.count()
    scenarios = [
        ("(a) hourly sweep, now = L0 + 1 h", L0 + HOUR, "steady"),
        (f"(b) backlog, sweep stopped {BACKLOG_DAYS} days before L0, now = L0 + 1 h", L0 + HOUR, "backlog"),
        ("(c) nothing due, now = L0", L0, "steady"),
    ]
    results, extra = [], {}
    for index, (name, now, state) in enumerate(scenarios):
        restore(state, base)
        due = due_count(now)
        print(
            f"{name}: {due:,} appeals due ({due / total:.2%}), sweep at {local(now):%Y-%m-%d %H:%M}",
            flush=True,
        )
        runs = []
        if index == 0 or not due:
            restore(state, base)
            sweep_once(now, base, clock)  # warm-up
        if due:
            detail = extra[name] = {}
            if index == 0:
                restore(state, base)
                profiled = sweep_once(now, base, clock, profile=True)
                detail.update(
                    profile_ms=round(profiled["ms"], 1),
                    profile_cumulative=profiled["profile_cumulative"],
                    profile_tottime=profiled["profile_tottime"],
                )
            quiet = []
            for _ in range(max(1, args.repeat // 2)):
                restore(state, base)
                quiet.append(sweep_once(now, base, clock, notices=False))
            detail["without_notices_ms"] = [round(r["ms"], 1) for r in quiet]
            detail["without_notices_median_ms"] = round(statistics.median(r["ms"] for r in quiet), 1)
            detail["without_notices_queries"] = quiet[0]["queries"]
            print(
                f"  without the notices: {detail['without_notices_median_ms']:.0f} ms, "
                f"{quiet[0]['queries']:,} statements",
                flush=True,
            )
        for _ in range(args.repeat):
            restore(state, base)
            run = sweep_once(now, base, clock)
            runs.append(run)
            print(
                f"  {run['ms']:.0f} ms, {run['events']:,} events, {run['notifications']:,} notifications "
                f"(notices {run['notices_ms']:.0f} ms + enqueue {run['enqueue_ms']:.0f} ms), "
                f"{run['queries']:,} statements",
                flush=True,
            )
        first = runs[0]
        ok = all(r["one_event_each"] and r["idempotent"] and r["appeals_with_events"] == due for r in runs)
        if not ok:
            keys = ("appeals_with_events", "one_event_each", "idempotent")
            sys.exit(f"SWEEP CHECK FAILED for {name}: {[{k: r[k] for k in keys} for r in runs]}")
        ms = [r["ms"] for r in runs]
        results.append(
            {
                "operation": f"sweep {name}",
                "now": local(now).isoformat(),
                "median_ms": round(statistics.median(ms), 1),
                "min_ms": round(min(ms), 1),
                "max_ms": round(max(ms), 1),
                "runs": len(runs),
                "target_ms": TARGETS["sweep_ms"],
                "meets_target": statistics.median(ms) <= TARGETS["sweep_ms"],
                "claimed": due,
                "claimed_share": round(due / total, 4),
                "done": first["done"],
                "events": first["events"],
                "notifications": first["notifications"],
                "queued_tasks": first["tasks"],
                "history_rows": first["history"],
                "queries": first["queries"],
                "queries_by_verb": first["queries_by_verb"],
                "top_query_shapes": first["top_query_shapes"],
                "notices_median_ms": round(statistics.median(r["notices_ms"] for r in runs), 1),
                "enqueue_median_ms": round(statistics.median(r["enqueue_ms"] for r in runs), 1),
                "one_event_per_claimed_appeal": True,
                "second_sweep_does_nothing": True,
            }
        )
        print(f"  median {results[-1]['median_ms']:.0f} ms: {results[-1]['done']}", flush=True)
    restore("steady", base)
    return results, extra


# Part 2: the queue ---------------------------------------------------------------------------------------
def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(r[0] for r in cursor.fetchall())


def run_pages(args, world) -> tuple[list, dict]:
    views = ROOT / "zoneos" / "appeals" / "views" / "queue.py"
    source = views.read_text()
    if "class QueueView" not in source or re.search(r"QueueView\s*=\s*_Pending", source):
        print("QueueView is not written yet: the queue page is skipped", flush=True)
        pages = []
    else:
        pages = [
            ("GET /appeals/ (first page)", "/appeals/"),
            ("GET /appeals/?overdue=true", "/appeals/?overdue=true"),
        ]
    queue = world.queue
    pages.append(
        (
            "GET /api/v1/appeals/?department=<queue>&page_size=50",
            f"/api/v1/appeals/?department={queue.pk}&page_size=50",
        )
    )
    handler = User.objects.get(pk=[h for h in world.handlers[queue.pk] if h not in world.heads[queue.pk]][0])
    client = Client()
    client.force_login(handler)
    open_count = Appeal.objects.filter(department=queue).exclude(status=S.CLOSED).count()
    results, details = (
        [],
        {
            "views_sha256": hashlib.sha256(source.encode()).hexdigest()[:12],
            "handler": handler.username,
            "department_open_appeals": open_count,
        },
    )
    for name, url in pages:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:500])
        if url.startswith("/api/"):
            body = response.json()
            shown = len(body["results"])
            assert url.endswith("page_size=50") and body["count"] == open_count and shown == 50, body.get(
                "count"
            )
        else:
            shown = response.content.count(b'<tr data-testid="appeal-')
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries = list(captured.captured_queries)  # now: the next request clears the log
        slow = sorted(queries, key=lambda q: -float(q["time"]))[:3]
        times = []
        client.get(url)  # warm
        for _ in range(args.page_repeat):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        ms = statistics.median(times)
        results.append(
            {
                "operation": name,
                "url": url,
                "median_ms": round(ms, 2),
                "min_ms": round(min(times), 2),
                "max_ms": round(max(times), 2),
                "runs": len(times),
                "target_ms": TARGETS["page_ms"],
                "meets_target": ms <= TARGETS["page_ms"],
                "queries": len(queries),
                "sql_ms": round(sum(float(q["time"]) for q in queries) * 1000, 1),
                "rows_shown": shown,
                "bytes": len(response.content),
            }
        )
        details[name] = [
            {
                "ms": round(float(q["time"]) * 1000, 1),
                "sql": q["sql"][:2000],
                "plan": explain(q["sql"]) if q["sql"].lstrip().upper().startswith("SELECT") else "",
            }
            for q in slow
        ]
        print(f"  {results[-1]}", flush=True)
    return results, details


def print_table(results) -> None:
    width = max(len(r["operation"]) for r in results)
    print(
        f"{'operation':<{width}}  {'median ms':>10}  {'min':>9}  {'max':>9}  {'claimed':>8}  {'events':>7}  "
        f"{'notif.':>7}  {'queries':>7}  target"
    )
    for r in results:
        target = f"<= {r['target_ms']} {'ok' if r['meets_target'] else 'MISSED'}"
        print(
            f"{r['operation']:<{width}}  {r['median_ms']:>10.1f}  {r['min_ms']:>9.1f}  {r['max_ms']:>9.1f}  "
            f"{r.get('claimed', ''):>8}  {r.get('events', ''):>7}  {r.get('notifications', ''):>7}  "
            f"{r.get('queries', ''):>7}  {target}"
        )


class Existing:
    """The queue department and its handlers of the database a previous run left (--pages-only)."""

    def __init__(self):
        self.queue = Department.objects.get(area__code="Z0", name="企业服务中心")
        self.handlers, self.heads = defaultdict(list), defaultdict(list)
        handlers = Membership.objects.filter(role=Role.HANDLER, department=self.queue).order_by(
            "user__username"
        )
        for m in handlers:
            self.handlers[m.department_id].append(m.user_id)
            if m.is_head:
                self.heads[m.department_id].append(m.user_id)


def rerun_pages(args, out: Path) -> None:
    """Measure the queue pages again on the database the previous run left (say, once the machine is
    quiet); their figures replace those in the results file, the rest is kept."""
    if not out.exists() or not Appeal.objects.exists():
        sys.exit("--pages-only needs the database and the results file of a previous run")
    result = json.loads(out.read_text())
    load_avg = os.getloadavg()
    page_results, page_details = run_pages(args, Existing())
    result["results"] = [r for r in result["results"] if not r["operation"].startswith("GET ")] + page_results
    result["page_details"] = page_details
    result["pages_measured_again"] = {
        "at": timezone.now().isoformat(),
        "load_average_before": [round(x, 2) for x in load_avg],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    print(f"\nload average {load_avg[0]:.2f} -> {os.getloadavg()[0]:.2f}")
    print_table(result["results"])
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    print(f"written: {out.relative_to(ROOT)}")


# -----------------------------------------------------------------------------------------------------------
def run(args) -> None:
    out = ROOT / "bench" / "results" / f"appeals-{connection.vendor}.json"
    if args.pages_only:
        return rerun_pages(args, out)
    reset_database()
    if connection.vendor != "postgresql":
        sys.exit("this benchmark runs on PostgreSQL")
    root = User.objects.create_superuser("bench-root", "root@example.org", "bench-password-1")
    started = time.perf_counter()
    world = Region(root, max(2_000, args.appeals // 50))
    print(
        f"region: {len(world.parks)} parks, {len(world.departments)} departments, "
        f"{len(world.enterprises):,} enterprises ({time.perf_counter() - started:.1f} s)",
        flush=True,
    )
    loaded = load(world, args.appeals, args.seed)
    pool = loaded.pop("replay_pool")
    backlog_rows = loaded.pop("backlog_rows")
    with connection.cursor() as cursor:
        # The backlog's alarm state, and the loaded state of every row a sweep or the backlog touches.
        cursor.execute(
            "CREATE TABLE bench_backlog (id bigint PRIMARY KEY, overdue boolean, warned boolean, "
            "escalation smallint, supervised boolean, alarm_at timestamptz)"
        )
        with cursor.cursor.copy(f"COPY bench_backlog (id, {', '.join(SWEPT)}) FROM STDIN") as copy:
            for row in backlog_rows:
                copy.write_row(row)
        cursor.execute(
            f"CREATE TABLE bench_alarm AS SELECT id, {', '.join(SWEPT)}, "  # noqa: S608
            "id IN (SELECT id FROM bench_backlog) AS backlog FROM appeals_appeal "
            "WHERE alarm_at IS NOT NULL OR id IN (SELECT id FROM bench_backlog)"
        )
        cursor.execute("ALTER TABLE bench_alarm ADD PRIMARY KEY (id)")
        cursor.execute("CREATE INDEX bench_alarm_at ON bench_alarm (alarm_at)")
        cursor.execute("VACUUM ANALYZE")
    built = time.perf_counter() - started
    print(
        f"built {loaded['appeals']:,} open appeals, {loaded['events']:,} events in {built:.0f} s", flush=True
    )
    print(f"  by status: {loaded['by_status']}", flush=True)
    checks = {
        "submitted_through_services": check_submit(world, root, 150, args.seed),
        "alarm_at_equals_next_alarm": check_alarms(3000),
        "sweep_replayed_by_service": check_replay(pool, 200),
    }
    print(f"checks: {checks}", flush=True)
    base = marks()
    load_avg = os.getloadavg()
    sweep_results, sweep_details = run_sweeps(args, base, world)
    page_results, page_details = run_pages(args, world)
    results = sweep_results + page_results
    result = {
        "database": connection.vendor,
        "open_appeals": loaded["appeals"],
        "events": loaded["events"],
        "enterprises": len(world.enterprises),
        "departments": len(world.departments),
        "queue_department": {"id": world.queue.pk, "name": world.queue.name},
        "last_sweep_l0": local(L0).isoformat(),
        "build_seconds": round(built, 1),
        "by_status": loaded["by_status"],
        "events_by_kind": loaded["events_by_kind"],
        "alarms_pending": Appeal.objects.filter(alarm_at__isnull=False).count(),
        "backlog_state_rows": len(backlog_rows),
        "checks": checks,
        "load_average_before": [round(x, 2) for x in load_avg],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "results": results,
        "sweep_details": sweep_details,
        "page_details": page_details,
    }
    print(
        f"\nZoneOS appeals on {connection.vendor}: {loaded['appeals']:,} open appeals, "
        f"{loaded['events']:,} events; load average {load_avg[0]:.2f} -> {os.getloadavg()[0]:.2f}"
    )
    print_table(results)
    for r in sweep_results:
        if r["claimed"]:
            detail = sweep_details[r["operation"][6:]]
            print(
                f"{r['operation']}: notices {r['notices_median_ms']:.0f} ms + queueing deliveries "
                f"{r['enqueue_median_ms']:.0f} ms; the sweep without them: "
                f"{detail['without_notices_median_ms']:.0f} ms"
            )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    print(f"written: {out.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appeals", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5, help="sweep runs per scenario (median)")
    parser.add_argument("--page-repeat", type=int, default=30, help="requests per page (median)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="measure only the queue pages, on the database the previous run left (no reset, no build)",
    )
    args = parser.parse_args()
    try:
        run(args)
    finally:
        shutil.rmtree(VAR_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
