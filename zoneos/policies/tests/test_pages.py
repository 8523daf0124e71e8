"""The pages: catalogue, item (matches and counts), rule editor (save, try, publish), calculator."""

import json

import pytest
from django.test import Client

from zoneos.policies.models import Rule, RuleStatus

from .world import SHARE, catalogue


@pytest.fixture
def w(world):
    return catalogue(world)


def signed_in(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_catalogue_searches_and_filters(w):
    page = signed_in(w.enterprise).get("/policies/", {"q": "主业"})
    assert page.status_code == 200
    assert "主业奖励" in page.content.decode() and "待删事项" not in page.content.decode()
    assert "二号区事项" not in signed_in(w.admin).get("/policies/").content.decode()


def test_an_items_page_shows_matches_and_counts(w):
    page = signed_in(w.admin).get(f"/policies/items/{w.IT1.pk}/", {"on": "2025-05-01"})
    text = page.content.decode()
    assert page.status_code == 200 and "一号科技有限公司" in text and 'data-testid="criterion-counts"' in text
    assert signed_in(w.admin).get(f"/policies/items/{w.IT2.pk}/").status_code == 404


def test_the_editor_saves_tries_and_publishes_a_draft(w):
    client = signed_in(w.admin)
    assert client.get(f"/policies/items/{w.IT3.pk}/rules/new/").status_code == 200
    tried = client.post(
        f"/policies/items/{w.IT3.pk}/try/",
        {"criteria": json.dumps(SHARE), "benefit": "", "enterprise": w.E1.pk, "on": "2025-05-01"},
    )
    assert tried.status_code == 200 and "0.8000" in tried.content.decode()
    saved = client.post(
        f"/policies/items/{w.IT3.pk}/rules/new/",
        {
            "effective_from": "2026-01-01",
            "criteria": json.dumps(SHARE),
            "benefit": json.dumps({"fixed": "1000"}),
            "publish": "1",
        },
    )
    assert saved.status_code == 302
    rule = Rule.objects.get(item=w.IT3)
    assert rule.status == RuleStatus.PUBLISHED and rule.published_by == w.admin
    bad = client.post(
        f"/policies/items/{w.IT3.pk}/rules/new/", {"effective_from": "2026-01-01", "criteria": "{"}
    )
    assert bad.status_code == 400


def test_the_calculator_shows_what_the_enterprise_lacks(w):
    client = signed_in(w.enterprise)
    page = client.get("/policies/calculator/", {"on": "2025-05-01"})
    assert page.status_code == 200 and 'data-testid="calc-item-it1"' in page.content.decode()
    assert client.get("/policies/calculator/", {"enterprise": w.E2.pk}).status_code == 404
    declared = client.post("/policies/calculator/", {"variable": "class1_ip", "year": "2025", "value": "2"})
    assert declared.status_code == 302
    assert w.E1.declared_facts.filter(variable="class1_ip").exists()


def test_an_enterprise_home_lists_the_items_it_qualifies_for_and_staff_homes_do_not(w, monkeypatch):
    import datetime

    from zoneos.policies import navigation

    monkeypatch.setattr(navigation.timezone, "localdate", lambda *a, **k: datetime.date(2025, 5, 1))
    home = signed_in(w.enterprise).get("/").content.decode()
    assert 'data-testid="home-policy-matches"' in home and "主业奖励" in home
    assert "10.00 万元" in home  # the estimate of its fixed benefit (100,000 yuan), in the screen's unit
    monkeypatch.setattr(navigation.timezone, "localdate", lambda *a, **k: datetime.date(2024, 5, 1))
    assert "主业奖励" not in signed_in(w.enterprise).get("/").content.decode()  # no rule in force then
    assert 'data-testid="home-policy-matches"' not in signed_in(w.colleague).get("/").content.decode()
