"""The service desk's pages, server side: who sees which page, the queue's scope and its cost, the
steps of an appeal with their field errors and refusals, symposia, the workbench and the export."""

import datetime
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from zoneos.appeals import services
from zoneos.appeals.models import Appeal, AppealEvent, Category, Status, Symposium, Visit

pytestmark = pytest.mark.django_db

PAGES = ["/appeals/", "/appeals/dashboard/", "/symposia/", "/workbench/"]


def english(user) -> Client:
    client = Client()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en"})
    return client


def recorded(world, enterprise, **extra) -> Appeal:
    values = {
        "category": Category.HELP,
        "title": "用电扩容",
        "description": "申请增加变压器容量",
        "channel": "hotline",
    }
    return services.submit(by=world.root, enterprise=enterprise, **{**values, **extra})


@pytest.mark.parametrize(
    "username",
    ["admin", "supervisor", "leader", "park_staff", "service_officer", "handler", "enterprise", "root"],
)
def test_the_pages_render_for_every_role_that_has_a_part_in_the_desk(world, username):
    client = english(world.users[username])
    for url in [*PAGES, f"/appeals/{world.AP1.pk}/"]:
        assert client.get(url).status_code == 200, url


def test_submitting_is_for_enterprises_and_the_staff_who_record_appeals(world):
    assert english(world.enterprise).get("/appeals/new/").status_code == 200
    assert english(world.service_officer).get("/appeals/new/").status_code == 200
    assert english(world.handler).get("/appeals/new/").status_code == 403
    assert english(world.leader).get("/appeals/new/").status_code == 403
    assert Client().get("/appeals/new/").status_code == 302  # to the login page


def test_a_handlers_queue_lists_only_their_departments_appeals(world):
    elsewhere = recorded(world, world.E3, title="规划许可咨询")
    services.assign(elsewhere, by=world.root, department=world.D3)
    page = english(world.handler).get("/appeals/")
    listed = {a.pk for a in page.context["object_list"]}
    assert listed == {world.AP1.pk}
    assert page.context["counts"]["open"] == 1
    staff = {a.pk for a in english(world.admin).get("/appeals/").context["object_list"]}
    assert staff == {world.AP1.pk, elsewhere.pk}  # AP2 is in the other zone


def test_an_enterprise_sees_its_own_appeals_and_gets_404_for_another_enterprises(world):
    client = english(world.enterprise)
    page = client.get("/appeals/")
    assert [a.pk for a in page.context["object_list"]] == [world.AP1.pk]
    assert "My appeals" in page.content.decode() and 'data-testid="new-appeal"' in page.content.decode()
    assert client.get(f"/appeals/{world.AP2.pk}/").status_code == 404
    assert client.post(f"/appeals/{world.AP2.pk}/urge/", {"urge-note": "?"}).status_code == 404


def test_the_queue_filters_and_counts(world):
    finance = recorded(world, world.E1, category=Category.FINANCE, title="贷款贴息")
    client = english(world.admin)
    page = client.get("/appeals/?category=finance")
    assert [a.pk for a in page.context["object_list"]] == [finance.pk]
    assert client.get("/appeals/?q=贷款").context["object_list"][0].pk == finance.pk
    # What the filter form sends when nothing is chosen filters nothing.
    assert len(client.get("/appeals/?q=&status=&category=&channel=&open=true").context["object_list"]) == 2
    assert list(client.get("/appeals/?open=false").context["object_list"]) == []
    assert (
        len(client.get("/appeals/?received_from=2026-03-02&received_to=2026-03-02").context["object_list"])
        == 1
    )
    assert list(client.get("/appeals/?overdue=true").context["object_list"]) == []
    Appeal.objects.filter(pk=world.AP1.pk).update(overdue=True)
    counts = client.get("/appeals/").context["counts"]
    assert counts["overdue"] == 1 and counts["open"] == 2
    assert [a.pk for a in client.get("/appeals/?due=overdue").context["object_list"]] == [world.AP1.pk]
    fragment = client.get("/appeals/?category=finance", HTTP_HX_REQUEST="true").content.decode()
    assert "贷款贴息" in fragment and "<html" not in fragment
    bad = client.get("/appeals/?received_from=yesterday")
    assert bad.status_code == 200 and 'data-testid="filter-errors"' in bad.content.decode()


def test_the_queue_costs_the_same_few_queries_however_many_rows_it_shows(
    world, django_assert_max_num_queries
):
    client = english(world.handler)
    client.get("/appeals/")  # warm the session and the calendar
    with django_assert_max_num_queries(12) as few:
        client.get("/appeals/")
    for index in range(30):
        recorded(world, world.E1, title=f"诉求{index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/appeals/")
    assert len(page.context["object_list"]) == 31


