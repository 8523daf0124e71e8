"""Import of an existing project ledger through the registry's import engine."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zoneos.pipeline.models import InvestorConflict, Project

pytestmark = pytest.mark.django_db
HEADER = "项目名称,投资方,落户园区,行业代码,总投资（亿元）,项目阶段,入库日期,阶段日期\n"


def upload(client, text, name="ledger.csv"):
    file = SimpleUploadedFile(name, text.encode("utf-8-sig"))
    response = client.post("/api/v1/imports/", {"kind": "projects", "file": file}, format="multipart")
    assert response.status_code == 201, response.content
    return response.json()


def test_a_ledger_with_bad_rows_writes_nothing_then_a_good_one_imports(world, api):
    client = api(world.investment_officer)
    before = Project.objects.count()
    bad = upload(
        client,
        HEADER
        + "储能电站项目,甲乙储能有限公司,P1,3841,12.5,已签约,2025-01-05,2025-04-01\n"
        + "外区项目,丙丁有限公司,P3,3841,3,线索,2025-01-05,\n"  # row 3: a park out of reach
        + "日期错项目,戊己有限公司,P1,3841,abc,在建,2025-05-01,2025-04-01\n",  # row 4: amount, dates
    )
    assert bad["status"] == "invalid"
    problems = {(e["row"], e["column"]) for e in bad["errors"]}
    assert problems == {(3, "落户园区"), (4, "总投资（亿元）"), (4, "阶段日期")}
    assert Project.objects.count() == before

    good = upload(
        client,
        HEADER
        + "储能电站项目,甲乙储能有限公司,P1,3841,12.5,已签约,2025-01-05,2025-04-01\n"
        + "显示模组项目,甲方科技（深圳）有限公司,P2,3974,8,线索,2025-02-01,\n",  # PR1's investor, park P2
    )
    assert good["status"] == "ready" and good["created"] == 2
    done = client.post(f"/api/v1/imports/{good['id']}/commit/").json()
    assert done["status"] == "committed", done
    storage = Project.objects.get(name="储能电站项目")
    assert storage.stage == "signed" and storage.total_investment == 1_250_000_000
    assert [
        (e.from_category, e.to_category, e.on.isoformat()) for e in storage.events.order_by("on", "pk")
    ] == [
        ("", "lead", "2025-01-05"),
        ("lead", "signed", "2025-04-01"),
    ]
    display = Project.objects.get(name="显示模组项目")
    assert display.flagged and InvestorConflict.objects.filter(projects=display).exists()


def test_a_ledger_row_moves_an_existing_project_only_forward(world, api):
    client = api(world.investment_officer)
    forward = upload(client, HEADER + f"{world.PR1.name},甲方科技有限公司,P1,,1,在谈,,2025-05-01\n")
    assert forward["updated"] == 1
    client.post(f"/api/v1/imports/{forward['id']}/commit/")
    world.PR1.refresh_from_db()
    assert world.PR1.stage == "negotiating"
    back = upload(client, HEADER + f"{world.PR1.name},甲方科技有限公司,P1,,1,线索,,\n")
    assert back["status"] == "invalid" and back["errors"][0]["column"] == "项目阶段"
