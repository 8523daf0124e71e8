"""The table of allowed moves."""

from types import SimpleNamespace

import pytest

from zoneos.pipeline.moves import PROJECT_MOVES, allowed_moves, is_allowed, moves_from
from zoneos.pipeline.stages import FORWARD, StageCategory

C = StageCategory


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (C.LEAD, C.NEGOTIATING),
        (C.LEAD, C.SIGNED),  # signed at a ceremony without recorded talks
        (C.SIGNED, C.LAND_SECURED),  # no new company needed
        (C.SIGNED, C.UNDER_CONSTRUCTION),  # an existing building
        (C.UNDER_CONSTRUCTION, C.COMPLETED),
        (C.IN_PRODUCTION, C.AT_CAPACITY),
        (C.NEGOTIATING, C.ON_HOLD),
        (C.COMPLETED, C.DROPPED),
    ],
)
def test_allowed(current, target):
    assert is_allowed(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (C.LEAD, C.UNDER_CONSTRUCTION),  # not skipping from a lead to building
        (C.NEGOTIATING, C.REGISTERED),
        (C.UNDER_CONSTRUCTION, C.IN_PRODUCTION),  # completion is a step of its own
        (C.IN_PRODUCTION, C.DROPPED),  # a producing plant is the registry's business
        (C.AT_CAPACITY, C.ON_HOLD),
        (C.DROPPED, C.LEAD),
        (C.LEAD, C.LEAD),
    ],
)
def test_forbidden(current, target):
    assert not is_allowed(current, target)


def test_no_move_goes_back_to_an_earlier_category():
    for index, current in enumerate(FORWARD):
        for earlier in FORWARD[: index + 1]:
            assert earlier not in allowed_moves(current), (current, earlier)


def test_a_paused_project_resumes_where_it_was_paused_or_is_dropped():
    assert allowed_moves(C.ON_HOLD, C.SIGNED) == {C.SIGNED, C.DROPPED}
    assert not is_allowed(C.ON_HOLD, C.REGISTERED, C.SIGNED)
    assert allowed_moves(C.DROPPED) == frozenset()


def test_the_table_has_one_step_into_each_category_taken_by_those_who_change_the_project():
    assert [step.name for step in PROJECT_MOVES] == list(StageCategory.values)
    assert all(step.target == step.name for step in PROJECT_MOVES)
    assert {party.name for step in PROJECT_MOVES for party in step.who} == {"keeper"}
    # A lead can only be resumed into; a paused project resumes where it was paused.
    assert PROJECT_MOVES.moves()[C.LEAD] == (frozenset({C.ON_HOLD}), C.LEAD)
    assert moves_from(SimpleNamespace(stage=C.ON_HOLD, paused_from=C.LEAD)) == [C.LEAD, C.DROPPED]