def test_an_enterprise_submits_an_appeal_and_lands_on_its_page(world):
    client = english(world.enterprise)
    form = client.get("/appeals/new/").context["form"]
    assert form.fixed_enterprise == world.E1 and "channel" not in form.fields
    empty = client.post("/appeals/new/", {"category": "", "title": " ", "description": ""})
    assert empty.status_code == 400
    assert {"category", "title", "description"} <= set(empty.context["form"].errors)
    assert "Give the appeal a title." in empty.content.decode()
    answer = client.post(
        "/appeals/new/",
        {"enterprise": world.E2.pk, "category": "talent", "title": "人才公寓", "description": "申请人才公寓"},
    )
    appeal = Appeal.objects.get(title="人才公寓")
    assert answer.status_code == 302 and answer.url == f"/appeals/{appeal.pk}/"
    assert appeal.enterprise == world.E1  # the enterprise is fixed, whatever is posted
    assert appeal.channel == "online" and appeal.department == world.D1


def test_staff_record_an_appeal_raised_at_a_symposium_or_on_a_visit(world):
    client = english(world.service_officer)
    initial = client.get(f"/appeals/new/?symposium={world.SY1.pk}").context["form"].initial
    assert initial["symposium"] == world.SY1.pk and initial["channel"] == "symposium"
    page = client.get(f"/appeals/new/?visit={world.V1.pk}")
    assert page.context["form"].initial["enterprise"] == world.E1.pk
    assert 'data-testid="raised-on-visit"' in page.content.decode()
    answer = client.post(
        "/appeals/new/",
        {
            "enterprise": world.E1.pk,
            "category": "land",
            "title": "用地指标",
            "description": "走访时提出",
            "channel": "visit",
            "received_at": "2026-03-03T09:30",
            "contact_name": "张经理",
            "visit": world.V1.pk,
        },
    )
    assert answer.status_code == 302
    appeal = Appeal.objects.get(title="用地指标")
    assert appeal.visit == world.V1 and appeal.contact_name == "张经理"
    assert appeal.received_at.isoformat() == "2026-03-03T01:30:00+00:00"
    future = client.post(
        "/appeals/new/",
        {
            "enterprise": world.E1.pk,
            "category": "land",
            "title": "未来",
            "description": "x",
            "received_at": "2099-01-01T09:00",
        },
    )
    assert future.status_code == 400
    assert future.context["form"].errors["received_at"] == ["An appeal cannot be received in the future."]


def test_the_appeal_page_shows_deadlines_timeline_and_only_the_allowed_steps(world):
    handler = english(world.handler).get(f"/appeals/{world.AP1.pk}/")
    body = handler.content.decode()
    assert [s["name"] for s in handler.context["steps"]] == ["sign_for", "return"]
    assert 'data-testid="form-sign_for"' in body and 'data-testid="form-reply"' not in body
    assert 'data-testid="sign-for-due"' in body and 'data-testid="event-submit"' in body
    assert handler.context["clock"]["state"] == "late"  # received in March, due long ago
    enterprise = english(world.enterprise).get(f"/appeals/{world.AP1.pk}/")
    assert [s["name"] for s in enterprise.context["steps"]] == ["urge"]
    assert [s["name"] for s in english(world.leader).get(f"/appeals/{world.AP1.pk}/").context["steps"]] == []


def test_a_step_with_bad_input_shows_the_field_error_and_changes_nothing(world):
    services.sign_for(world.AP1, by=world.handler)
    client = english(world.handler)
    events = AppealEvent.objects.filter(appeal=world.AP1).count()
    answer = client.post(f"/appeals/{world.AP1.pk}/reply/", {"reply-reply": "   "})
    assert answer.status_code == 400
    assert "Write the reply to the enterprise." in answer.content.decode()
    assert answer.context["active"] == "reply"
    days = client.post(f"/appeals/{world.AP1.pk}/request_extension/", {"request_extension-days": "many"})
    assert days.status_code == 400 and "Enter a whole number." in days.content.decode()
    world.AP1.refresh_from_db()
    assert world.AP1.status == Status.SIGNED_FOR and world.AP1.reply == ""
    assert AppealEvent.objects.filter(appeal=world.AP1).count() == events


