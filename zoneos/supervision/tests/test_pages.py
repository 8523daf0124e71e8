"""The supervision pages, server side."""

from decimal import Decimal

import pytest
from django.test import Client

from zoneos.supervision import services

pytestmark = pytest.mark.django_db


def english(user) -> Client:
    client = Client()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en"})
    return client


def test_summary_plan_and_project_pages(world):
    project = services.create_key_project(
        by=world.users["root"], year=2025, name="激光装备产业园", area=world.P2, kind="continuing",
        annual_plan=Decimal(1200),
    )  # fmt: skip
    services.submit_report(project, by=world.users["root"], month="2025-03", completed=Decimal(300))
    supervisor = english(world.users["supervisor"])
    page = supervisor.get(f"/supervision/?area={world.P2.pk}&month=2025-03").content.decode()
    assert 'data-testid="kpi-rate">25.0%' in page
    assert "ahead of time progress by 0.0 points" in page
    zone = supervisor.get(f"/supervision/?area={world.Z1.pk}&month=2025-04").content.decode()
    # Z1 also holds the world's KP1 and KP3 (1.2 billion each, nothing reported).
    assert "the 3 key projects of" in zone and "behind time progress by 33.3 points" in zone
    plan = supervisor.get("/supervision/plan/?month=2025-03").content.decode()
    assert "激光装备产业园" in plan and f'data-testid="entry-{project.pk}"' in plan
    detail = supervisor.get(project.get_absolute_url()).content.decode()
    assert "Mar 2025" in detail and 'data-testid="chart-cumulative"' in detail
    row = supervisor.post(
        f"/supervision/projects/{project.pk}/report/",
        {"month": "2025-04", "completed": "abc"},
        HTTP_HX_REQUEST="true",
    )
    assert row.status_code == 200 and "Give the amount in hundred million yuan" in row.content.decode()
    bad_month = supervisor.post(
        f"/supervision/projects/{project.pk}/report/",
        {"month": "2025-13", "completed": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert bad_month.status_code == 200 and "Give a month as YYYY-MM." in bad_month.content.decode()
    assert english(world.users["handler"]).get("/supervision/").context["area"] is None
    assert (
        "激光装备产业园"
        not in english(world.outsider).get("/supervision/plan/?month=2025-03").content.decode()
    )


def test_ranking_page_and_saving_the_weights(world):
    for index, park in enumerate((world.P1, world.P1, world.P1, world.P2)):
        project = services.create_key_project(
            by=world.root, year=2025, name=f"评价项目{index}", area=park, kind="continuing",
            annual_plan=Decimal(1200),
        )  # fmt: skip
        services.submit_report(project, by=world.root, month="2025-03", completed=Decimal(300 + 100 * index))
    supervisor = english(world.users["supervisor"])
    url = f"/supervision/ranking/?area={world.Z1.pk}&month=2025-03"
    page = supervisor.get(url).content.decode()
    # P1 has five key projects (two from the world), P2 one: P2 is listed but not comparable.
    assert f'data-testid="rank-{world.P1.pk}">1<' in page
    assert f'data-testid="not-comparable-{world.P2.pk}"' in page
    refused = supervisor.post(
        url,
        {"weight_completion": "60", "weight_start": "20", "weight_funds": "20", "weight_signing": "20",
         "min_projects": "1", f"target-{world.P1.pk}": "6"},
    )  # fmt: skip
    assert refused.status_code == 400
    assert "The four weights must add up to 100 (they add up to 120)." in refused.content.decode()
    saved = supervisor.post(
        url,
        {"weight_completion": "100", "weight_start": "0", "weight_funds": "0", "weight_signing": "0",
         "min_projects": "1", f"target-{world.P1.pk}": "6"},
    )  # fmt: skip
    assert saved.status_code == 302
    page = supervisor.get(url).content.decode()
    # P2's one project reported 600 of 1,200 by March: far ahead, now comparable and first.
    assert (
        f'data-testid="rank-{world.P2.pk}">1<' in page and f'data-testid="score-{world.P2.pk}">100.0<' in page
    )
    assert f'value="6" inputmode="numeric" data-testid="target-{world.P1.pk}"' in page
    # Park staff read the ranking of their park's children (none) but get no form.
    staff = english(world.users["park_staff"]).get(f"/supervision/ranking/?area={world.P1.pk}&month=2025-03")
    assert staff.status_code == 200 and 'data-testid="scheme-form"' not in staff.content.decode()


def test_order_pages(world):
    supervisor = english(world.users["supervisor"])
    form = supervisor.get(f"/supervision/projects/{world.KP1.pk}/order/")
    assert form.status_code == 200
    bad = supervisor.post(
        f"/supervision/projects/{world.KP1.pk}/order/",
        {"to": f"area-{world.P1.pk}", "subject": "", "deadline_days": "3"},
    )
    assert bad.status_code == 400 and "Say what the order is about." in bad.content.decode()
    issued = supervisor.post(
        f"/supervision/projects/{world.KP1.pk}/order/",
        {"to": f"department-{world.D1.pk}", "subject": "协调用地指标", "deadline_days": "3"},
    )
    assert issued.status_code == 302
    order = world.KP1.orders.get(subject="协调用地指标")
    assert order.to_department == world.D1
    listing = supervisor.get("/supervision/orders/").content.decode()
    assert "协调用地指标" in listing and f'data-testid="order-{order.pk}"' in listing
    handler = english(world.users["handler"])
    # The page's form is the step's, made from the order's table: its field is the step's input.
    assert handler.post(order.get_absolute_url(), {"step": "answer", "answer": "已协调"}).status_code == 302
    order.refresh_from_db()
    assert order.status == "answered"
    # Park staff see the order about their project but may not answer for the department.
    staff_page = english(world.users["park_staff"]).get(order.get_absolute_url()).content.decode()
    assert 'data-testid="answer-order"' not in staff_page
    # Outside the zone nothing is found.
    assert (
        english(world.users["park_staff"]).get(f"/supervision/projects/{world.KP2.pk}/order/").status_code
        == 404
    )


def test_the_order_page_offers_the_steps_of_the_table_the_user_may_take(world):
    supervisor = english(world.users["supervisor"])
    url = world.O1.get_absolute_url()
    page = supervisor.get(url).content.decode()
    # The zone's supervisor answers for P1 too (an addressee above it) and may withdraw the open order.
    assert 'data-testid="answer-order"' in page and 'data-testid="close-order"' in page
    assert "Withdraw" in page and 'data-testid="send-back-order"' not in page
    refused = supervisor.post(url, {"step": "close", "note": ""})
    assert refused.status_code == 400 and "Say why an unanswered order is closed." in refused.content.decode()
    english(world.users["park_staff"]).post(url, {"step": "answer", "answer": "已增加施工班组"})
    answered = supervisor.get(url).content.decode()
    assert 'data-testid="answer-order"' not in answered
    assert "Accept and close" in answered and 'data-testid="send-back-order"' in answered
    assert supervisor.post(url, {"step": "send_back", "note": "请附照片"}).status_code == 302
    world.O1.refresh_from_db()
    assert world.O1.status == "open" and world.O1.answered_on is None
    # A step the user does not take is refused; an unknown one names the field.
    assert english(world.users["leader"]).post(url, {"step": "close", "note": "x"}).status_code == 403
    assert supervisor.post(url, {"step": "urge"}).status_code == 400
