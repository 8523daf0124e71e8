"""The chain targets import: a sheet of candidates as investment officers keep it, checked row by row
(a bad row names its column and nothing is written), then committed through the services; a second
sheet updates the same targets by credit code or name."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zoneos.chains.models import Candidate

pytestmark = pytest.mark.django_db
HEADER = (
    "产业链代码,企业名称,统一社会信用代码,省份,城市,行业代码,营业收入（万元）,资质标签,适配环节,配套企业\n"
)


def upload(client, text):
    file = SimpleUploadedFile("targets.csv", text.encode("utf-8-sig"))
    response = client.post("/api/v1/imports/", {"kind": "chain_candidates", "file": file}, format="multipart")
    assert response.status_code == 201, response.content
    return response.json()


def test_a_sheet_of_targets_with_bad_rows_writes_nothing_then_imports(world, api):
    client = api(world.investment_officer)
    chain = world.CN1.code
    bad = upload(
        client,
        HEADER
        + f"{chain},远方芯片有限公司,,江苏,无锡,3973,65000,小巨人、高新技术企业,LK1,{world.E1.name}\n"
        + f"{world.CN2.code},外区目标有限公司,,江苏,苏州,,,,,\n"  # row 3: a chain out of reach
        + f"{chain},坏标签有限公司,,,,,,独角兽,LK9,\n",  # row 4: no such label, no such link
    )
    assert bad["status"] == "invalid"
    assert {(e["row"], e["column"]) for e in bad["errors"]} == {
        (3, "产业链代码"),
        (4, "资质标签"),
        (4, "适配环节"),
    }
    assert not Candidate.objects.filter(name="远方芯片有限公司").exists()

    good = upload(
        client,
        HEADER + f"{chain},远方芯片有限公司,,江苏,无锡,3973,65000,小巨人、高新技术企业,LK1,{world.E1.name}\n",
    )
    assert good["status"] == "ready" and good["created"] == 1, good
    done = client.post(f"/api/v1/imports/{good['id']}/commit/").json()
    assert done["status"] == "committed", done
    target = Candidate.objects.get(name="远方芯片有限公司")
    assert target.chain == world.CN1 and target.area == world.Z1
    assert target.revenue == 650_000_000  # 65,000 万元
    assert target.labels == ["little_giant", "high_tech"]
    assert list(target.links.all()) == [world.LK1] and list(target.supplies.all()) == [world.E1]

    again = upload(client, HEADER + f"{chain},远方芯片有限公司,,江苏,常州,,,,,\n")
    assert (again["created"], again["updated"]) == (0, 1), again
    client.post(f"/api/v1/imports/{again['id']}/commit/")
    target.refresh_from_db()
    assert target.city == "常州" and target.labels == ["little_giant", "high_tech"]  # blank cells keep


def test_only_the_zones_investment_side_imports_targets(world, api):
    file = SimpleUploadedFile("targets.csv", (HEADER + f"{world.CN1.code},某有限公司,,,,,,,,\n").encode())
    response = api(world.park_staff).post(
        "/api/v1/imports/", {"kind": "chain_candidates", "file": file}, format="multipart"
    )
    assert response.status_code in {400, 403}
    assert not Candidate.objects.filter(name="某有限公司").exists()