def test_a_step_the_appeal_or_the_user_does_not_allow_shows_why(world):
    client = english(world.handler)
    conflict = client.post(f"/appeals/{world.AP1.pk}/reply/", {"reply-reply": "已办理"})
    assert conflict.status_code == 409
    assert 'data-testid="step-error"' in conflict.content.decode()
    assert "An appeal that is Assigned cannot be replied." in conflict.content.decode()
    refused = english(world.enterprise).post(f"/appeals/{world.AP1.pk}/sign_for/")
    assert refused.status_code == 403
    assert "You may not take this step on this appeal." in refused.content.decode()
    world.AP1.refresh_from_db()
    assert world.AP1.status == Status.ASSIGNED
    assert client.post(f"/appeals/{world.AP1.pk}/explode/").status_code == 404
    assert client.get(f"/appeals/{world.AP1.pk}/explode/").status_code == 404
    assert client.get(f"/appeals/{world.AP1.pk}/sign_for/").status_code == 302


def test_the_steps_of_an_appeal_through_the_pages(world):
    handler, enterprise = english(world.handler), english(world.enterprise)
    url = f"/appeals/{world.AP1.pk}/"
    assert handler.post(url + "sign_for/").status_code == 302
    assert handler.post(url + "reply/", {"reply-reply": "已协调供电局扩容"}).status_code == 302
    dissatisfied = enterprise.post(url + "evaluate/", {"evaluate-rating": "dissatisfied"})
    assert dissatisfied.status_code == 400 and "Say what is still wrong." in dissatisfied.content.decode()
    assert enterprise.post(url + "evaluate/", {"evaluate-rating": "satisfied"}).status_code == 302
    world.AP1.refresh_from_db()
    assert (world.AP1.status, world.AP1.rating) == (Status.EVALUATED, "satisfied")
    page = enterprise.get(url).content.decode()
    assert 'data-testid="appeal-rating"' in page and "已协调供电局扩容" in page
    admin = english(world.admin)
    routed = admin.post(
        f"/appeals/{world.AP1.pk}/assign/",
        {"assign-department": world.D3.pk, "assign-handler": world.handler.pk},
    )
    assert routed.status_code == 409  # an evaluated appeal is not routed again


def test_assigning_offers_the_departments_serving_the_area_and_names_a_wrong_handler(world):
    appeal = recorded(world, world.E3)
    services.return_appeal(appeal, by=world.handler, reason="不属本部门")
    client = english(world.admin)
    form = client.get(f"/appeals/{appeal.pk}/").context["steps"][0]["form"]
    assert set(form.fields["department"].queryset) == {world.D1, world.D3}
    wrong = client.post(
        f"/appeals/{appeal.pk}/assign/",
        {"assign-department": world.D3.pk, "assign-handler": world.handler.pk},
    )
    assert wrong.status_code == 400
    assert "The handler does not work in that department." in wrong.content.decode()
    assert client.post(f"/appeals/{appeal.pk}/assign/", {"assign-department": world.D3.pk}).status_code == 302
    appeal.refresh_from_db()
    assert appeal.department == world.D3 and appeal.status == Status.ASSIGNED


