"""A zone's "Ten Ones" board: items proved by records of the kinds the table declares, the readiness and
the missing items, and what adding a proof refuses (naming the field)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zoneos.core import evidence
from zoneos.enterprises import services as enterprise_services
from zoneos.future import scenarios, services
from zoneos.future.board import readiness_of
from zoneos.future.models import Proof
from zoneos.future.ten_ones import BY_KEY, TEN_ONES
from zoneos.policies import services as policy_services

pytestmark = pytest.mark.django_db


def _label(w, enterprise, **dates):
    return enterprise_services.create_label(
        by=w.root,
        enterprise=enterprise,
        kind="high_tech",
        valid_from=dates.get("valid_from", datetime.date(2024, 1, 1)),
        valid_to=dates.get("valid_to", datetime.date(2099, 12, 31)),
    )


def test_the_ten_items_are_declared_once_and_the_board_shows_all_ten(world):
    assert [one.key for one in TEN_ONES] == [
        "plan", "policies", "working_group", "roadmap", "talents", "platforms", "pioneers", "scenarios",
        "fund", "pilot_area",
    ]  # fmt: skip
    state = readiness_of(world.FB1, world.admin)
    assert [i.key for i in state.items] == [one.key for one in TEN_ONES]


def test_readiness_counts_the_items_proved_and_lists_the_rest_as_missing(world):
    w = world
    state = readiness_of(w.FB1, w.admin)  # FP1: pilot area P1, FP3: plan by the chain CN1
    assert state.proved == 2
    assert str(state.ratio) == "0.2000"
    assert [i.key for i in state.missing] == [
        "policies", "working_group", "roadmap", "talents", "platforms", "pioneers", "scenarios", "fund",
    ]  # fmt: skip
    by_key = {i.key: i for i in state.items}
    assert by_key["plan"].state == "proved" and by_key["plan"].color == "success"
    assert by_key["roadmap"].state == "missing" and by_key["roadmap"].color == "danger"


def test_an_item_with_fewer_proofs_than_it_needs_is_partly_proved(world):
    w = world
    assert BY_KEY["pioneers"].needed == 3
    for enterprise in (w.E1, w.E3):
        label = _label(w, enterprise)
        services.add_proof(w.FB1, by=w.admin, item="pioneers", kind="label", record=label.pk)
    item = {i.key: i for i in readiness_of(w.FB1, w.admin).items}["pioneers"]
    assert (item.count, item.state, item.color) == (2, "partly", "warning")
    assert sorted(p.shown for p in item.proofs) == sorted(
        f"{e.name} · High-tech enterprise" for e in (w.E1, w.E3)
    )


def _label_of(w, enterprise, kind, **dates):
    return enterprise_services.create_label(
        by=w.root,
        enterprise=enterprise,
        kind=kind,
        valid_from=dates.get("valid_from", datetime.date(2024, 1, 1)),
        valid_to=dates.get("valid_to", datetime.date(2099, 12, 31)),
    )


def test_pioneer_enterprises_count_each_enterprise_once_however_many_labels_prove_it(world):
    """The figure is enterprises, a label only the proof: E1 with two labels (and a renewal of one)
    is one pioneer enterprise, E3 the second; the card still lists every label."""
    w = world
    labels = [
        _label_of(w, w.E1, "high_tech"),
        _label_of(w, w.E1, "specialized_sme"),
        _label_of(w, w.E1, "tech_sme", valid_from=datetime.date(2025, 1, 1)),  # a renewal, another row
    ]
    for label in labels:
        services.add_proof(w.FB1, by=w.admin, item="pioneers", kind="label", record=label.pk)
    item = {i.key: i for i in readiness_of(w.FB1, w.admin).items}["pioneers"]
    assert (item.count, item.state, len(item.proofs)) == (1, "partly", 3)
    other = _label_of(w, w.E3, "high_tech")
    services.add_proof(w.FB1, by=w.admin, item="pioneers", kind="label", record=other.pk)
    item = {i.key: i for i in readiness_of(w.FB1, w.admin).items}["pioneers"]
    assert (item.count, item.state) == (2, "partly")
    client = Client()
    client.cookies["zoneos_language"] = "en"
    client.force_login(w.admin)
    page = client.get(f"/future/boards/{w.FB1.pk}/").content.decode()
    card = page[page.index('data-testid="item-pioneers"') :]
    assert "Partly · 2/3" in card[: card.index("card-body")]


def test_a_label_that_expired_or_a_withdrawn_scenario_no_longer_counts(world):
    w = world
    label = _label(w, w.E1, valid_to=datetime.date(2099, 1, 1))
    services.add_proof(w.FB1, by=w.admin, item="pioneers", kind="label", record=label.pk)
    services.add_proof(w.FB1, by=w.admin, item="scenarios", kind="scenario", record=w.SC1.pk)
    services.add_proof(w.FB1, by=w.admin, item="scenarios", kind="scenario", record=w.SC3.pk)
    assert {i.key: i.state for i in readiness_of(w.FB1, w.admin).items}["scenarios"] == "proved"
    scenarios.withdraw(w.SC3, by=w.admin, note="业主取消")
    enterprise_services.update_label(label, by=w.root, valid_to=datetime.date(2024, 12, 31))
    items = {i.key: i for i in readiness_of(w.FB1, w.admin).items}
    assert (items["scenarios"].count, items["scenarios"].state) == (1, "partly")
    assert items["pioneers"].state == "missing"
    assert [p.live for p in items["scenarios"].proofs] == [True, False]


def test_a_document_goes_through_the_upload_check_and_proves_the_roadmap(world):
    w = world
    with pytest.raises(ValidationError) as empty:
        services.add_proof(
            w.FB1,
            by=w.admin,
            item="roadmap",
            kind="document",
            title="路线图",
            document=SimpleUploadedFile("r.pdf", b""),
        )
    assert "document" in empty.value.message_dict
    with pytest.raises(ValidationError) as untitled:
        services.add_proof(
            w.FB1, by=w.admin, item="roadmap", kind="document", document=SimpleUploadedFile("r.pdf", b"%PDF")
        )
    assert "title" in untitled.value.message_dict
    proof = services.add_proof(
        w.FB1,
        by=w.admin,
        item="roadmap",
        kind="document",
        title="合成生物技术路线图",
        document=SimpleUploadedFile("roadmap.pdf", b"%PDF-1.4"),
    )
    assert proof.get_document_url() == f"/future/proofs/{proof.pk}/document/"
    assert {i.key: i.state for i in readiness_of(w.FB1, w.admin).items}["roadmap"] == "proved"


def test_adding_a_proof_names_what_is_wrong(world):
    w = world
    cases = [
        ({"item": "eleventh", "kind": "policy"}, "item"),
        ({"item": "roadmap", "kind": "policy"}, "kind"),  # a roadmap is a document
        ({"item": "fund", "kind": "platform"}, "kind"),  # a fund is proved by a fund
        ({"item": "policies", "kind": "policy"}, "record"),
        ({"item": "pilot_area", "kind": "area", "record": w.P3.pk}, "record"),  # another zone's park
        ({"item": "pilot_area", "kind": "area", "record": w.Z1.pk}, "record"),  # the zone is not its own
        ({"item": "pilot_area", "kind": "area", "record": w.P1.pk}, "record"),  # proves it already
    ]
    for values, field in cases:
        with pytest.raises(ValidationError) as refused:
            services.add_proof(w.FB1, by=w.admin, **values)
        assert field in refused.value.message_dict, values
    assert Proof.objects.filter(board=w.FB1).count() == 2


def test_a_zone_policy_and_a_policy_from_above_prove_the_policy_system(world):
    w = world
    own = policy_services.create_policy(by=w.root, area=w.Z1, title="一号区未来产业十条", category="award")
    above = policy_services.create_policy(
        by=w.root, area=w.R, title="测试省未来产业行动方案", category="award"
    )
    other = policy_services.create_policy(by=w.root, area=w.Z2, title="二号区政策", category="award")
    offered = set(evidence.get("policy").candidates(w.Z1, w.admin).values_list("pk", flat=True))
    assert {own.pk, above.pk} <= offered and other.pk not in offered
    for policy in (own, above):
        services.add_proof(w.FB1, by=w.admin, item="policies", kind="policy", record=policy.pk)
    assert {i.key: i.state for i in readiness_of(w.FB1, w.admin).items}["policies"] == "proved"


def test_park_staff_read_their_zones_board_but_do_not_keep_it(world):
    w = world
    assert readiness_of(w.FB1, w.park_staff).proved == 2
    with pytest.raises(PermissionDenied):
        services.add_proof(w.FB1, by=w.park_staff, item="pilot_area", kind="area", record=w.P2.pk)
    services.add_proof(w.FB1, by=w.investment_officer, item="pilot_area", kind="area", record=w.P2.pk)


def test_innovations_platforms_talents_and_funds_prove_their_items(world):
    """Innovation registers its kinds (`zoneos/innovation/evidence.py`): Z1's platforms IP1 and IP3 (P1)
    prove the platforms item while both recognitions are in force; the industry fund FD1 proves the fund;
    a talent of E1 counts towards the talents. Z2's fund is not offered for a Z1 board."""
    from zoneos.innovation.models import Platform

    w = world
    assert {k.key for k in evidence.kinds()} >= {"platform", "talent", "fund"}
    Platform.objects.filter(pk__in=[w.IP1.pk, w.IP3.pk]).update(valid_to=datetime.date(2099, 12, 31))
    for platform in (w.IP1, w.IP3):
        services.add_proof(w.FB1, by=w.admin, item="platforms", kind="platform", record=platform.pk)
    services.add_proof(w.FB1, by=w.admin, item="fund", kind="fund", record=w.FD1.pk)
    services.add_proof(w.FB1, by=w.admin, item="talents", kind="talent", record=w.TA1.pk)
    items = {i.key: i for i in readiness_of(w.FB1, w.admin).items}
    assert (items["platforms"].state, items["fund"].state, items["talents"].state) == (
        "proved",
        "proved",
        "partly",
    )
    assert items["fund"].waiting == []
    # A recognition that has lapsed stays on the card but no longer counts.
    Platform.objects.filter(pk=w.IP3.pk).update(valid_to=datetime.date(2024, 12, 31))
    items = {i.key: i for i in readiness_of(w.FB1, w.admin).items}
    assert (items["platforms"].count, items["platforms"].state) == (1, "partly")
    with pytest.raises(ValidationError) as error:
        services.add_proof(w.FB1, by=w.admin, item="fund", kind="fund", record=w.FD2.pk)
    assert list(error.value.message_dict) == ["record"]


def test_a_zone_has_one_board_per_industry_and_a_board_belongs_to_a_zone(world):
    w = world
    with pytest.raises(ValidationError) as twice:
        services.create_board(by=w.admin, area=w.Z1, industry=w.FU1)
    assert "industry" in twice.value.message_dict
    with pytest.raises(ValidationError) as park:
        services.create_board(by=w.admin, area=w.P1, industry=w.FU3)
    assert "area" in park.value.message_dict
    with pytest.raises(ValidationError) as foreign:
        services.create_board(by=w.root, area=w.Z1, industry=w.FU2)
    assert "industry" in foreign.value.message_dict
