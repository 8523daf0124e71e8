"""Research projects' rules, as the zone's office meets them: the evaluation's result without the highest
and the lowest, a conflicted expert who cannot score, budget adjustments held to the programme's rules,
spending while the contract runs, and the warnings."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from zoneos.audit.history import entries_for
from zoneos.core.errors import Conflict
from zoneos.research import figures, services, workflow
from zoneos.research.models import BudgetLine, Expenditure, ResearchProject

pytestmark = pytest.mark.django_db


def _score_all(project, by, totals):
    """One reviewer per total, each scoring the first criterion so the totals come out as given."""
    criteria = project.programme.criteria
    reviewers = []
    for total in totals:
        reviewer = services.assign_reviewer(project, by=by, name=f"专家{project.reviewers.count() + 1}")
        left, points = Decimal(total), {}
        for c in criteria:
            give = min(left, Decimal(c["max"]))
            points[c["code"]] = give
            left -= give
        services.score(reviewer, by=by, points=points)
        reviewers.append(reviewer)
    return reviewers


def test_the_result_is_the_mean_without_the_highest_and_the_lowest(world):
    project = world.RP4
    _score_all(project, world.park_staff, [95, 60, 80, 70, 20])
    found = figures.evaluation(project)
    # 95 and 20 dropped: (60 + 80 + 70) / 3 = 70
    assert found.result == Decimal("70.00")
    dropped = {r["total"]: r["dropped"] for r in found.rows if r["dropped"]}
    assert dropped == {Decimal("95.00"): "highest", Decimal("20.00"): "lowest"}


def test_with_fewer_than_three_reviewers_there_is_no_result_and_no_approval(world):
    project = world.RP4
    _score_all(project, world.park_staff, [90, 80])
    found = figures.evaluation(project)
    assert found.result is None and found.missing == 1
    assert "approve" not in workflow.PROJECT_WORKFLOW.allowed(world.admin, project)
    with pytest.raises(Conflict, match="no result yet"):
        workflow.approve(project, by=world.admin)
    _score_all(project, world.park_staff, [70])  # three now: the middle one is the result
    assert figures.evaluation(project).result == Decimal("80.00")
    assert workflow.approve(project, by=world.admin).status == "approved"


def test_a_reviewer_with_a_declared_conflict_cannot_score_and_does_not_count(world):
    project = world.RP4
    reviewers = _score_all(project, world.park_staff, [90, 80, 70])
    conflicted = services.assign_reviewer(project, by=world.park_staff, name="利益相关专家")
    services.declare_conflict(conflicted, by=world.park_staff, conflict=True, note="曾任项目承担单位顾问")
    with pytest.raises(Conflict, match="declared a conflict of interest"):
        services.score(
            conflicted, by=world.park_staff, points={c["code"]: 1 for c in project.programme.criteria}
        )
    assert not conflicted.scores.exists()
    # An expert who declares a conflict after scoring stops counting: fewer than three are left.
    services.declare_conflict(reviewers[0], by=world.park_staff, conflict=True, note="后发现亲属关系")
    assert figures.evaluation(project).result is None
    with pytest.raises(ValidationError) as error:
        services.declare_conflict(reviewers[1], by=world.park_staff, conflict=True, note="")
    assert "conflict_note" in error.value.message_dict


def test_scores_name_the_criterion_out_of_range_or_missing(world):
    reviewer = world.RV1
    with pytest.raises(ValidationError) as error:
        services.score(reviewer, by=world.park_staff, points={"innovation": 31, "feasibility": 20})
    assert {"innovation", "team", "budget", "impact"} <= set(error.value.message_dict)
    assert "feasibility" not in error.value.message_dict


def test_an_adjustment_into_a_category_that_may_not_rise_answers_409_naming_it(world):
    with pytest.raises(Conflict) as error:
        services.request_adjustment(
            world.RP1, by=world.park_staff, from_category="materials", to_category="equipment",
            amount="10000", reason="补充设备",
        )  # fmt: skip
    assert "equipment" in str(error.value.detail) and "Equipment" in str(error.value.detail)
    assert BudgetLine.objects.get(project=world.RP1, category="equipment").amount == Decimal("400000")


def test_an_adjustment_beyond_the_indirect_cap_or_below_what_is_spent_answers_409(world):
    # Indirect 100,000 of 1,000,000; the cap is 20 %: 100,001 more is too much.
    with pytest.raises(Conflict, match="indirect"):
        services.request_adjustment(
            world.RP1,
            by=world.admin,
            from_category="labour",
            to_category="indirect",
            amount="100001",
            reason="管理费",
        )
    # Materials has 50,000 spent (EX1) of 300,000: 250,001 may not leave it.
    with pytest.raises(Conflict, match="materials"):
        services.request_adjustment(
            world.RP1,
            by=world.admin,
            from_category="materials",
            to_category="labour",
            amount="250001",
            reason="人员",
        )


def test_a_pi_moves_within_the_share_alone_and_beyond_it_an_admin_approves(world):
    project = world.RP1
    # 10 % of 1,000,000 = 100,000 may be moved alone (AJ1, recorded as approved, does not count).
    within = services.request_adjustment(
        project,
        by=world.park_staff,
        from_category="materials",
        to_category="labour",
        amount="60000",
        reason="增聘",
    )
    assert within.status == "effective" and not within.needs_approval
    assert BudgetLine.objects.get(project=project, category="labour").amount == Decimal("260000")
    beyond = services.request_adjustment(
        project,
        by=world.park_staff,
        from_category="materials",
        to_category="testing",
        amount="50000",
        reason="外协测试",
    )
    assert beyond.status == "pending" and beyond.needs_approval
    assert not BudgetLine.objects.filter(project=project, category="testing").exists()
    with pytest.raises(PermissionDenied):
        services.decide_adjustment(beyond, by=world.park_staff, approve=True)
    done = services.decide_adjustment(beyond, by=world.admin, approve=True, opinion="同意")
    assert done.status == "effective" and done.decided_by == world.admin
    assert BudgetLine.objects.get(project=project, category="testing").amount == Decimal("50000")
    with pytest.raises(Conflict):
        services.decide_adjustment(done, by=world.admin, approve=False, opinion="重复")
    assert [e.actor for e in entries_for(BudgetLine.objects.get(project=project, category="labour"))][
        0
    ] == world.park_staff


def test_the_budget_is_the_applicants_until_it_is_approved(world):
    services.update_project(
        world.RP3, by=world.park_staff, budget={"equipment": "300000", "indirect": "10000"}
    )
    assert BudgetLine.objects.filter(project=world.RP3).count() == 2
    with pytest.raises(ValidationError) as error:
        services.update_project(
            world.RP3, by=world.park_staff, budget={"equipment": "100", "indirect": "900"}
        )
    assert "budget" in error.value.message_dict
    with pytest.raises(Conflict):
        services.update_project(world.RP1, by=world.park_staff, budget={"equipment": "1"})
    with pytest.raises(Conflict):  # no adjustment before the contract
        services.request_adjustment(
            world.RP4, by=world.admin, from_category="labour", to_category="materials", amount="1", reason="x"
        )


def test_money_is_spent_while_the_contract_runs_with_a_voucher_through_the_upload_check(world):
    scan = SimpleUploadedFile("pz.pdf", b"%PDF-1.4 voucher", content_type="application/pdf")
    spent = services.record_expenditure(
        world.RP1, by=world.park_staff, category="materials", amount=Decimal("1200"),
        spent_on=datetime.date(2025, 5, 1), description="试剂", voucher_no="PZ-2025-05-01", voucher=scan,
    )  # fmt: skip
    assert spent.voucher.name.startswith(f"research/vouchers/{world.RP1.pk}/")
    empty = SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.record_expenditure(
            world.RP1, by=world.park_staff, category="materials", amount=Decimal("1"),
            spent_on=datetime.date(2025, 5, 1), description="x", voucher_no="PZ-X", voucher=empty,
        )  # fmt: skip
    assert "voucher" in error.value.message_dict
    spend = {
        "category": "materials",
        "amount": Decimal("1"),
        "spent_on": datetime.date(2025, 5, 1),
        "description": "x",
    }
    with pytest.raises(ValidationError) as error:
        services.record_expenditure(world.RP1, by=world.park_staff, voucher_no="", **spend)
    assert "voucher_no" in error.value.message_dict
    with pytest.raises(Conflict):
        services.record_expenditure(world.RP4, by=world.park_staff, voucher_no="PZ", **spend)
    with pytest.raises(PermissionDenied):
        services.record_expenditure(world.RP1, by=world.leader, voucher_no="PZ", **spend)


def test_warnings_over_budget_and_spending_lagging_time(world):
    project = world.RP1  # 2025-01-01 to 2027-12-31, 1,000,000; 60,000 spent
    early = figures.standing(project, datetime.date(2025, 6, 30))
    assert early.warnings == []  # before the middle of the period a slow start is no warning
    late = figures.standing(project, datetime.date(2026, 12, 31))  # two thirds gone, 6 % spent
    assert [w.kind for w in late.warnings] == ["lag"]
    assert late.gap_pp < -30
    Expenditure.objects.create(
        project=project, category="labour", amount=Decimal("700000"), spent_on=datetime.date(2025, 6, 1),
        description="人员费", voucher_no="PZ-BIG",
    )  # fmt: skip
    now = figures.standing(project, datetime.date(2026, 12, 31))
    assert [(w.kind, w.category) for w in now.warnings] == [("over", "labour")]
    # A project not running is not warned of.
    ResearchProject.objects.filter(pk=project.pk).update(status="accepted")
    project.refresh_from_db()
    assert figures.standing(project, datetime.date(2026, 12, 31)).warnings == []


def test_each_step_writes_its_event_row_and_history_with_its_author(world):
    project = world.RP3
    services.update_project(project, by=world.park_staff, budget={})
    with pytest.raises(ValidationError) as error:  # no budget yet
        workflow.submit(project, by=world.park_staff)
    assert "budget" in error.value.message_dict
    services.update_project(project, by=world.park_staff, budget={"materials": "80000"})
    project = workflow.submit(project, by=world.park_staff, opinion="材料齐全")
    project = workflow.return_application(project, by=world.admin, opinion="补充合作协议")
    step = project.steps.order_by("-pk").first()
    assert (step.kind, step.from_status, step.to_status, step.by) == (
        "return",
        "formal_check",
        "application",
        world.admin,
    )
    assert entries_for(project)[0].actor == world.admin
    with pytest.raises(ValidationError):
        workflow.reject(workflow.submit(project, by=world.park_staff), by=world.park_staff, opinion="")
