"""`{% appeal_row a %}` writes exactly what `appeals/_appeal_row.html` writes, for every kind of row.

Appeals are made in memory in every state the row shows (each status, routed or not, with or without a
handler, waiting, overdue, urged once or more, supervised, a provisional deadline, due before or after
now, no `now` at all), with names that need escaping and times either side of midnight in Shanghai,
and each is rendered through the template and through the tag, in both languages, with the enterprise
column shown and hidden; the two must be equal to the byte."""

import datetime
import itertools
import random

from django.template import Context, Template
from django.utils import translation

from zoneos.accounts.models import User
from zoneos.appeals.models import Appeal, Category, Status
from zoneos.areas.models import Department
from zoneos.enterprises.models import Enterprise

UTC = datetime.UTC
NOW = datetime.datetime(2026, 6, 1, 3, 0, tzinfo=UTC)
TEMPLATE = Template('{% include "appeals/_appeal_row.html" %}')
TAG = Template("{% load appeal_rows %}{% appeal_row a %}")


def _appeals():
    rng = random.Random(15)
    enterprise = Enterprise(pk=7, name="甲<乙>&\"公司'", name_en="Jia & Yi <Ltd>")
    plain = Enterprise(pk=8, name="一号科技有限公司", name_en="")
    departments = [None, Department(pk=3, name="企业服务中心", name_en="Service & Centre")]
    handlers = [
        None,
        User(pk=5, username="li<wei>", display_name=""),
        User(pk=6, username="x", display_name="王 & 李"),
    ]
    times = [
        datetime.datetime(2026, 5, 31, 15, 59, tzinfo=UTC),  # 23:59 in Shanghai
        datetime.datetime(2026, 5, 31, 16, 0, tzinfo=UTC),  # midnight in Shanghai
        datetime.datetime(2026, 6, 2, 8, 5, tzinfo=UTC),
    ]
    pk = 1
    for status, department, handler in itertools.product(Status, departments, handlers):
        for _ in range(4):
            pk += 1
            yield Appeal(
                pk=pk,
                enterprise=rng.choice([enterprise, plain]),
                title=rng.choice(["退税 <急>", 'Tax & "refund"', "用地"]),
                category=rng.choice(list(Category)),
                status=status,
                department=department,
                handler=handler if department else None,
                received_at=rng.choice(times),
                reply_due=rng.choice(times),
                deadline_provisional=rng.random() < 0.3,
                paused_at=rng.choice([None, times[0]]),
                overdue=rng.random() < 0.5,
                urged=rng.random() < 0.5,
                urge_count=rng.choice([0, 1, 2, 12]),
                supervised=rng.random() < 0.3,
            )


def test_the_tag_writes_what_the_template_writes():
    compared = 0
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for appeal in _appeals():
                for extra in ({"now": NOW}, {"now": NOW, "mine": True}, {"mine": {"visits": 0}}, {}):
                    expected = TEMPLATE.render(Context({"a": appeal, **extra}))
                    assert TAG.render(Context({"a": appeal, **extra})) == expected, (language, extra)
                    compared += 1
    assert compared > 600
