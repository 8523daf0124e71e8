"""The chains' own routes, walked by every caller: a chain's links and supply relations, adopting a
template, coverage and the coverage matrix; and what the API refuses, naming the field."""

import pytest

from zoneos.chains.models import Chain, Link, SupplyEdge
from zoneos.core.roles import Role
from zoneos.testing.world import ALL_USERS

STAFF = {r.value for r in Role} - {Role.ENTERPRISE.value} | {"root"}
WRITERS = {Role.ADMIN.value, "root"}


@pytest.fixture
def chains(world):
    return world


@pytest.mark.parametrize("caller", [*ALL_USERS, None])
def test_every_caller_on_the_chain_routes(chains, api, caller):
    w = chains
    client = api(w.users[caller] if caller else None)
    base = f"/api/v1/chains/{w.CN1.pk}"
    reads = {
        "links": client.get(f"{base}/links/"),
        "edges": client.get(f"{base}/edges/"),
        "coverage": client.get(f"{base}/coverage/?year=2024"),
        "matrix": client.get(f"/api/v1/chains/coverage-matrix/?area={w.Z1.pk}&year=2024"),
        "outside": client.get(f"/api/v1/chains/{w.CN2.pk}/coverage/"),
    }
    link = client.post(
        f"{base}/links/", {"code": "NEW", "name": "新环节", "segment": "upstream"}, format="json"
    )
    edge = client.post(f"{base}/edges/", {"source": w.LK1.pk, "target": w.LK3.pk}, format="json")
    adopted = client.post(
        f"/api/v1/chains/{w.TPL.pk}/adopt/", {"area": w.Z1.pk, "code": "Z1-COPY"}, format="json"
    )
    if caller is None:
        assert {r.status_code for r in [*reads.values(), link, edge, adopted]} == {401}
        return
    if caller in STAFF:
        assert [reads[k].status_code for k in ("links", "edges", "coverage")] == [200] * 3
        # The matrix is of an area the caller reaches: the zone, or for a park's staff their park.
        if caller == Role.PARK_STAFF:
            assert reads["matrix"].status_code == 404
            assert client.get(f"/api/v1/chains/coverage-matrix/?area={w.P1.pk}").status_code == 200
        else:
            assert reads["matrix"].status_code == 200
        assert reads["outside"].status_code == (200 if caller == "root" else 404)
        assert [x["code"] for x in reads["links"].json()] == ["LK1", "LK3"]
    else:  # enterprise users and strangers: no chain is theirs to see
        assert {reads[k].status_code for k in ("links", "edges", "coverage", "outside")} == {404}
        assert reads["matrix"].status_code == 404
    if caller in WRITERS:
        assert link.status_code == edge.status_code == adopted.status_code == 201, (
            link.content,
            adopted.content,
        )
        assert link.json()["chain"] == w.CN1.pk
        copy = Chain.objects.get(code="Z1-COPY")
        assert copy.source == w.TPL and copy.area == w.Z1 and [x.code for x in copy.links.all()] == ["TL1"]
    else:
        assert (
            link.status_code in {403, 404}
            and edge.status_code in {403, 404}
            and adopted.status_code in {403, 404}
        )
        assert not Link.objects.filter(code="NEW").exists()
        assert not SupplyEdge.objects.filter(source=w.LK1, target=w.LK3).exists()
        assert not Chain.objects.filter(code="Z1-COPY").exists()


def test_bad_input_names_the_field_and_writes_nothing(chains, api):
    w = chains
    admin = api(w.admin)
    base = f"/api/v1/chains/{w.CN1.pk}/links/"
    cases = [
        ({"code": "X1", "name": "电池", "segment": "sideways"}, "segment"),
        ({"code": "X2", "name": "电池", "segment": "upstream", "industry_codes": ["9999"]}, "industry_codes"),
        ({"code": "X3", "name": "电池", "segment": "upstream", "weight": "0"}, "weight"),
        ({"code": "LK1", "name": "电池", "segment": "upstream"}, "code"),
        ({"code": "X4", "name": "电池", "segment": "upstream", "parent": w.LK2.pk}, "parent"),
        ({"code": "X5", "name": "电\x07池", "segment": "upstream"}, "name"),
    ]
    for payload, field in cases:
        response = admin.post(base, payload, format="json")
        assert response.status_code == 400 and field in response.json(), (payload, response.content)
    assert not Link.objects.filter(code__startswith="X").exists()
    # A link cannot sit below its own child.
    child = admin.post(
        base, {"code": "C1", "name": "电芯", "segment": "upstream", "parent": w.LK1.pk}, format="json"
    )
    loop = admin.patch(f"/api/v1/chain-links/{w.LK1.pk}/", {"parent": child.json()["id"]}, format="json")
    assert loop.status_code == 400 and "parent" in loop.json()
    # Templates hold no records; a code and a section are good prefixes.
    placed = admin.post("/api/v1/chain-placements/", {"link": w.TL1.pk, "enterprise": w.E1.pk}, format="json")
    assert placed.status_code == 400 and "link" in placed.json()
    fine = admin.post(
        base,
        {"code": "OK", "name": "电池", "segment": "midstream", "industry_codes": ["C", "384", "3841"]},
        format="json",
    )
    assert fine.status_code == 201 and fine.json()["industry_codes"] == ["C", "384", "3841"]


def test_every_change_is_in_the_history_with_its_author(chains, api):
    w = chains
    admin = api(w.admin)
    admin.patch(f"/api/v1/chain-links/{w.LK1.pk}/", {"bottleneck": True}, format="json")
    history = admin.get(f"/api/v1/chain-links/{w.LK1.pk}/history/").json()["results"]
    assert history[0]["user"] == "admin" and history[0]["changes"]["bottleneck"] == [False, True]
    staff = api(w.park_staff)
    assert (
        staff.patch(f"/api/v1/chain-placements/{w.PL1.pk}/", {"role": "leader"}, format="json").status_code
        == 200
    )
    entry = staff.get(f"/api/v1/chain-placements/{w.PL1.pk}/history/").json()["results"][0]
    assert entry["user"] == "park_staff" and entry["changes"]["role"] == ["member", "leader"]
