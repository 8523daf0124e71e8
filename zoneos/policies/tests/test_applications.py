"""Applications for policy items: from a draft to payment, step by step, with the table refusing what
the state or the user does not allow, the trace frozen at submission, and every step in the timeline
and the history with its author."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zoneos.core.errors import Conflict
from zoneos.policies import applications as services
from zoneos.policies.applications import APPLICATION_WORKFLOW
from zoneos.policies.models import ApplicationStatus, Budget, PolicyApplication

from .engine_for_applications import engine

S = ApplicationStatus
pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def rules():
    with engine() as found:
        yield found


def budget_for(world, year=None, amount="1000000.00"):
    return Budget.objects.update_or_create(
        item=world.PI1, year=year or TODAY.year, defaults={"amount": Decimal(amount)}
    )[0]


def draft(world, by=None, **values):
    return services.create_application(
        by=by or world.enterprise, item=world.PI1, enterprise=world.E1, requested_amount="300000", **values
    )


def publicity_over(application):
    """The publicity's working days have passed."""
    PolicyApplication.objects.filter(pk=application.pk).update(
        publicity_ends=TODAY - datetime.timedelta(days=1)
    )
    application.refresh_from_db()
    return application


def to_publicity(world, application):
    application = services.submit(application, by=world.park_staff)
    application = services.accept(application, by=world.service_officer, opinion="材料齐全")
    application = services.pass_preliminary(application, by=world.park_staff, opinion="园区初审通过")
    application = services.pass_review(application, by=world.handler, opinion="部门复审通过")
    return services.publicize(application, by=world.handler)


def test_an_application_goes_from_draft_to_payment_in_instalments(world, rules):
    rules.eligible.add(world.E1.pk)
    budget = budget_for(world)
    application = draft(world)
    assert application.status == S.DRAFT and application.trace is None

    application = services.submit(application, by=world.enterprise)
    assert application.status == S.SUBMITTED
    assert application.trace["result"] == "eligible" and application.trace["on"] == TODAY.isoformat()
    assert application.trace["criteria"][0]["required"] == ">= 50000000.00"
    rules.eligible.clear()  # the rules change later: the trace stays as it was
    application = services.accept(application, by=world.service_officer)
    application = services.pass_preliminary(application, by=world.park_staff)
    application = services.pass_review(application, by=world.handler)
    application = services.publicize(application, by=world.handler, days=5)
    assert application.status == S.PUBLICITY and application.publicity_days == 5
    assert application.publicity_ends > TODAY
    with pytest.raises(Conflict, match="publicity runs until"):
        services.approve(application, by=world.handler)
    application = services.record_objection(application, by=world.handler, objection="举报研发费用归集有误")
    application = publicity_over(application)

    application = services.approve(application, by=world.handler, approved_amount="250000", opinion="核减")
    assert application.status == S.APPROVED and application.approved_amount == Decimal("250000.00")
    assert application.payment_due == services.working_days_after(TODAY, 60)
    budget.refresh_from_db()
    assert budget.committed == Decimal("250000.00") and budget.disbursed == 0

    application = services.pay(application, by=world.handler, amount="200000", voucher="记账凭证-001")
    assert application.status == S.APPROVED and application.outstanding == Decimal("50000.00")
    with pytest.raises(Conflict, match="50000.00"):
        services.pay(application, by=world.handler, amount="60000")
    application = services.pay(application, by=world.handler, amount="50000")
    assert application.status == S.PAID and application.paid_on == TODAY
    assert application.payment_working_days == 0
    assert [p.on_time for p in application.payments.all()] == [True, True]
    budget.refresh_from_db()
    assert budget.disbursed == Decimal("250000.00")
    assert [e.kind for e in budget.ledger.order_by("id")] == ["commit", "disburse", "disburse"]

    application = services.close(application, by=world.handler)
    steps = list(application.steps.values_list("kind", "by__username"))
    assert steps == [
        ("create", "enterprise"),
        ("submit", "enterprise"),
        ("accept", "service_officer"),
        ("preliminary", "park_staff"),
        ("review", "handler"),
        ("publicize", "handler"),
        ("object", "handler"),
        ("approve", "handler"),
        ("pay", "handler"),
        ("pay", "handler"),
        ("close", "handler"),
    ]
    assert application.steps.get(kind="object").opinion == "举报研发费用归集有误"
    authors = set(LogEntry.objects.get_for_object(application).values_list("actor__username", flat=True))
    assert authors == {"enterprise", "service_officer", "park_staff", "handler"}


