"""`{% warned_row %}` and `{% ranking_row %}` write exactly what `supervision/_warned_row.html` and
`supervision/_ranking_row.html` write, for every kind of row.

Rows are made in the shape `services.summary()` gives them (plain dicts, rates as strings), in every
state the tables show: each status and its colour or none, missing rates, ranks and points (None), rates
from zero to above the plan, negative and zero points, names that need escaping; each is rendered
through the template and through the tag, in both languages, and under a script prefix that needs
escaping; the two must be equal to the byte."""

import itertools
import random
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import get_script_prefix, set_script_prefix
from django.utils import translation

from zoneos.supervision import services
from zoneos.supervision.progress import STATUS_COLOR, Status

NAMES = ["激光装备产业园", "甲<乙>&\"项目'", "Park <One> & Co", ""]
RATES = [None, "0.0000", "0.2613", "0.9995", "1.0000", "1.2345", "-0.0500"]
POINTS = [None, "-73.87", "-0.05", "0.00", "12.30"]


def _render(source: str, context: dict) -> str:
    return Template(source).render(Context(context))


def _warned():
    rng = random.Random(15)
    for pk, (rate, gap) in enumerate(itertools.product(RATES, POINTS), start=1):
        yield {
            "id": rng.choice([pk, 2147483, 10**9 + pk]),
            "name": rng.choice(NAMES),
            "area": 3,
            "area_name": rng.choice(NAMES),
            "annual_plan": "1200.00",
            "completed": "300.00",
            "completion_rate": rate,
            "gap_pp": gap,
        }


def _ranking():
    rng = random.Random(16)
    for status, rate, gap in itertools.product([*Status, "", None], RATES, POINTS):
        yield {
            "area": 4,
            "name": rng.choice(NAMES),
            "rank": None if rate is None else rng.choice([1, 12, 1234]),
            "completion_rate": rate,
            "gap_pp": gap,
            "status": status,
            "color": STATUS_COLOR.get(status, "secondary"),
            "projects": rng.choice([0, 3]),
        }


def _compare(reference: str, tag: str, name: str, rows) -> int:
    by_template = Template(f'{{% include "{reference}" %}}')
    by_tag = Template(f"{{% load summary_rows %}}{{% {tag} {name} %}}")
    compared = 0
    for language, prefix in itertools.product(("zh-hans", "en"), ("/", "/zone&os/")):
        with translation.override(language):
            kept = get_script_prefix()
            set_script_prefix(prefix)
            try:
                for row in rows():
                    expected = by_template.render(Context({name: row}))
                    assert by_tag.render(Context({name: row})) == expected, (language, prefix)
                    compared += 1
            finally:
                set_script_prefix(kept)
    return compared


def test_the_warned_row_tag_writes_what_its_template_writes():
    assert _compare("supervision/_warned_row.html", "warned_row", "p", _warned) > 100


def test_the_ranking_row_tag_writes_what_its_template_writes():
    assert _compare("supervision/_ranking_row.html", "ranking_row", "c", _ranking) > 800


@pytest.mark.django_db
def test_the_rows_of_a_real_summary(world):
    """The rows as `services.summary()` makes them, from reports: the same through the page's template
    and through the tags."""
    for index, completed in enumerate((0, 50, 300)):
        project = services.create_key_project(
            by=world.root, year=2025, name=f"<重点> & 项目{index}", area=world.P1, kind="continuing",
            annual_plan=Decimal(1200),
        )  # fmt: skip
        services.submit_report(project, by=world.root, month="2025-04", completed=Decimal(completed))
    summary = services.summary(world.Z1, 2025, 4)
    assert summary["red"] and summary["by_child"]
    for child in summary["by_child"]:
        child["color"] = STATUS_COLOR.get(child["status"], "secondary")
    tables = (
        ("warned_row", "_warned_row", summary["red"] + summary["yellow"]),
        ("ranking_row", "_ranking_row", summary["by_child"]),
    )
    for language, (tag, reference, rows) in itertools.product(("zh-hans", "en"), tables):
        with translation.override(language):
            by_template = _render(
                f'{{% for row in rows %}}{{% include "supervision/{reference}.html" with p=row c=row %}}'
                "{% endfor %}",
                {"rows": rows},
            )
            by_tag = _render(
                f"{{% load summary_rows %}}{{% for row in rows %}}{{% {tag} row %}}{{% endfor %}}",
                {"rows": rows},
            )
        assert by_tag == by_template, (language, tag)
        assert tag != "warned_row" or "&lt;重点&gt; &amp; 项目0</a>" in by_tag
