"""A chain as an xlsx workbook both ways: a template exported and imported again as a zone's chain gives
the same tree, codes, keywords and supply relations; a wrong row names its row and column and writes
nothing; a hostile file is refused without taking anything in."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zoneos.chains.models import Chain, Link, SupplyEdge
from zoneos.chains.scoping import STAFF_ROLES
from zoneos.testing.world import ALL_USERS


def _tree(chain):
    return sorted(
        (
            link.code,
            link.parent.code if link.parent else "",
            link.segment,
            link.industry_codes,
            link.keywords,
            str(link.weight),
            link.bottleneck,
        )
        for link in chain.links.select_related("parent")
    )


def _edges(chain):
    return sorted((e.source.code, e.target.code) for e in chain.edges.select_related("source", "target"))


def test_a_shipped_template_goes_out_and_comes_back_as_a_zones_chain(world, api):
    template = Chain.objects.get(code="TPL-NEV")
    admin = api(world.admin)
    exported = admin.get(f"/api/v1/chains/{template.pk}/workbook/")
    assert exported.status_code == 200
    content = b"".join(exported.streaming_content)
    upload = SimpleUploadedFile("nev.xlsx", content)
    created = admin.post(
        "/api/v1/chains/import/",
        {"file": upload, "code": "Z1-NEV-X", "name": "新能源汽车（导入）", "area": world.Z1.pk},
        format="multipart",
    )
    assert created.status_code == 201, created.content
    chain = Chain.objects.get(code="Z1-NEV-X")
    assert chain.area == world.Z1 and _tree(chain) == _tree(template) and _edges(chain) == _edges(template)
    history = admin.get(f"/api/v1/chain-links/{chain.links.first().pk}/history/").json()["results"]
    assert history[0]["user"] == "admin"


def _sheet(rows):
    """A csv (the sheet a user saves from Excel; a BEL could not be written into an xlsx)."""
    lines = ["环节代码,上级环节代码,环节名称,链段,行业代码,卡脖子,供给至", *(",".join(row) for row in rows)]
    return SimpleUploadedFile("chain.csv", "\n".join(lines).encode("utf-8-sig"))


@pytest.mark.parametrize(
    "rows, said",
    [
        ([["A", "", "电池", "侧游", "", "", ""]], "Row 2, 链段"),
        ([["A", "", "电池", "上游", "", "", ""], ["A", "", "电芯", "中游", "", "", ""]], "Row 3, 环节代码"),
        ([["A", "Z", "电池", "上游", "", "", ""]], "Row 2, 上级环节代码"),
        ([["A", "", "电池", "上游", "9999", "", ""]], "Row 2, 行业代码"),
        ([["A", "", "电池", "上游", "", "", "Q"]], "Row 2, 供给至"),
        ([["A", "", "电\x07池", "上游", "", "", ""]], "Row 2, 环节名称"),
    ],
)
def test_a_wrong_row_names_its_row_and_column_and_writes_nothing(world, api, rows, said):
    response = api(world.admin).post(
        "/api/v1/chains/import/",
        {"file": _sheet(rows), "code": "Z1-BAD", "name": "坏链", "area": world.Z1.pk},
        format="multipart",
    )
    assert response.status_code == 400 and said in response.json()["file"][0], response.content
    assert not Chain.objects.filter(code="Z1-BAD").exists() and not Link.objects.filter(name="电池").exists()


def test_a_hostile_file_is_refused_and_only_admins_import(world, api):
    bomb = SimpleUploadedFile("bomb.xlsx", b"PK\x03\x04 not really a workbook")
    response = api(world.admin).post(
        "/api/v1/chains/import/",
        {"file": bomb, "code": "Z1-BOMB", "name": "炸弹", "area": world.Z1.pk},
        format="multipart",
    )
    assert response.status_code == 400 and "file" in response.json()
    refused = api(world.investment_officer).post(
        "/api/v1/chains/import/",
        {
            "file": _sheet([["A", "", "电池", "上游", "", "", ""]]),
            "code": "Z1-IO",
            "name": "链",
            "area": world.Z1.pk,
        },
        format="multipart",
    )
    assert refused.status_code == 403
    assert (
        not Chain.objects.filter(code__in=["Z1-BOMB", "Z1-IO"]).exists()
        and not SupplyEdge.objects.filter(chain__code="Z1-IO").exists()
    )


@pytest.mark.parametrize("caller", [*ALL_USERS, None])
def test_every_caller_on_the_workbook_routes(world, api, caller):
    client = api(world.users[caller] if caller else None)
    own = client.get(f"/api/v1/chains/{world.CN1.pk}/workbook/")
    template = client.get(f"/api/v1/chains/{world.TPL.pk}/workbook/")
    outside = client.get(f"/api/v1/chains/{world.CN2.pk}/workbook/")
    created = client.post(
        "/api/v1/chains/import/",
        {
            "file": _sheet([["A", "", "电池", "上游", "", "", ""]]),
            "code": "Z1-NEW",
            "name": "新链",
            "area": world.Z1.pk,
        },
        format="multipart",
    )
    if caller is None:
        assert {r.status_code for r in (own, template, outside, created)} == {401}
        return
    readers = {r.value for r in STAFF_ROLES} | {"root"}
    expected = 200 if caller in readers else 404
    assert (own.status_code, template.status_code) == (expected, expected)
    assert outside.status_code == (200 if caller == "root" else 404)
    assert created.status_code == (201 if caller in {"admin", "root"} else 403), created.content
    assert Chain.objects.filter(code="Z1-NEW").exists() == (caller in {"admin", "root"})


def test_the_pages_import_a_workbook_and_offer_the_export(world, client):
    client.force_login(world.admin)
    response = client.post(
        "/chains/",
        {
            "action": "import",
            "file": _sheet(
                [["A", "", "电池", "上游", "3841", "是", "B"], ["B", "", "整车", "下游", "", "", ""]]
            ),
            "code": "Z1-PAGE",
            "name": "页面导入链",
            "area": world.Z1.pk,
        },
    )
    chain = Chain.objects.get(code="Z1-PAGE")
    assert response.status_code == 302 and response["Location"] == f"/chains/{chain.pk}/"
    assert _edges(chain) == [("A", "B")] and chain.links.get(code="A").bottleneck
    page = client.get(f"/chains/{chain.pk}/").content.decode()
    assert f"/api/v1/chains/{chain.pk}/workbook/" in page