def test_a_step_the_state_does_not_allow_is_refused_and_changes_nothing(world, rules):
    application = draft(world)
    with pytest.raises(Conflict):
        services.accept(application, by=world.service_officer)
    with pytest.raises(Conflict):
        services.approve(application, by=world.handler)
    application.refresh_from_db()
    assert application.status == S.DRAFT and application.steps.count() == 1


def test_only_the_parties_of_a_step_take_it(world, rules):
    application = services.submit(draft(world), by=world.enterprise)
    for user in (world.enterprise, world.handler, world.leader, world.statistician):
        with pytest.raises(PermissionDenied):
            services.accept(application, by=user)
    application = services.accept(application, by=world.park_staff)
    with pytest.raises(PermissionDenied):
        services.pass_review(services.pass_preliminary(application, by=world.park_staff), by=world.park_staff)


def test_returned_for_supplement_the_enterprise_resubmits_and_the_trace_is_taken_again(world, rules):
    application = services.submit(draft(world), by=world.enterprise)
    assert application.trace["result"] == "not_eligible"
    with pytest.raises(ValidationError) as refused:
        services.return_for_supplement(application, by=world.service_officer, opinion=" ")
    assert "opinion" in refused.value.message_dict
    application = services.return_for_supplement(
        application, by=world.service_officer, opinion="补充审计报告"
    )
    assert application.status == S.RETURNED
    rules.eligible.add(world.E1.pk)
    application = services.resubmit(application, by=world.enterprise, opinion="已补充")
    assert application.status == S.SUBMITTED and application.trace["result"] == "eligible"


def test_a_rejection_needs_its_reason_and_frees_the_item_for_a_new_application(world, rules):
    application = services.submit(draft(world), by=world.enterprise)
    with pytest.raises(ValidationError):
        services.reject(application, by=world.handler, reason="")
    application = services.reject(application, by=world.handler, reason="不符合申报条件")
    assert application.status == S.REJECTED and application.reason == "不符合申报条件"
    with pytest.raises(Conflict):
        services.reject(application, by=world.handler, reason="再驳回")
    assert draft(world).status == S.DRAFT  # a new one is allowed after a rejection


def test_one_live_application_per_item_enterprise_and_year(world, rules):
    draft(world)
    with pytest.raises(Conflict):
        draft(world, by=world.park_staff)
    assert draft(world, year=TODAY.year + 1).year == TODAY.year + 1


def test_staff_apply_only_for_enterprises_in_their_reach(world, rules):
    with pytest.raises(PermissionDenied):
        services.create_application(by=world.handler, item=world.PI1, enterprise=world.E1)
    with pytest.raises(PermissionDenied):
        services.create_application(by=world.enterprise, item=world.PI1, enterprise=world.E3)
    assert services.create_application(by=world.park_staff, item=world.PI1, enterprise=world.E3).pk


def test_approving_past_the_budget_is_refused(world, rules):
    budget_for(world, amount="400000")
    first = publicity_over(to_publicity(world, draft(world)))
    services.approve(first, by=world.handler, approved_amount="300000")
    other = services.create_application(
        by=world.park_staff, item=world.PI1, enterprise=world.E3, requested_amount="200000"
    )
    other = publicity_over(to_publicity(world, other))
    with pytest.raises(Conflict, match="100000.00 yuan left"):
        services.approve(other, by=world.handler)
    other.refresh_from_db()
    assert other.status == S.PUBLICITY and other.approved_amount is None
    assert Budget.objects.get(item=world.PI1, year=TODAY.year).committed == Decimal("300000.00")
    assert services.approve(other, by=world.handler, approved_amount="100000").status == S.APPROVED


def test_approving_without_a_budget_for_the_year_is_refused(world, rules):
    application = publicity_over(to_publicity(world, draft(world)))
    with pytest.raises(Conflict, match="no budget"):
        services.approve(application, by=world.handler)


def test_the_allowed_actions_follow_the_table(world, rules):
    application = draft(world)
    assert APPLICATION_WORKFLOW.allowed(world.enterprise, application) == ["submit", "withdraw"]
    assert APPLICATION_WORKFLOW.allowed(world.handler, application) == []
    application = services.submit(application, by=world.enterprise)
    # The service officer also applies for the enterprise, so may withdraw what it handed in.
    assert APPLICATION_WORKFLOW.allowed(world.service_officer, application) == [
        "accept",
        "reject",
        "return",
        "withdraw",
    ]
    assert APPLICATION_WORKFLOW.allowed(world.handler, application) == ["reject", "return"]
