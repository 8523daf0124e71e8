"""The workflow table and what is derived from it: checks, allowed steps, page forms, API bodies."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied

from zoneos.core.errors import Conflict
from zoneos.core.workflow import Input, Party, Step, Workflow

OWNER = Party("owner", lambda user, record: user.username == record.owner)
REVIEWER = Party("reviewer", lambda user, record: user.username == "reviewer")

taken = []


def _run(name):
    def run(record, *, by, **inputs):
        taken.append((name, by.username, inputs))
        return record

    return run


TICKET = Workflow(
    "ticket",
    state="status",
    steps=[
        Step("submit", "Submit", frozenset({"draft"}), "submitted", (OWNER,), _run("submit")),
        Step(
            "review",
            "Review",
            frozenset({"submitted"}),
            "reviewed",
            (REVIEWER,),
            _run("review"),
            inputs=(
                Input("score", "int", "Score", required=True, min_value=1, max_value=5),
                Input("comment", "text", "Comment", max_length=20, rows=2),
            ),
        ),
        Step(
            "return",
            "Return",
            frozenset({"submitted"}),
            "draft",
            (REVIEWER, OWNER),
            _run("return"),
            when=lambda record: not record.frozen,
        ),
        Step("flag", "Flag", frozenset({"draft", "submitted"}), None, (OWNER,), _run("flag")),
    ],
    refusal=lambda record, step: f"A {record.status} ticket cannot be {step.name}ed.",
)


def user(name, active=True):
    return SimpleNamespace(username=name, is_authenticated=True, is_active=active)


def ticket(status="draft", frozen=False):
    return SimpleNamespace(status=status, owner="ana", frozen=frozen)


def test_the_table_lists_each_step_once_with_its_move():
    assert TICKET.moves() == {
        "submit": (frozenset({"draft"}), "submitted"),
        "review": (frozenset({"submitted"}), "reviewed"),
        "return": (frozenset({"submitted"}), "draft"),
        "flag": (frozenset({"draft", "submitted"}), None),
    }
    assert TICKET.targets("submitted") == ["reviewed", "draft"]


def test_a_step_declared_twice_is_refused_when_the_table_is_built():
    step = TICKET["submit"]
    with pytest.raises(ValueError, match="declared twice"):
        Workflow("twice", state="status", steps=[step, step])


def test_allowed_steps_follow_the_state_the_party_and_the_condition():
    assert TICKET.allowed(user("ana"), ticket("draft")) == ["submit", "flag"]
    assert TICKET.allowed(user("ana"), ticket("submitted")) == ["return", "flag"]
    assert TICKET.allowed(user("reviewer"), ticket("submitted")) == ["review", "return"]
    assert TICKET.allowed(user("reviewer"), ticket("submitted", frozen=True)) == ["review"]
    assert TICKET.allowed(user("stranger"), ticket("submitted")) == []
    assert TICKET.allowed(user("ana", active=False), ticket("draft")) == []


def test_a_step_by_someone_else_is_forbidden_and_one_from_the_wrong_state_conflicts():
    with pytest.raises(PermissionDenied):
        TICKET.check(ticket("draft"), "submit", user("reviewer"))
    with pytest.raises(Conflict, match="A submitted ticket cannot be submited"):
        TICKET.check(ticket("submitted"), "submit", user("ana"))
    assert TICKET.check(ticket("draft"), "submit", user("ana")).target == "submitted"


def test_the_page_form_is_made_from_the_inputs_and_leaves_validation_to_the_service():
    form_class = TICKET.form_class("review")
    assert list(form_class.base_fields) == ["score", "comment"]
    form = form_class(
        {"review-score": "", "review-comment": ""}, user=user("reviewer"), record=ticket(), prefix="review"
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"score": None, "comment": ""}
    too_high = form_class({"score": "9"}, user=user("reviewer"), record=ticket())
    assert not too_high.is_valid()
    assert "score" in too_high.errors


def test_the_api_body_is_made_from_the_same_inputs_and_names_the_field_in_its_errors():
    body_class = TICKET.serializer_class("review")
    missing = body_class(data={"comment": "fine"})
    assert not missing.is_valid()
    assert set(missing.errors) == {"score"}
    long = body_class(data={"score": 3, "comment": "x" * 21})
    assert not long.is_valid()
    assert set(long.errors) == {"comment"}
    ok = body_class(data={"score": 3})
    assert ok.is_valid()
    assert TICKET.serializer_class("submit") is None


def test_the_api_mixin_has_one_post_action_per_step_at_the_steps_name():
    mixin = TICKET.api_actions(response_serializer=None)
    assert TICKET.action_names() == {"submit", "review", "return_", "flag"}
    for name in TICKET.action_names():
        method = getattr(mixin, name)
        assert method.mapping == {"post": name}
        assert method.detail is True
    assert mixin.return_.url_path == "return"


def test_taking_a_step_runs_its_service_with_the_inputs():
    taken.clear()
    TICKET.take("review", ticket("submitted"), by=user("reviewer"), score=4)
    assert taken == [("review", "reviewer", {"score": 4})]


def test_a_workflow_words_its_own_refusal_of_a_user():
    worded = Workflow("worded", state="status", steps=[TICKET["submit"]], forbidden="Not yours.")
    with pytest.raises(PermissionDenied, match="Not yours."):
        worded.check(ticket("draft"), "submit", user("reviewer"))
    with pytest.raises(PermissionDenied, match="You may not take this step."):
        TICKET.check(ticket("draft"), "submit", user("reviewer"))


def test_a_page_form_starts_from_the_inputs_initial_value():
    starting = Workflow(
        "starting",
        state="status",
        steps=[
            Step(
                "rate",
                "Rate",
                frozenset({"draft"}),
                None,
                (OWNER,),
                _run("rate"),
                inputs=(Input("score", "int", "Score", initial=lambda user, record: len(record.owner)),),
            )
        ],
    )
    form = starting.form_class("rate")(user=user("ana"), record=ticket())
    assert form.fields["score"].initial == 3


def test_a_step_may_keep_an_existing_url_with_a_hyphen_and_its_own_refusal():
    hyphen = Step(
        "send_back",
        "Send back",
        frozenset({"submitted"}),
        "draft",
        (REVIEWER,),
        _run("send_back"),
        path="send-back",
        forbidden="Only reviewers send tickets back.",
    )
    flow = Workflow("hyphen", state="status", steps=[hyphen])
    method = flow.api_actions(response_serializer=None).send_back
    assert (method.url_path, method.url_name) == ("send-back", "send-back")
    assert TICKET.api_actions(response_serializer=None).review.url_path == "review"
    with pytest.raises(PermissionDenied, match="Only reviewers send tickets back."):
        flow.check(ticket("submitted"), "send_back", user("ana"))
    with pytest.raises(PermissionDenied, match="You may not take this step."):
        TICKET.check(ticket("submitted"), "review", user("ana"))
