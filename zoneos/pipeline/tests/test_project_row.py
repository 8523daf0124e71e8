"""`{% project_row p %}` writes exactly what `pipeline/_project_row.html` writes.

Projects are made in memory in every shape the row shows (each stage, flagged or not, in the plan or
outside it, with an officer or none, amounts from none to billions, dates of each precision), with names
that need escaping, and each is rendered through the template and through the tag, in both languages;
the two must be equal to the byte."""

import datetime
import itertools
import random

from django.template import Context, Template
from django.utils import translation

from zoneos.pipeline.models import DatePrecision, IndustryGroup, Project, StageCategory
from zoneos.pipeline.tests import awkward

TEMPLATE = Template('{% include "pipeline/_project_row.html" %}')
TAG = Template("{% load project_rows %}{% project_row p %}")


def _projects():
    rng = random.Random(15)
    areas = awkward.areas()
    groups = [None, IndustryGroup(pk=4, name="新一代<信息>技术", name_en="IT & more")]
    owners = awkward.owners()
    amounts = awkward.AMOUNTS
    pk = 0
    for stage, flagged, group in itertools.product(StageCategory, (False, True), groups):
        for _ in range(3):
            pk += 1
            yield Project(
                pk=pk,
                name=rng.choice(["甲<乙>&\"项目'", "新能源电池"]),
                investor_name=rng.choice(["", "Jia & Yi <Ltd>"]),
                area=rng.choice(areas),
                total_investment=rng.choice(amounts),
                stage=stage,
                flagged=flagged,
                plan_group=group,
                owner=rng.choice(owners),
                lead_on=datetime.date(2026, rng.randint(1, 12), rng.randint(1, 28)),
                lead_on_precision=rng.choice(list(DatePrecision)),
            )


def test_the_tag_writes_what_the_template_writes():
    compared = 0
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for project in _projects():
                expected = TEMPLATE.render(Context({"p": project}))
                assert TAG.render(Context({"p": project})) == expected, language
                compared += 1
    assert compared > 100
