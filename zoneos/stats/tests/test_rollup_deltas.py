"""The statistics' rollup kept by deltas is the rollup a full rebuild computes, after any sequence of
registry changes made through the services (creates, edits, moves between parks, status changes,
figures entered, revised and deleted, labels given, changed and taken away, enterprises deleted)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zoneos.core.errors import Conflict
from zoneos.enterprises import services as registry
from zoneos.enterprises.models import Enterprise, Indicator, Label
from zoneos.stats import services

YEARS = [2028, 2029, 2030, 2031]
INDUSTRIES = ["3612", "3841", "1462", "6513", ""]
ORIGINS = [("domestic", ""), ("hong_kong", ""), ("foreign", "DE")]
STATUSES = ["active", "active", "moved_out", "deregistered"]
LABELS = ["high_tech", "specialized_sme", "little_giant", "listed"]
money = st.decimals(min_value=0, max_value=Decimal("5e9"), places=2, allow_nan=False, allow_infinity=False)
maybe_money = st.one_of(st.none(), money)


def maintained_and_rebuilt() -> tuple[dict, dict]:
    maintained = services.SPEC.rows()
    with transaction.atomic():
        services.refresh(None)
        rebuilt = services.SPEC.rows()
        transaction.set_rollback(True)
    return maintained, rebuilt


def step(data, world, by) -> str:
    """One registry change drawn at random, made through the services. Returns what was done."""
    enterprises = list(Enterprise.objects.order_by("pk"))
    indicators = list(Indicator.objects.order_by("pk"))
    labels = list(Label.objects.order_by("pk"))
    parks = [world.P1, world.P2, world.P3, world.Z1]
    kinds = ["create", "edit", "figures", "revise", "label"]
    kinds += ["delete_figures"] * bool(indicators) + ["change_label", "delete_label"] * bool(labels)
    kinds += ["delete_enterprise"]
    kind = data.draw(st.sampled_from(kinds), label="kind")
    if kind == "create":
        origin, country = data.draw(st.sampled_from(ORIGINS))
        registry.create_enterprise(
            by=by,
            name=f"企业{len(enterprises)}",
            area=data.draw(st.sampled_from(parks)),
            industry_code=data.draw(st.sampled_from(INDUSTRIES)),
            capital_origin=origin,
            capital_country=country,
            status=data.draw(st.sampled_from(STATUSES)),
        )
    elif kind == "edit":
        enterprise = data.draw(st.sampled_from(enterprises))
        changes = data.draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "area": st.sampled_from(parks),
                    "industry_code": st.sampled_from(INDUSTRIES),
                    "status": st.sampled_from(STATUSES),
                    "capital": st.sampled_from(ORIGINS),
                    "name": st.just(f"{enterprise.name}改"),
                },
            )
        )
        if "capital" in changes:
            changes["capital_origin"], changes["capital_country"] = changes.pop("capital")
        registry.update_enterprise(enterprise, by=by, **changes)
    elif kind in ("figures", "revise"):
        enterprise = data.draw(st.sampled_from(enterprises))
        year = data.draw(st.sampled_from(YEARS))
        figures = {
            "output_value": data.draw(maybe_money),
            "revenue": data.draw(maybe_money),
            "main_business_revenue": data.draw(maybe_money),
            "tax_paid": data.draw(maybe_money),
        }
        found = Indicator.objects.filter(enterprise=enterprise, year=year).first()
        if found is None:
            registry.create_indicator(by=by, enterprise=enterprise, year=year, **figures)
        elif kind == "revise":
            registry.revise_indicator(found, by=by, reason="复核", **figures)
        else:
            registry.update_indicator(found, by=by, **figures)
    elif kind == "delete_figures":
        registry.delete_indicator(data.draw(st.sampled_from(indicators)), by=by)
    elif kind in ("label", "change_label"):
        start = data.draw(st.sampled_from(YEARS))
        end = data.draw(st.one_of(st.none(), st.sampled_from([y for y in YEARS if y >= start])))
        fields = {
            "kind": data.draw(st.sampled_from(LABELS)),
            "valid_from": datetime.date(start, data.draw(st.sampled_from([1, 7])), 1),
            "valid_to": None if end is None else datetime.date(end, 6, 30),
        }
        if kind == "label":
            registry.create_label(by=by, enterprise=data.draw(st.sampled_from(enterprises)), **fields)
        else:
            registry.update_label(data.draw(st.sampled_from(labels)), by=by, **fields)
    elif kind == "delete_label":
        registry.delete_label(data.draw(st.sampled_from(labels)), by=by)
    else:
        registry.delete_enterprise(data.draw(st.sampled_from(enterprises)), by=by)
    return kind


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_rollup_kept_by_deltas_equals_a_full_rebuild(module_world, data):
    world = module_world
    with transaction.atomic():
        done = []
        for _ in range(data.draw(st.integers(min_value=1, max_value=25), label="steps")):
            try:
                with transaction.atomic():
                    done.append(step(data, world, world.root))
            except (ValidationError, Conflict):
                continue  # refused as a user would see it; nothing was written
            maintained, rebuilt = maintained_and_rebuilt()
            assert maintained == rebuilt, done
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_an_enterprise_moving_parks_moves_its_figures_and_nothing_else(module_world):
    world = module_world
    by = world.root
    stay = registry.create_enterprise(by=by, name="留下", area=world.P1, industry_code="3612")
    move = registry.create_enterprise(by=by, name="迁走", area=world.P1, industry_code="3612")
    for enterprise, output in ((stay, 100), (move, 40)):
        for year in (2030, 2031):
            registry.create_indicator(by=by, enterprise=enterprise, year=year, output_value=Decimal(output))
    registry.update_enterprise(move, by=by, area=world.P2)
    cells = services.SPEC.rows(year__in=[2030, 2031])
    assert cells[(world.P1.pk, 2031, "C", "domestic")]["output_value"] == 100
    assert cells[(world.P1.pk, 2031, "C", "domestic")]["enterprises"] == 1
    assert cells[(world.P2.pk, 2031, "C", "domestic")]["output_comparable_prev"] == 40
    registry.update_enterprise(move, by=by, status="moved_out")
    assert (world.P2.pk, 2031, "C", "domestic") not in services.SPEC.rows()
    assert services.SPEC.rows() == maintained_and_rebuilt()[1]
