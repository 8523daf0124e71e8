"""An enterprise's business scope (经营范围): written through the services with its history, through the
API, the page form and the import (a blank cell keeps it), kept with its pinyin for the chains'
suggestions, and refused, naming the field, when it holds a control character or runs too long."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from zoneos.core.codes import build_uscc
from zoneos.enterprises import services
from zoneos.enterprises.imports import EnterpriseSpec
from zoneos.enterprises.models import BUSINESS_SCOPE_MAX, Enterprise

from .test_imports_registry import run

pytestmark = pytest.mark.django_db

SCOPE = "一般项目：集成电路芯片设计及服务；光纤制造。\n许可项目：货物进出口。"
IMPORTS = "/api/v1/imports/"


def code(n: int) -> str:
    return build_uscc("9", "1", "440605", f"MC{n:06d}")


@pytest.fixture
def optic(world):
    return services.create_enterprise(
        by=world.root, uscc=code(1), name="佛山光联科技有限公司", area=world.P1, business_scope=SCOPE
    )


def upload(client, sheet: str, name: str = "名录.csv") -> dict:
    job = client.post(
        IMPORTS,
        {"kind": "enterprises", "file": SimpleUploadedFile(name, sheet.encode("utf-8-sig"))},
        format="multipart",
    ).json()
    return job


def test_the_scope_is_saved_with_its_history_and_its_syllables_through_the_service(world, optic):
    assert optic.business_scope == SCOPE
    assert " xin pian she ji " in optic.business_scope_pinyin
    services.update_enterprise(optic, by=world.park_staff, business_scope="光纤制造；光电子器件制造")
    optic.refresh_from_db()
    assert optic.business_scope == "光纤制造；光电子器件制造"
    assert optic.business_scope_pinyin == " guang xian zhi zao | guang dian zi qi jian zhi zao "
    created, updated = LogEntry.objects.get_for_object(optic).order_by("timestamp", "pk")
    assert created.changes_dict["business_scope"] == [None, SCOPE]
    assert updated.actor == world.park_staff
    assert set(updated.changes_dict) == {"business_scope"}  # the derived syllables are not history
    assert updated.changes_dict["business_scope"] == [SCOPE, "光纤制造；光电子器件制造"]


def test_a_scope_longer_than_a_business_licence_holds_is_refused_naming_it(world, optic):
    with pytest.raises(ValidationError) as refused:
        services.update_enterprise(optic, by=world.root, business_scope="制" * (BUSINESS_SCOPE_MAX + 1))
    assert list(refused.value.message_dict) == ["business_scope"]
    optic.refresh_from_db()
    assert optic.business_scope == SCOPE


def test_the_api_writes_the_scope_and_refuses_a_control_character_naming_it(world, api):
    client = api(world.park_staff)
    created = client.post(
        "/api/v1/enterprises/",
        {"name": "佛山芯联科技有限公司", "area": world.P1.pk, "business_scope": SCOPE},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["business_scope"] == SCOPE  # its line break kept
    url = f"/api/v1/enterprises/{created.json()['id']}/"
    bell = client.patch(url, {"business_scope": "芯片\u0007设计"}, format="json")
    assert bell.status_code == 400
    assert list(bell.json()) == ["business_scope"] and "U+0007" in bell.json()["business_scope"][0]
    assert Enterprise.objects.get(pk=created.json()["id"]).business_scope == SCOPE
    history = client.get(f"{url}history/").json()["results"]
    assert history[0]["changes"]["business_scope"] == [None, SCOPE]


def test_the_page_form_writes_the_scope_and_the_enterprise_page_shows_it(world, client):
    client.force_login(world.park_staff)
    response = client.post(
        "/enterprises/new/",
        {
            "name": "表单企业",
            "area": world.P1.pk,
            "capital_origin": "domestic",
            "status": "active",
            "business_scope": SCOPE,
        },
    )
    assert response.status_code == 302
    enterprise = Enterprise.objects.get(name="表单企业")
    assert enterprise.business_scope == SCOPE
    page = client.get(f"/enterprises/{enterprise.pk}/").content.decode()
    assert "集成电路芯片设计及服务；光纤制造。<br>许可项目：货物进出口。" in page


def test_the_import_sets_the_scope_and_a_blank_cell_keeps_it(world, optic):
    outcome = run(
        EnterpriseSpec(),
        [(2, {"uscc": optic.uscc, "business_scope": "光纤制造；光电子器件制造"})],
        world.statistician,
    )
    assert (outcome.updated, outcome.created) == (1, 0)
    optic.refresh_from_db()
    assert optic.business_scope == "光纤制造；光电子器件制造"
    assert " guang dian zi qi jian " in optic.business_scope_pinyin
    update = LogEntry.objects.get_for_object(optic).filter(action=LogEntry.Action.UPDATE).get()
    assert set(update.changes) == {"business_scope"}
    # A row without the column, or with a blank cell, says nothing about the scope.
    outcome = run(EnterpriseSpec(), [(2, {"uscc": optic.uscc, "address": "科技路8号"})], world.statistician)
    assert outcome.updated == 1
    optic.refresh_from_db()
    assert optic.business_scope == "光纤制造；光电子器件制造"


def test_a_sheet_maps_its_scope_column_by_the_chinese_or_english_header(world, api, optic):
    client = api(world.statistician)
    sheet = f"统一社会信用代码,企业名称,所在园区,经营范围\n{code(2)},佛山新材科技有限公司,P1,金属粉末制造\n"
    job = upload(client, sheet)
    assert job["status"] == "ready", job["errors"]
    client.post(f"{IMPORTS}{job['id']}/commit/")
    created = Enterprise.objects.get(uscc=code(2))
    assert created.business_scope == "金属粉末制造"
    assert created.business_scope_pinyin == " jin shu fen mo zhi zao "
    # The English header; the blank cell keeps the stored scope, the other row changes its own.
    sheet = (
        "USCC,Name,Business scope\n"
        f"{optic.uscc},佛山光联科技有限公司,\n"
        f'{code(2)},佛山新材科技有限公司,"金属粉末制造；\n3D打印材料销售"\n'
    )
    job = upload(client, sheet, "enterprises.csv")
    assert job["status"] == "ready", job["errors"]
    assert (job["updated"], job["unchanged"]) == (1, 1)
    client.post(f"{IMPORTS}{job['id']}/commit/")
    optic.refresh_from_db()
    assert optic.business_scope == SCOPE
    assert Enterprise.objects.get(uscc=code(2)).business_scope == "金属粉末制造；\n3D打印材料销售"


def test_a_control_character_in_an_imported_scope_is_an_error_of_its_row_and_column(world, api, optic):
    client = api(world.statistician)
    job = upload(
        client, f"统一社会信用代码,企业名称,经营范围\n{optic.uscc},佛山光联科技有限公司,光纤\u0007制造\n"
    )
    assert job["status"] == "invalid"
    [error] = job["errors"]
    assert (error["row"], error["column"]) == (2, "经营范围") and "U+0007" in error["message"]
    optic.refresh_from_db()
    assert optic.business_scope == SCOPE


def test_the_export_carries_the_scope(world, client, settings, optic):
    client.force_login(world.root)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/enterprises/export/", {"q": optic.name, "as": "csv"})
    header, row = b"".join(response.streaming_content).decode("utf-8-sig").split("\r\n", 1)
    assert "Business scope" in header.split(",")
    assert "集成电路芯片设计及服务" in row
