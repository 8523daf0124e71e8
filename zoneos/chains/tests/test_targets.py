"""Targets for replenishing a chain: candidates ranked for a gap link with the reasons for each rank, a
target turned into a lead (the pipeline's conflict check applying), the gaps the landed projects filled,
and every caller on the routes."""

import datetime
from decimal import Decimal

import pytest

from zoneos.appeals.models import Visit
from zoneos.chains import services, targets
from zoneos.chains.models import Candidate, Placement
from zoneos.chains.scoping import STAFF_ROLES
from zoneos.pipeline import services as pipeline
from zoneos.pipeline.models import Project
from zoneos.pipeline.moves import move
from zoneos.testing.world import ALL_USERS

from .world import build_chain

TARGETERS = {"admin", "investment_officer", "root"}
STAFF = {r.value for r in STAFF_ROLES} | {"root"}  # who reads chains: every role but enterprises


@pytest.fixture
def zone(world):
    """The test chain with its CHIP link (a bottleneck, missing) named by codes and a keyword, E1 as the
    chain leader, and four targets:

    - 芯驰: listed for CHIP, 芯片 in its name, a little giant, revenue 1.5 billion: 40+25+10+25+20 = 120;
    - 微电: industry 3973 within CHIP's 397, high-tech, revenue 50 million, supplies E1: 25+10+10+30 = 75;
    - 华芯: industry 3973, named in a visit to E1 by its short name: 25+20 = 45;
    - 远方电池: industry 3841, fits BAT only."""
    w = world
    chain, car, links, e = build_chain(w)
    services.update_link(links["CHIP"], by=w.root, industry_codes=["397"], keywords=["芯片"])
    Placement.objects.filter(link=links["BAT"], enterprise=w.E1).update(role="leader")
    make = services.create_candidate
    found = {
        "T1": make(
            by=w.admin,
            chain=chain,
            name="芯驰车规芯片科技有限公司",
            industry_code="3973",
            revenue=Decimal("1500000000"),
            labels=["little_giant"],
            links=[links["CHIP"]],
        ),
        "T2": make(
            by=w.admin,
            chain=chain,
            name="某微电子有限公司",
            industry_code="3973",
            revenue=Decimal("50000000"),
            labels=["high_tech"],
            supplies=[w.E1],
        ),
        "T4": make(
            by=w.admin, chain=chain, name="华芯半导体股份有限公司", short_name="华芯", industry_code="3973"
        ),
        "T3": make(by=w.admin, chain=chain, name="远方电池有限公司", industry_code="3841", province="江苏"),
    }
    Visit.objects.create(
        enterprise=w.E1,
        officer=w.service_officer,
        visited_on=datetime.date(2026, 5, 6),
        summary="链主希望华芯来园区设厂",
    )
    return chain, car, links, found


def test_targets_for_a_gap_are_ranked_with_their_reasons(world, zone):
    chain, car, links, found = zone
    ranked = targets.rank(links["CHIP"], world.Z1, world.admin)
    assert [(t["candidate"].name, t["points"]) for t in ranked] == [
        ("芯驰车规芯片科技有限公司", 120),
        ("某微电子有限公司", 75),
        ("华芯半导体股份有限公司", 45),
    ]
    first, second, third = ranked
    assert [r["factor"] for r in first["reasons"]] == [
        "for_link",
        "industry",
        "keyword",
        "little_giant",
        "large",
    ]
    assert [r["factor"] for r in second["reasons"]] == ["industry", "supplies", "high_tech", "above_size"]
    assert "E1" in second["reasons"][1]["text"] or world.E1.name in second["reasons"][1]["text"]
    assert [r["factor"] for r in third["reasons"]] == ["industry", "mentioned"]
    # Each rank is the sum of its reasons' declared points.
    assert all(t["points"] == sum(targets.FACTORS[r["factor"]].points for r in t["reasons"]) for t in ranked)
    # A parent link ranks the targets of the links below it: the battery maker too.
    assert "远方电池有限公司" in [t["candidate"].name for t in targets.rank(car, world.Z1, world.admin)]
    # Park staff of P1 see the zone's targets, and E1 (in P1) as the leader with its visit: the same rank.
    assert [t["points"] for t in targets.rank(links["CHIP"], world.P1, world.park_staff)] == [120, 75, 45]


