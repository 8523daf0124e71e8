"""Research projects' pages, server side, in English and Chinese: who sees which projects, the dashboard's
budget, progress, warnings and evaluation, and the forms on it writing through the services with their
refusals shown."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zoneos.research.models import BudgetAdjustment, Expenditure, ResearchProject

pytestmark = pytest.mark.django_db


def client_for(user, language="en") -> Client:
    client = Client()
    client.cookies["zoneos_language"] = language
    client.force_login(user)
    return client


def page(client, url, status=200) -> str:
    answer = client.get(url)
    assert answer.status_code == status, (url, answer.status_code)
    return answer.content.decode()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_list_shows_a_parks_projects_with_their_warnings(world, language):
    Expenditure.objects.create(
        project=world.RP1, category="labour", amount=Decimal("250000"), spent_on=datetime.date(2025, 4, 1),
        description="劳务", voucher_no="PZ-OVER",
    )  # fmt: skip
    text = page(client_for(world.park_staff, language), "/research/")
    assert 'data-testid="project-RP1"' in text and 'data-testid="project-RP2"' not in text
    assert 'data-testid="warning-RP1-over"' in text
    assert ('<html lang="zh-CN">' in text) == (language == "zh-hans")
    warned = page(client_for(world.park_staff, language), "/research/?warned=1")
    assert 'data-testid="project-RP1"' in warned and 'data-testid="project-RP4"' not in warned
    enterprise = page(client_for(world.enterprise, language), "/research/")
    assert 'data-testid="project-RP1"' in enterprise and 'data-testid="project-RP3"' not in enterprise


def test_who_may_open_a_project(world):
    page(client_for(world.park_staff), f"/research/{world.RP2.pk}/", 404)
    page(client_for(world.enterprise), f"/research/{world.RP3.pk}/", 404)
    page(client_for(world.stranger), f"/research/{world.RP1.pk}/", 404)
    assert Client().get(f"/research/{world.RP1.pk}/").status_code == 302
    page(client_for(world.leader), "/research/new/", 403)
    page(client_for(world.enterprise), f"/research/{world.RP1.pk}/edit/", 403)
    mine = page(client_for(world.enterprise), f"/research/{world.RP4.pk}/")
    assert world.RV1.name not in mine  # experts stay anonymous to the applicant
    assert 'data-testid="take-' not in mine and 'data-testid="adjustment-form"' not in mine


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_dashboard_shows_budget_progress_evaluation_and_the_steps_a_keeper_may_take(world, language):
    staff = client_for(world.admin, language)
    text = page(staff, f"/research/{world.RP1.pk}/")
    assert 'data-testid="line-materials"' in text and 'data-testid="kpi-time"' in text
    assert 'data-testid="take-pass_midterm"' in text and 'data-testid="expenditure-form"' in text
    assert "PZ-EX1" in text
    evaluating = page(staff, f"/research/{world.RP4.pk}/")
    assert 'data-testid="reviewer-form"' in evaluating and world.RV1.name in evaluating
    assert 'data-testid="take-approve"' not in evaluating  # no result yet


def test_the_evaluation_panel_drops_the_highest_and_the_lowest_and_refuses_a_conflicted_expert(world):
    staff = client_for(world.park_staff)
    url = f"/research/{world.RP4.pk}/"
    for name in ("甲专家", "乙专家", "丙专家"):
        assert staff.post(url, {"form": "reviewer", "name": name, "organisation": "某院"}).status_code == 302
    reviewers = list(world.RP4.reviewers.order_by("pk"))  # RV1, RV3, 甲, 乙, 丙
    totals = {reviewers[0]: 30, reviewers[2]: 20, reviewers[3]: 10, reviewers[4]: 5}
    for reviewer, top in totals.items():
        points = {
            "reviewer": reviewer.pk,
            "innovation": top,
            "feasibility": 0,
            "team": 0,
            "budget": 0,
            "impact": 0,
        }
        assert staff.post(url, {"form": "score", **points}).status_code == 302
    declared = staff.post(url, {"form": "conflict", "reviewer": reviewers[1].pk, "conflict": "on",
                                "conflict_note": "合作者"})  # fmt: skip
    assert declared.status_code == 302
    refused = staff.post(url, {"form": "score", "reviewer": reviewers[1].pk, "innovation": 5}, follow=True)
    assert "declared a conflict of interest" in refused.content.decode()
    wrong = staff.post(url, {"form": "score", "reviewer": reviewers[2].pk, "innovation": 45, "feasibility": 1,
                             "team": 1, "budget": 1, "impact": 1})  # fmt: skip
    assert wrong.status_code == 400
    text = page(staff, url)
    assert (
        f'data-testid="dropped-{reviewers[0].pk}"' in text
        and f'data-testid="dropped-{reviewers[4].pk}"' in text
    )
    assert 'data-testid="evaluation-result">15.00<' in text  # (20 + 10) / 2
    approve = page(client_for(world.admin), url)
    assert 'data-testid="take-approve"' in approve


def test_an_adjustment_that_breaks_a_rule_is_refused_on_the_page_and_a_large_one_awaits_an_admin(world):
    staff = client_for(world.park_staff)
    url = f"/research/{world.RP1.pk}/"
    move = {"form": "adjustment", "from_category": "labour", "to_category": "equipment", "amount": "1",
            "reason": "设备"}  # fmt: skip
    refused = staff.post(url, move, follow=True).content.decode()
    assert "may not rise" in refused and "equipment" in refused
    big = {**move, "to_category": "testing", "amount": "15"}  # 150,000 yuan: beyond 10 % of 1,000,000
    assert "awaits an admin" in staff.post(url, big, follow=True).content.decode()
    pending = BudgetAdjustment.objects.get(project=world.RP1, status="pending")
    assert f'data-testid="approve-adjustment-{pending.pk}"' not in page(staff, url)
    admin = client_for(world.admin)
    assert f'data-testid="approve-adjustment-{pending.pk}"' in page(admin, url)
    admin.post(url, {"form": "decide", "adjustment": pending.pk, "decision": "approve", "opinion": "同意"})
    pending.refresh_from_db()
    assert pending.status == "effective"


def test_an_expenditure_with_its_voucher_and_the_auditors_workbook(world):
    staff = client_for(world.park_staff)
    url = f"/research/{world.RP1.pk}/"
    scan = SimpleUploadedFile("voucher.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    entry = {"form": "expenditure", "category": "materials", "spent_on": "2025-08-01", "description": "试剂"}
    posted = staff.post(url, {**entry, "amount": "1.2", "voucher_no": "PZ-2025-08", "voucher": scan})
    assert posted.status_code == 302
    spent = Expenditure.objects.get(voucher_no="PZ-2025-08")
    assert spent.amount == Decimal("12000.00")  # typed in 万元
    download = staff.get(f"/research/expenditures/{spent.pk}/voucher/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert client_for(world.outsider).get(f"/research/expenditures/{spent.pk}/voucher/").status_code == 404
    missing = staff.post(url, {**entry, "amount": "1", "voucher_no": ""})
    assert missing.status_code == 400 and "Give the voucher number." in missing.content.decode()
    book = staff.get(f"/research/{world.RP1.pk}/workbook/")
    from openpyxl import load_workbook

    sheets = load_workbook(io.BytesIO(b"".join(book.streaming_content)))
    assert sheets.sheetnames[:4] == ["Project", "Budget", "Adjustments", "Expenditures"]
    vouchers = [row[4].value for row in sheets["Expenditures"].iter_rows(min_row=2)]
    assert "PZ-2025-08" in vouchers and "PZ-EX1" in vouchers
    # Shares are the numbers themselves, shown as per cents (not 0.4521 to be read as a fraction).
    about = {row[0].value: row[1] for row in sheets["Project"].iter_rows(min_row=2)}
    for item in ("Time progress", "Spending progress"):
        assert about[item].number_format == "0.0%" and 0 <= about[item].value <= 1, item
    materials = next(r for r in sheets["Budget"].iter_rows(min_row=2) if r[1].value == "materials")
    assert materials[5].number_format == "0.0%"
    assert materials[5].value == pytest.approx(
        float(materials[3].value) / float(materials[2].value), abs=5e-5
    )


def test_a_keeper_creates_a_project_with_its_budget_and_partners(world):
    staff = client_for(world.park_staff)
    form = {
        "programme": world.RG1.pk, "area": world.P1.pk, "code": "NEW-1", "title": "新材料研究",
        "enterprise": world.E1.pk,
        "partners_text": "香港理工大学 | hk\n中山大学", "pi_name": "何博士", "starts_on": "2026-01-01",
        "ends_on": "2027-12-31", "budget_equipment": "50", "budget_indirect": "5",
    }  # fmt: skip
    answer = staff.post("/research/new/", form)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    project = ResearchProject.objects.get(code="NEW-1")
    assert project.partners == [
        {"name": "香港理工大学", "region": "hk"},
        {"name": "中山大学", "region": "mainland"},
    ]
    assert {line.category: line.amount for line in project.budget_lines.all()} == {
        "equipment": Decimal("500000.00"),
        "indirect": Decimal("50000.00"),
    }
    too_much = staff.post("/research/new/", {**form, "code": "NEW-2", "budget_indirect": "50"})
    assert too_much.status_code == 200 and "Indirect costs may be at most 20 %" in too_much.content.decode()


def test_a_keeper_takes_an_expert_off_deletes_a_wrong_expenditure_and_an_unsent_application(world):
    """What the API lets a keeper undo, the pages do too, each after a confirmation and through the same
    service (which refuses what the project's state forbids)."""
    staff = client_for(world.park_staff)
    panel = page(staff, f"/research/{world.RP4.pk}/")
    assert f'data-testid="remove-reviewer-{world.RV3.pk}"' in panel
    assert "Remove the expert" in page(staff, f"/research/reviewers/{world.RV3.pk}/remove/")
    gone = staff.post(f"/research/reviewers/{world.RV3.pk}/remove/")
    assert gone["Location"] == f"/research/{world.RP4.pk}/#evaluation"
    assert not world.RP4.reviewers.filter(pk=world.RV3.pk).exists()

    assert 'data-testid="delete-expenditure-PZ-EX3"' in page(staff, f"/research/{world.RP1.pk}/")
    done = staff.post(f"/research/expenditures/{world.EX3.pk}/delete/")
    assert done["Location"] == f"/research/{world.RP1.pk}/#expenditures"
    assert not Expenditure.objects.filter(pk=world.EX3.pk).exists()
    mine = client_for(world.enterprise)
    assert 'data-testid="delete-expenditure-' not in page(mine, f"/research/{world.RP1.pk}/")
    page(mine, f"/research/expenditures/{world.EX1.pk}/delete/", 403)

    assert 'data-testid="delete-project"' in page(staff, f"/research/{world.RP3.pk}/")
    assert 'data-testid="delete-project"' not in page(staff, f"/research/{world.RP1.pk}/")
    refused = staff.post(f"/research/{world.RP1.pk}/delete/", follow=True)
    assert "Only an application not yet submitted may be deleted." in refused.content.decode()
    assert staff.post(f"/research/{world.RP3.pk}/delete/")["Location"] == "/research/"
    assert set(ResearchProject.objects.filter(pk__in=[world.RP1.pk, world.RP3.pk])) == {world.RP1}
