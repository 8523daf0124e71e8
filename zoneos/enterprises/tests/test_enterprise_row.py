"""`{% enterprise_row e %}` writes exactly what `enterprises/_enterprise_row.html` writes.

Enterprises are made in memory in every shape the row shows (short name or none, a code or none, an
industry or none, labels or none, each size class and status), with names that need escaping, and each
is rendered through the template and through the tag, in both languages; the two must be equal to the
byte."""

import itertools
import random

import pytest
from django.template import Context, Template
from django.utils import translation

from zoneos.areas.models import Area
from zoneos.core import industries
from zoneos.enterprises.models import Enterprise, Label, LabelKind, SizeClass, Status

pytestmark = pytest.mark.django_db

TEMPLATE = Template('{% include "enterprises/_enterprise_row.html" %}')
TAG = Template("{% load enterprise_rows %}{% enterprise_row e %}")


def _enterprises():
    rng = random.Random(15)
    codes = ["", *sorted(code for code, i in industries.table().items() if i.level != "section")[:40:7]]
    areas = [Area(pk=2, name="一号园", name_en="Park <One> & Co"), Area(pk=3, name="二号园", name_en="")]
    pk = 0
    for status, size in itertools.product(Status, ["", *SizeClass]):
        for _ in range(4):
            pk += 1
            code = rng.choice(codes)
            e = Enterprise(
                pk=pk,
                name=rng.choice(["甲<乙>&\"公司'", "一号科技有限公司"]),
                name_en=rng.choice(["", "Jia & Yi <Ltd>"]),
                short_name=rng.choice(["", "甲&乙"]),
                uscc=rng.choice([None, "", "91440101MA5CXXXX1X"]),
                area=rng.choice(areas),
                industry_code=code,
                industry_section=industries.section_of(code),
                status=status,
                size_class=size,
            )
            e.current_labels = [Label(kind=k) for k in rng.sample(list(LabelKind), rng.choice([0, 1, 2]))]
            yield e


def test_the_tag_writes_what_the_template_writes():
    assert industries.table(), "the industry table is loaded"
    compared = 0
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for enterprise in _enterprises():
                expected = TEMPLATE.render(Context({"e": enterprise}))
                assert TAG.render(Context({"e": enterprise})) == expected, language
                compared += 1
    assert compared > 100