def test_a_target_becomes_a_lead_on_its_link_and_a_rival_park_opens_a_conflict(world, zone):
    chain, _car, links, found = zone
    rival = pipeline.create_project(
        by=world.root, name="二园的芯片项目", area=world.P2, investor_name="芯驰车规芯片科技有限公司"
    )
    project, conflict = services.make_lead(
        found["T1"], link=links["CHIP"], area=world.P1, by=world.investment_officer
    )
    assert project.stage == "lead" and project.area == world.P1 and project.investor_name == found["T1"].name
    assert Placement.objects.filter(link=links["CHIP"], project=project).exists()
    assert Candidate.objects.get(pk=found["T1"].pk).project == project
    assert conflict is not None and set(conflict.projects.all()) == {project, rival}
    # It leaves the open targets, and the chain follows it.
    assert "芯驰车规芯片科技有限公司" not in [
        t["candidate"].name for t in targets.rank(links["CHIP"], world.Z1, world.admin)
    ]
    assert [f["project"] for f in targets.followed(chain, world.admin)] == [project]
    # Once only.
    with pytest.raises(Exception) as refused:
        services.make_lead(found["T1"], link=links["CHIP"], area=world.P1, by=world.admin)
    assert "candidate" in refused.value.message_dict
    # No conflict when no other park courts the investor.
    _project, none = services.make_lead(found["T2"], link=links["CHIP"], area=world.P1, by=world.admin)
    assert none is None


def test_gaps_filled_by_the_projects_that_landed(world, zone):
    chain, _car, links, found = zone
    year = datetime.date.today().year
    # The battery link was strong on 1 January (its placements older); the chip link missing.
    Placement.objects.filter(link=links["BAT"]).update(
        created_at=datetime.datetime(year - 1, 6, 1, tzinfo=datetime.UTC)
    )
    chip, _ = services.make_lead(found["T1"], link=links["CHIP"], area=world.P1, by=world.admin)
    battery, _ = services.make_lead(found["T3"], link=links["BAT"], area=world.P1, by=world.admin)
    services.make_lead(found["T2"], link=links["CHIP"], area=world.P1, by=world.admin)  # a lead, not landed
    landed_on = datetime.date(year, 1, 1)
    for project in (chip, battery):
        Project.objects.filter(pk=project.pk).update(stage_on=datetime.date(year - 1, 12, 1))
        project = Project.objects.get(pk=project.pk)
        move(project, by=world.admin, to="signed", on=landed_on)
        move(project, by=world.admin, to="registered", on=landed_on)
    filled = targets.gaps_filled(chain, world.Z1, world.admin, year=year)
    assert [(r["link"].code, r["project"], r["before"]) for r in filled] == [("CHIP", chip, "missing")]
    assert targets.gaps_filled(chain, world.Z1, world.admin, year=year - 1) == []


def test_bad_input_names_the_field_and_writes_nothing(world, zone, api):
    chain, _car, links, _found = zone
    admin = api(world.admin)
    cases = [
        ({"chain": chain.pk, "name": "坏\x07名字"}, "name"),
        ({"chain": chain.pk, "name": "好名字", "uscc": "123"}, "uscc"),
        ({"chain": chain.pk, "name": "好名字", "industry_code": "9999"}, "industry_code"),
        ({"chain": chain.pk, "name": "好名字", "revenue": "-1"}, "revenue"),
        ({"chain": chain.pk, "name": "好名字", "labels": ["unicorn"]}, "labels"),
        ({"chain": chain.pk, "name": "好名字", "links": [world.LK1.pk]}, "links"),
        ({"chain": chain.pk, "name": "某微电子有限公司"}, "name"),
        ({"chain": world.TPL.pk, "name": "好名字"}, "chain"),
    ]
    for payload, field in cases:
        response = admin.post("/api/v1/chain-candidates/", payload, format="json")
        assert response.status_code == 400 and field in response.json(), (payload, response.content)
    assert not Candidate.objects.filter(name__in=["好名字", "坏\x07名字"]).exists()
    # A lead outside the chain's area, or on another chain's link, is refused naming the field.
    target = Candidate.objects.get(name="某微电子有限公司")
    outside = admin.post(
        f"/api/v1/chain-candidates/{target.pk}/lead/",
        {"link": links["CHIP"].pk, "area": world.P3.pk},
        format="json",
    )
    assert outside.status_code in {400, 404}
    other = admin.post(
        f"/api/v1/chain-candidates/{target.pk}/lead/",
        {"link": world.LK1.pk, "area": world.P1.pk},
        format="json",
    )
    assert other.status_code == 400 and "link" in other.json()
    assert not Project.objects.filter(investor_name="某微电子有限公司").exists()


