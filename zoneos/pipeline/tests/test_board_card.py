"""`{% board_card p %}` writes exactly what `pipeline/_board_card.html` writes.

Cards are made in memory in every shape the board shows (each stage with the moves it allows or none,
flagged or not, with an officer or none, amounts from none to billions), with names, stage names and a
page address that need escaping, and each is rendered through the template and through the tag, in both
languages, for a reader who may move projects and one who may not, with and without a CSRF token; the
two must be equal to the byte."""

import itertools
import random

from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from zoneos.pipeline.models import Project, StageCategory
from zoneos.pipeline.moves import moves_from
from zoneos.pipeline.tests import awkward

TEMPLATE = Template('{% include "pipeline/_board_card.html" %}')
TAG = Template("{% load board_cards %}{% board_card p %}")
STAGE_LABELS = {c.value: c.label for c in StageCategory} | {"signed": "签约 <已> & 'done'"}


def _cards():
    rng = random.Random(15)
    areas = awkward.areas()
    owners = awkward.owners()
    amounts = awkward.AMOUNTS
    pk = 0
    for stage, flagged, paused_from in itertools.product(StageCategory, (False, True), ("", "signed")):
        for _ in range(3):
            pk += rng.choice([1, 997])
            project = Project(
                pk=pk,
                name=rng.choice(["甲<乙>&\"项目'", "新能源电池"]),
                investor_name=rng.choice(["", "Jia & Yi <Ltd>"]),
                area=rng.choice(areas),
                total_investment=rng.choice(amounts),
                stage=stage,
                paused_from=paused_from if stage == StageCategory.ON_HOLD else "",
                flagged=flagged,
                owner=rng.choice(owners),
            )
            # What the board view sets on each card.
            project.moves = [c for c in moves_from(project) if c != StageCategory.DROPPED]
            project.days_text = rng.choice(["0 d", "12 天", "<3> d"])
            project.url = f"/projects/{pk}/"
            project.move_url = rng.choice([f"/projects/{pk}/move/", f"/p/{pk}/move/?a=1&b=<2>"])
            yield project


def test_the_tag_writes_what_the_template_writes():
    request = RequestFactory().get("/projects/board/", {"area": "3", "q": '<甲> & "乙"'})
    compared = 0
    for language, may_move, token in itertools.product(("zh-hans", "en"), (True, False), ("tok3n", None)):
        with translation.override(language):
            for project in _cards():
                values = {"p": project, "may_move": may_move, "stage_labels": STAGE_LABELS}
                values |= {"request": request, "csrf_token": token}
                expected = TEMPLATE.render(Context(values))
                assert TAG.render(Context(values)) == expected, (language, may_move, project.stage)
                compared += 1
    assert compared > 500


def test_a_card_with_moves_has_its_menu_and_one_without_has_none():
    request = RequestFactory().get("/projects/board/")
    cards = {p.stage: p for p in _cards()}
    values = {"may_move": True, "stage_labels": STAGE_LABELS, "request": request, "csrf_token": "tok3n"}
    lead = TAG.render(Context({**values, "p": cards[StageCategory.LEAD]}))
    assert 'data-testid="move-' in lead and 'value="tok3n"' in lead
    dropped = cards[StageCategory.DROPPED]
    assert not dropped.moves or all(m != StageCategory.DROPPED for m in dropped.moves)
    reader = TAG.render(Context({**values, "may_move": False, "p": cards[StageCategory.LEAD]}))
    assert "dropdown" not in reader and "draggable" not in reader