def test_files_are_attached_and_served_to_those_who_see_the_appeal(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = english(world.enterprise)
    empty = client.post(f"/appeals/{world.AP1.pk}/attach/", {})
    assert empty.status_code == 400 and "Choose a file." in empty.content.decode()
    upload = SimpleUploadedFile("用电申请.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    assert client.post(f"/appeals/{world.AP1.pk}/attach/", {"attach-file": upload}).status_code == 302
    attachment = world.AP1.attachments.get()
    url = f"/appeals/{world.AP1.pk}/files/{attachment.pk}/"
    assert url in client.get(f"/appeals/{world.AP1.pk}/").content.decode()
    served = english(world.handler).get(url)
    assert served.status_code == 200 and b"".join(served.streaming_content) == b"%PDF-1.4 test"
    assert english(world.outsider).get(url).status_code == 404


def test_the_dashboard_counts_replies_and_ratings(world):
    services.sign_for(world.AP1, by=world.handler)
    services.reply(world.AP1, by=world.handler, reply="已办理")
    services.evaluate(world.AP1, by=world.enterprise, rating="satisfied")
    page = english(world.admin).get(f"/appeals/dashboard/?area={world.Z1.pk}")
    total = page.context["total"]
    assert (total.total, total.replied, total.rated, total.satisfied) == (1, 1, 1, 1)
    body = page.content.decode()
    assert 'data-testid="kpi-satisfaction">100.0%' in body and 'data-testid="chart-categories"' in body
    assert f"within={world.Z1.pk}" in page.context["export_query"]
    empty = english(world.admin).get("/appeals/dashboard/?received_from=2020-01-01&received_to=2020-12-31")
    assert empty.context["total"].total == 0
    assert english(world.root).get("/appeals/dashboard/").context["total"].total == 2


def test_the_export_is_an_xlsx_of_the_filtered_appeals_with_typed_cells(world):
    finance = recorded(world, world.E1, category=Category.FINANCE, title="=贷款贴息")
    answer = english(world.admin).get("/appeals/export/?category=finance")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(answer.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("No.", "Received at", "Enterprise")
    assert [r[0] for r in rows[1:]] == [finance.pk]
    assert isinstance(rows[1][1], datetime.datetime) and isinstance(rows[1][12], datetime.datetime)
    assert rows[1][7] == "'=贷款贴息"  # never run as a formula
    everything = english(world.admin).get("/appeals/export/")
    ids = [
        r[0]
        for r in load_workbook(io.BytesIO(b"".join(everything.streaming_content))).active.iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert sorted(ids) == sorted([world.AP1.pk, finance.pk])  # not AP2, out of scope
    assert english(world.admin).get("/appeals/export/?received_from=nonsense").status_code == 400


def test_symposia_are_listed_held_and_counted_live(world):
    recorded(world, world.E1, symposium=world.SY1, title="座谈会诉求")
    client = english(world.service_officer)
    listing = client.get("/symposia/")
    row = next(s for s in listing.context["symposia"] if s.pk == world.SY1.pk)
    assert (row.appeal_count, row.solved, row.in_progress) == (1, 0, 1)
    assert listing.context["may_create"] is True
    missing = client.post("/symposia/", {"area": world.Z1.pk, "title": "", "held_on": "2026-03-10"})
    assert missing.status_code == 400 and "Give the symposium a title." in missing.content.decode()
    held = client.post(
        "/symposia/",
        {"area": world.Z1.pk, "title": "二季度座谈会", "held_on": "2026-04-10", "attendees": "甲\n乙"},
    )
    symposium = Symposium.objects.get(title="二季度座谈会")
    assert held.status_code == 302 and held.url == symposium.get_absolute_url()
    page = client.get(f"/symposia/{world.SY1.pk}/").content.decode()
    assert "座谈会诉求" in page and f"/appeals/new/?symposium={world.SY1.pk}" in page
    assert 'hx-trigger="every 30s"' in page
    fragment = client.get(f"/symposia/{world.SY1.pk}/?part=counts", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="count-in-progress">1<' in fragment and "<html" not in fragment
    assert english(world.handler).post("/symposia/", {"title": "x"}).status_code == 403
    assert client.get(f"/symposia/{world.SY2.pk}/").status_code == 404


def test_the_workbench_shows_the_officers_enterprises_visits_and_report(world):
    world.E1.service_officer = world.service_officer
    world.E1.save()
    client = english(world.service_officer)
    page = client.get("/workbench/?month=2026-03")
    assert page.context["officer"] == world.service_officer and page.context["chooses"] is False
    assert [(e.pk, e.open_appeals) for e in page.context["enterprises"]] == [(world.E1.pk, 1)]
    assert [a.pk for a in page.context["appeals"]] == [world.AP1.pk]
    assert [v.pk for v in page.context["visits"]] == [world.V1.pk]
    assert page.context["mine"] == {
        "officer": "service_officer",
        "visits": 1,
        "enterprises": 1,
        "appeals_raised": 0,
        "name": str(world.service_officer),
    }
    assert f"/appeals/new/?visit={world.V1.pk}" in page.content.decode()
    future = client.post(
        "/workbench/", {"enterprise": world.E1.pk, "visited_on": "2099-01-01", "summary": "x"}
    )
    assert (
        future.status_code == 400
        and "A visit is recorded once it has taken place." in future.content.decode()
    )
    today = datetime.date.today().isoformat()
    assert (
        client.post(
            "/workbench/", {"enterprise": world.E1.pk, "visited_on": today, "summary": "回访"}
        ).status_code
        == 302
    )
    assert Visit.objects.filter(officer=world.service_officer).count() == 2


def test_superusers_and_area_staff_choose_the_officer(world):
    root = english(world.root).get(f"/workbench/?officer={world.service_officer.pk}")
    assert root.context["chooses"] is True and root.context["officer"] == world.service_officer
    assert world.service_officer in root.context["officers"]
    admin = english(world.admin).get("/workbench/")
    assert admin.context["officer"] == world.service_officer
    assert english(world.admin).get(f"/workbench/?officer={world.outsider.pk}").status_code == 404
    nobody = english(world.enterprise).get("/workbench/")
    assert nobody.context["officer"] is None and "for chief service officers" in nobody.content.decode()