@pytest.mark.parametrize("caller", [*ALL_USERS, None])
def test_every_caller_on_the_target_routes(world, api, caller):
    w = world
    client = api(w.users[caller] if caller else None)
    ranked = client.get(f"/api/v1/chain-links/{w.LK1.pk}/targets/")
    filled = client.get(f"/api/v1/chains/{w.CN1.pk}/gaps-filled/?year=2026")
    outside = client.get(f"/api/v1/chain-links/{w.LK2.pk}/targets/")
    lead = client.post(
        f"/api/v1/chain-candidates/{w.CT1.pk}/lead/", {"link": w.LK1.pk, "area": w.P1.pk}, format="json"
    )
    if caller is None:
        assert {r.status_code for r in (ranked, filled, outside, lead)} == {401}
        return
    if caller in STAFF:
        assert ranked.status_code == filled.status_code == 200
        assert [t["candidate"]["name"] for t in ranked.json()] == ["CT1外地企业有限公司"]
        assert ranked.json()[0]["reasons"][0]["factor"] == "for_link"
        assert filled.json() == []
        assert outside.status_code == (200 if caller == "root" else 404)
    else:
        assert {ranked.status_code, filled.status_code, outside.status_code} == {404}
    # The zone's investment side (who keeps the targets) turns one into a lead for a park.
    if caller in TARGETERS:
        assert lead.status_code == 201, lead.content
        project = Project.objects.get(pk=lead.json()["project"])
        assert project.area == w.P1 and Candidate.objects.get(pk=w.CT1.pk).project == project
    else:
        assert lead.status_code in {400, 403, 404}
        assert Candidate.objects.get(pk=w.CT1.pk).project is None


def test_every_change_to_a_target_is_in_the_history_with_its_author(world, api):
    officer = api(world.investment_officer)
    response = officer.patch(f"/api/v1/chain-candidates/{world.CT1.pk}/", {"province": "江苏"}, format="json")
    assert response.status_code == 200
    entry = officer.get(f"/api/v1/chain-candidates/{world.CT1.pk}/history/").json()["results"][0]
    assert entry["user"] == "investment_officer" and entry["changes"]["province"] == ["", "江苏"]


def test_suggestions_read_pinyin_and_rejected_ones_stay_away(world, client):
    from zoneos.chains import suggestions
    from zoneos.chains.models import Rejection
    from zoneos.enterprises.pinyin import keys
    from zoneos.testing.factories import EnterpriseFactory

    chain, _car, links, _e = build_chain(world)
    services.update_link(links["CHIP"], by=world.root, keywords=["xinpian", "功率器件"])
    chip = EnterpriseFactory(area=world.P1, name="一号芯片有限公司")  # found by the pinyin keyword
    power = EnterpriseFactory(area=world.P1, name="二号功率器件有限公司")
    for enterprise in (chip, power):  # the registry's services write the pinyin key; the factory does not
        enterprise.name_pinyin = keys(enterprise.name)[0]
        enterprise.save(update_fields=["name_pinyin"])
    found = {
        s["enterprise"] for s in suggestions.suggest(chain, world.Z1, world.admin, links=[links["CHIP"]])
    }
    assert {chip, power} <= found
    client.force_login(world.park_staff)
    response = client.post(
        f"/chains/links/{links['CHIP'].pk}/",
        {"action": "reject", "enterprise": [power.pk], "area": world.P1.pk},
    )
    assert response.status_code == 302
    assert Rejection.objects.filter(link=links["CHIP"], enterprise=power).exists()
    found = {
        s["enterprise"] for s in suggestions.suggest(chain, world.Z1, world.admin, links=[links["CHIP"]])
    }
    assert chip in found and power not in found
