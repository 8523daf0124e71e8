"""The whitelist's own routes walked by every caller (the customs sheet, the warnings), what the API
answers a movement beyond the approved quantity (409 naming the field and the item, nothing written),
document numbers masked for whoever need not see them, and fields named in a 400; the resources and
the steps themselves are in tests/test_permission_matrix.py."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from zoneos.core.roles import Role
from zoneos.testing.world import ALL_USERS
from zoneos.whitelist import services
from zoneos.whitelist.models import Movement, RefusedMovement, WhitelistApplication

from .world import approved

pytestmark = pytest.mark.django_db
EVERY_ROLE = {r.value for r in Role}
KEEPERS = {Role.ADMIN.value, Role.PARK_STAFF.value, Role.SERVICE_OFFICER.value, Role.ENTERPRISE.value}


def rows(response):
    content = b"".join(response.streaming_content)
    return [list(r) for r in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]


@pytest.mark.parametrize("caller", [*ALL_USERS, None])
def test_every_caller_on_the_customs_sheet_and_the_warnings(world, api, caller):
    w = world
    WhitelistApplication.objects.filter(pk=w.WA4.pk).update(
        valid_to=timezone.localdate() + datetime.timedelta(days=9)
    )
    client = api(w.users[caller] if caller else None)
    sheet = client.get(f"/api/v1/whitelist-applications/{w.WA4.pk}/customs-sheet/")
    other = client.get(f"/api/v1/whitelist-applications/{w.WA5.pk}/customs-sheet/")
    found = client.get("/api/v1/whitelist-applications/warnings/")
    outside = client.get("/api/v1/whitelist-applications/warnings/", {"area": w.Z2.pk})
    if caller is None:
        assert {sheet.status_code, other.status_code, found.status_code, outside.status_code} == {401}
        return
    root = caller == "root"
    reader = root or caller in EVERY_ROLE
    assert sheet.status_code == (200 if reader else 404)
    assert other.status_code == (200 if root else 404)
    assert found.status_code == 200
    expiring = [row["application"] for row in found.json()["expiring"]]
    assert expiring == ([w.WA4.pk] if reader else [])
    assert outside.status_code == (200 if root else 404)


def test_the_customs_sheet_holds_the_fields_customs_asks_for(world, api):
    w = world
    w.E1.uscc = "91440300MA5FXK7Q1W"
    w.E1.save(update_fields=["uscc"])
    application = approved(w)
    # A purpose written like a formula is written as text, never run when the sheet is opened.
    services.Item.objects.filter(pk=w.medium.pk).update(purpose='=HYPERLINK("http://x")')
    answer = api(w.admin).get(f"/api/v1/whitelist-applications/{application.pk}/customs-sheet/")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    header, *lines = rows(answer)
    assert header == [
        "Applicant", "USCC", "Item name", "HS code", "Specification", "Quantity", "Unit", "Value (yuan)",
        "Origin", "Purpose", "Project", "Validity period",
    ]  # fmt: skip
    period = f"{application.valid_from.isoformat()} – {application.valid_to.isoformat()}"
    assert lines[0] == [
        w.E1.name, "91440300MA5FXK7Q1W", "质谱仪", "9027812000", None, 2, "台", 3200000, "德国",
        "蛋白质组学分析", "深港联合合成生物学实验室", period,
    ]  # fmt: skip
    assert lines[1][9] == '\'=HYPERLINK("http://x")'
    chinese = api(w.admin, language="zh-hans").get(
        f"/api/v1/whitelist-applications/{application.pk}/customs-sheet/"
    )
    assert rows(chinese)[0][:4] == ["申请单位", "统一社会信用代码", "物品名称", "HS编码"]


def test_a_movement_beyond_the_approved_quantity_answers_409_naming_the_field_and_the_item(world, api):
    w = world
    approved(w)
    client = api(w.enterprise)
    url = "/api/v1/whitelist-movements/"
    ok = client.post(url, {"item": w.spectrometer.pk, "direction": "in", "quantity": "2"}, format="json")
    assert ok.status_code == 201 and ok.json()["application"] == w.spectrometer.application_id
    refused = client.post(url, {"item": w.spectrometer.pk, "direction": "in", "quantity": "1"}, format="json")
    assert refused.status_code == 409
    body = refused.json()
    assert body["field"] == "quantity" and body["item"] == w.spectrometer.pk
    assert "质谱仪" in body["detail"]
    assert Movement.objects.filter(item=w.spectrometer).count() == 1  # nothing written
    assert RefusedMovement.objects.filter(item=w.spectrometer).count() == 1
    out = client.post(url, {"item": w.spectrometer.pk, "direction": "out", "quantity": "3"}, format="json")
    assert out.status_code == 409 and out.json()["field"] == "quantity"
    item = client.get(f"/api/v1/whitelist-items/{w.spectrometer.pk}/").json()
    assert (item["approved_quantity"], item["imported"], item["exported"], item["in_zone"]) == (
        "2.000", "2.000", "0.000", "2.000",
    )  # fmt: skip
    bad = client.post(url, {"item": w.spectrometer.pk, "direction": "up", "quantity": "x"}, format="json")
    assert bad.status_code == 400 and {"direction", "quantity"} <= set(bad.json())


def test_document_numbers_are_masked_for_whoever_need_not_see_them(world, api):
    w = world
    url = f"/api/v1/whitelist-entities/{w.WE1.pk}/"
    for caller, shown in (
        ("admin", "HWE112345"),
        ("park_staff", "HWE112345"),
        ("enterprise", "HWE112345"),
        ("leader", "H******45"),
        ("statistician", "H******45"),
        ("handler", "H******45"),
    ):
        assert api(w.users[caller]).get(url).json()["id_number"] == shown, caller
    listed = api(w.leader).get("/api/v1/whitelist-entities/").json()["results"]
    assert all("*" in row["id_number"] for row in listed)


def test_an_application_answers_with_its_items_balances_and_steps(world, api):
    w = world
    application = approved(w)
    body = api(w.admin).get(f"/api/v1/whitelist-applications/{application.pk}/").json()
    assert body["status"] == "approved" and body["approval_number"] == "深关白〔2026〕18号"
    assert [i["name"] for i in body["items"]] == ["质谱仪", "细胞培养基"]
    assert body["items"][1]["approved_quantity"] == "100.000" and body["items"][1]["in_zone"] == "0.000"
    assert [s["kind"] for s in body["steps"]][-1] == "approve"
    assert body["allowed_actions"] == []
    wrong = api(w.enterprise).post(
        "/api/v1/whitelist-items/",
        {
            "application": w.WA1.pk,
            "category": "reagent",
            "name": "试剂",
            "hs_code": "38221",
            "quantity": "1",
            "unit": "盒",
        },
        format="json",
    )
    assert wrong.status_code == 400 and "hs_code" in wrong.json()
    late = api(w.enterprise).patch(
        f"/api/v1/whitelist-items/{w.medium.pk}/", {"quantity": "5"}, format="json"
    )
    assert late.status_code == 409  # approved: the items stay as customs approved them
