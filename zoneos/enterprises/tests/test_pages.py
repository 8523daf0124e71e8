"""Registry pages: the list filters and exports what the user may see, forms show errors at their
field and write nothing, an enterprise's page shows labels, figures and history."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zoneos.enterprises.models import Enterprise, Indicator

pytestmark = pytest.mark.django_db

VALID = "91440305MA5FXK7Q1W"


def test_the_list_shows_only_the_users_enterprises_and_filters_them(world, client):
    client.force_login(world.park_staff)
    page = client.get("/enterprises/").content.decode()
    assert world.E1.name in page and world.E2.name not in page
    Enterprise.objects.filter(pk=world.E1.pk).update(name="小鹏汽车科技有限公司", name_initials="xpqckjyxgs")
    found = client.get("/enterprises/", {"q": "xpqc"}, headers={"hx-request": "true"}).content.decode()
    assert "小鹏汽车科技有限公司" in found and world.E3.name not in found
    assert "<html" not in found  # htmx gets the table only


def test_the_page_export_follows_the_filters(world, client):
    client.force_login(world.root)
    response = client.get("/enterprises/export/", {"q": world.E2.name, "as": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert world.E2.name in text and world.E1.name not in text


def test_an_invalid_code_in_the_form_is_shown_at_the_field_and_nothing_is_saved(world, client):
    client.force_login(world.park_staff)
    response = client.post(
        "/enterprises/new/",
        {
            "name": "表单企业",
            "area": world.P1.pk,
            "uscc": VALID[:-1] + "X",
            "capital_origin": "domestic",
            "status": "active",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "uscc" in form.errors and "W" in form.errors["uscc"][0]
    assert not Enterprise.objects.filter(name="表单企业").exists()
    ok = client.post(
        "/enterprises/new/",
        {
            "name": "表单企业",
            "area": world.P1.pk,
            "uscc": VALID,
            "capital_origin": "domestic",
            "status": "active",
        },
    )
    assert ok.status_code == 302
    assert Enterprise.objects.get(name="表单企业").uscc == VALID


def test_an_enterprise_page_shows_labels_figures_and_history_and_others_are_404(world, client):
    client.force_login(world.park_staff)
    page = client.get(f"/enterprises/{world.E1.pk}/").content.decode()
    assert world.E1.name in page and "labels" in page
    figures = client.get(f"/enterprises/{world.E1.pk}/?tab=figures").content.decode()
    assert "figures-chart" in figures and "2024" in figures
    assert client.get(f"/enterprises/{world.E1.pk}/?tab=history").status_code == 200
    assert client.get(f"/enterprises/{world.E2.pk}/").status_code == 404
    assert client.get(f"/enterprises/{world.E2.pk}/figures/new/").status_code == 404


def test_figures_of_a_locked_year_need_a_reason_on_the_page(world, client):
    client.force_login(world.statistician)
    locked = Indicator.objects.create(enterprise=world.E1, year=2020, output_value=100)
    url = f"/enterprises/{world.E1.pk}/figures/{locked.pk}/edit/"
    assert "reason" in client.get(url).context["form"].fields
    response = client.post(url, {"year": 2020, "output_value": "200", "source": "manual"})
    assert "reason" in response.context["form"].errors
    done = client.post(url, {"year": 2020, "output_value": "200", "source": "manual", "reason": "复核更正"})
    assert done.status_code == 302
    locked.refresh_from_db()
    # 200 in the page's unit, 万元
    assert locked.output_value == 2_000_000 and locked.revisions.get().reason == "复核更正"


def test_readers_without_a_writing_role_see_no_forms(world, client):
    client.force_login(world.leader)
    assert client.get("/enterprises/new/").status_code == 403
    assert client.get(f"/enterprises/{world.E1.pk}/edit/").status_code == 403
    assert client.get(f"/enterprises/{world.E1.pk}/figures/new/").status_code == 403


def test_the_import_wizard_reports_errors_and_imports_a_good_file(world, client):
    client.force_login(world.park_staff)
    bad = SimpleUploadedFile("bad.csv", "统一社会信用代码,企业名称,所在园区\n123,坏企业,P1\n".encode())
    response = client.post("/imports/", {"kind": "enterprises", "file": bad}, follow=True)
    page = response.content.decode()
    assert "import-errors" in page and "坏企业" not in page
    good = SimpleUploadedFile("good.csv", f"统一社会信用代码,企业名称,所在园区\n{VALID},好企业,P1\n".encode())
    response = client.post("/imports/", {"kind": "enterprises", "file": good}, follow=True)
    job = response.context["job"]
    assert job.status == "ready"
    client.post(f"/imports/{job.pk}/commit/")
    assert Enterprise.objects.filter(name="好企业", area=world.P1).exists()
    assert client.get("/imports/template/", {"kind": "enterprises"}).status_code == 200
    client.force_login(world.admin)
    assert client.get(f"/imports/{job.pk}/").status_code == 404  # another person's import


def test_the_dashboard_shows_the_area_and_refuses_areas_out_of_reach(world, client):
    client.force_login(world.leader)
    page = client.get("/dashboard/", {"area": world.Z1.pk}).content.decode()
    assert world.Z1.name in page
    assert client.get("/dashboard/", {"area": world.Z2.pk}).status_code == 404
    client.force_login(world.enterprise)
    assert "zo-empty" in client.get("/dashboard/").content.decode()


def test_the_emerging_industries_are_boxes_to_tick_and_the_ticked_ones_are_kept(world, client):
    """Each industry is a checkbox with its label beside it (Bootstrap's form-check), not a box drawn
    as a text input; ticking two keeps those two."""
    import re

    from zoneos.enterprises.models import EmergingIndustry

    client.force_login(world.park_staff)
    html = client.get("/enterprises/new/").content.decode()
    boxes = re.findall(r'<div class="form-check"><input ([^>]*name="emerging_industries"[^>]*)><label', html)
    assert len(boxes) == EmergingIndustry.objects.count() > 1
    assert all('class="form-check-input"' in b and 'type="checkbox"' in b for b in boxes)
    assert not re.search(r'<input[^>]*name="emerging_industries"[^>]*form-control', html)
    ticked = list(EmergingIndustry.objects.order_by("pk")[:2])
    form = {"name": "勾选企业", "area": world.P1.pk, "capital_origin": "domestic", "status": "active"}
    saved = client.post("/enterprises/new/", {**form, "emerging_industries": [i.pk for i in ticked]})
    assert saved.status_code == 302, saved.context and saved.context["form"].errors
    assert set(Enterprise.objects.get(name="勾选企业").emerging_industries.all()) == set(ticked)
    edit = client.get(f"/enterprises/{Enterprise.objects.get(name='勾选企业').pk}/edit/").content.decode()
    assert edit.count(" checked>") == 2
