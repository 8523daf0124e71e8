"""Defects found by trying the pipeline as a new user would (issue 18)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zoneos.pipeline.models import StageEvent

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.cookies["zoneos_language"] = "en"
    client.force_login(user)
    return client


def upload_evidence(world, api):
    agreement = SimpleUploadedFile("投资协议.pdf", b"%PDF-1.4 agreement", content_type="application/pdf")
    response = api(world.investment_officer).post(
        f"/api/v1/projects/{world.PR1.pk}/transition/",
        {"to": "signed", "on": "2025-05-20", "evidence": agreement},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    return StageEvent.objects.get(project=world.PR1, to_category="signed"), response.json()


def test_evidence_is_downloaded_through_the_projects_scope_never_a_media_url(world, api):
    event, body = upload_evidence(world, api)
    page = client_for(world.investment_officer).get(f"/projects/{world.PR1.pk}/").content.decode()
    assert "/media/" not in page
    link = f"/projects/{world.PR1.pk}/evidence/{event.pk}/"
    assert f'href="{link}"' in page
    assert body["events"][-1]["evidence"] == f"http://testserver{link}"
    got = client_for(world.investment_officer).get(link)
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 agreement"
    assert "attachment" in got["Content-Disposition"]
    # Whoever does not see the project gets 404, as for the project itself; anonymous is sent to sign in.
    assert client_for(world.enterprise).get(link).status_code == 404
    assert client_for(world.users["outsider"]).get(link).status_code == 404
    assert Client().get(link).status_code == 302
    # Another project's id with this move's id: 404.
    assert client_for(world.root).get(f"/projects/{world.PR2.pk}/evidence/{event.pk}/").status_code == 404


def test_the_new_project_form_offers_the_areas_investment_officers_only(world):
    form = client_for(world.admin).get("/projects/new/").context["form"]
    offered = {u.username for u in form.fields["owner"].queryset}
    assert offered == {"investment_officer"}
    assert "enterprise" not in offered and "handler" not in offered


def conflict_in_z1(world):
    from zoneos.pipeline import services
    from zoneos.pipeline.models import InvestorConflict

    world.PR1.investor_name = "甲方科技（深圳）有限公司"
    world.PR1.save()
    other = services.create_project(
        by=world.root, name="二号园新项目", investor_name="甲方科技（深圳）有限公司", area=world.P2
    )
    return InvestorConflict.objects.get(), other


def test_resolving_a_conflict_asks_for_confirmation_and_a_reason_and_links_both_projects(world):
    from zoneos.pipeline.models import ConflictStatus, Project

    conflict, other = conflict_in_z1(world)
    client = client_for(world.investment_officer)
    listing = client.get("/projects/conflicts/").content.decode()
    assert f'href="/projects/{world.PR1.pk}/"' in listing and f'href="/projects/{other.pk}/"' in listing
    url = f"/projects/conflicts/{conflict.pk}/resolve/"
    # One click only asks: both projects with their stages, which one is dropped.
    asked = client.post(url, {"area": world.P1.pk})
    html = asked.content.decode()
    assert asked.status_code == 200 and 'data-testid="confirm-conflict"' in html
    assert f'href="/projects/{world.PR1.pk}/"' in html and f'href="/projects/{other.pk}/"' in html
    assert asked.context["dropped"] == [other] and "Lead" in html
    conflict.refresh_from_db()
    other.refresh_from_db()
    assert conflict.status == ConflictStatus.OPEN and other.stage == "lead"
    # Confirmed without a reason: asked again.
    no_reason = client.post(url, {"area": world.P1.pk, "confirm": "1", "note": " "})
    assert no_reason.status_code == 400 and 'data-testid="conflict-error"' in no_reason.content.decode()
    assert Project.objects.get(pk=other.pk).stage == "lead"
    done = client.post(url, {"area": world.P1.pk, "confirm": "1", "note": "一号园已谈至签约前"})
    assert done.status_code == 302
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.RESOLVED and conflict.note == "一号园已谈至签约前"
    assert Project.objects.get(pk=other.pk).stage == "dropped"


def test_a_move_before_the_lead_date_says_to_backdate_it_and_the_form_allows_it(world):
    import datetime

    from django.contrib.messages import get_messages

    from zoneos.pipeline.models import Project

    client = client_for(world.investment_officer)
    page = client.get(f"/projects/{world.PR1.pk}/").content.decode()
    assert 'data-testid="backdate-lead"' in page
    refused = client.post(f"/projects/{world.PR1.pk}/move/", {"to": "negotiating", "on": "2025-02-10"})
    said = " ".join(str(m) for m in get_messages(refused.wsgi_request))
    assert "became a lead on 2025-03-01" in said and "Move the lead date back" in said
    assert Project.objects.get(pk=world.PR1.pk).stage == "lead"
    moved = client.post(
        f"/projects/{world.PR1.pk}/move/", {"to": "negotiating", "on": "2025-02-10", "backdate_lead": "on"}
    )
    assert moved.status_code == 302
    project = Project.objects.get(pk=world.PR1.pk)
    assert (project.stage, project.lead_on) == ("negotiating", datetime.date(2025, 2, 10))
    lead = project.events.get(to_category="lead")
    assert lead.on == datetime.date(2025, 2, 10) and lead.days == 0
    # Past the lead, the checkbox is gone and the message says to date the move after the stage.
    assert 'data-testid="backdate-lead"' not in client.get(f"/projects/{world.PR1.pk}/").content.decode()
    again = client.post(f"/projects/{world.PR1.pk}/move/", {"to": "signed", "on": "2025-01-01"})
    assert "date the move on or after that day" in " ".join(str(m) for m in get_messages(again.wsgi_request))


def test_the_funnel_is_never_wider_at_a_later_stage():
    from zoneos.pipeline.views import funnel_shape

    stages = [{"name": n, "entered": c} for n, c in (("线索", 5), ("洽谈", 2), ("签约", 4), ("注册", 1))]
    shaped = funnel_shape(stages)
    assert [r["value"] for r in shaped] == [5, 2, 2, 1]
    assert [r["count"] for r in shaped] == [5, 2, 4, 1]  # the labels keep the counts


def test_the_funnel_page_draws_the_capped_widths(world):
    page = client_for(world.investment_officer).get("/projects/funnel/")
    rows = page.context["charts"]["funnel"]
    assert all(later["value"] <= earlier["value"] for earlier, later in zip(rows, rows[1:], strict=False))


def test_the_funnel_reads_every_amount_in_one_unit(world):
    import re

    other_units = {
        "zh-hans": r"\d 元<|万元|100 million",
        "en": r"\d yuan<|[^d] million yuan<|ten thousand yuan",
    }
    for language, unit in (("zh-hans", "亿元"), ("en", "hundred million yuan")):
        client = client_for(world.investment_officer)
        client.cookies["zoneos_language"] = language
        page = client.get("/projects/funnel/")
        html = page.content.decode()
        assert f"0.00 {unit}<" in html and page.context["unit"] == unit
        assert not re.search(other_units[language], html), language


def test_the_project_form_takes_amounts_in_wan_or_yi(world):
    from decimal import Decimal

    from zoneos.pipeline.models import Project

    client = client_for(world.investment_officer)
    answer = client.post(
        "/projects/new/",
        {
            "name": "万亿项目",
            "investor_name": "乙方科技有限公司",
            "area": world.P2.pk,
            "source": "own_lead",
            "capital_origin": "domestic",
            "total_investment": "1.5亿",
            "fixed_asset_investment": "8000万元",
            "expected_tax": "2,500",
        },
    )
    assert answer.status_code == 302, answer.context["form"].errors
    project = Project.objects.get(name="万亿项目")
    assert (project.total_investment, project.fixed_asset_investment, project.expected_tax) == (
        Decimal("150000000.00"),
        Decimal("80000000.00"),
        Decimal("2500.00"),
    )
    bad = client.post(
        f"/projects/{project.pk}/edit/",
        {
            "name": "万亿项目",
            "investor_name": "乙方科技有限公司",
            "area": world.P2.pk,
            "total_investment": "很多",
        },
    )
    assert bad.status_code == 200 and "万元 or 亿元" in bad.content.decode()
