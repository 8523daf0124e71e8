"""Declared facts: their evidence goes through the one upload check (API multipart, calculator) and is
downloaded only through the scoped view; staff verify them from the page of facts awaiting
verification, and matching counts a fact only once it is verified (the calculator says "declared,
awaiting verification" meanwhile)."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zoneos.policies import services
from zoneos.policies.models import DeclaredFact
from zoneos.testing.world import ALL_USERS

from .world import catalogue

ANONYMOUS = "anonymous"
VERIFIERS = {"root", "admin", "park_staff", "service_officer", "statistician"}
FACT_WRITERS = VERIFIERS | {"enterprise"}
DEBT = {"all": [{"id": "debt", "label": "资产负债率", "var": "debt_ratio", "op": "<=", "value": "0.6"}]}
ON = "2026-05-01"  # figures and facts of 2025


@pytest.fixture
def w(world):
    return catalogue(world)


def upload(name="审计报告.pdf", content=b"%PDF-1.4 audit"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def signed_in(user, language="en"):
    client = Client()
    client.cookies["zoneos_language"] = language
    client.force_login(user)
    return client


def debt_rule_on_it3(w):
    """IT3 (no rules yet) asks for a debt ratio of at most 60 %: E1's DF1 (0.5, unverified) meets it
    once verified."""
    rule = services.create_rule(
        by=w.root, item=w.IT3, effective_from=datetime.date(2025, 1, 1), criteria=DEBT
    )
    return services.publish_rule(rule, by=w.root)


# Evidence: the upload check and the scoped download -------------------------------------------------
@pytest.mark.parametrize("caller", [*ALL_USERS, ANONYMOUS])
def test_every_caller_through_a_facts_evidence(w, api, caller):
    """Writers of E1's facts upload evidence through the API (multipart); the answer's `evidence` is the
    scoped view, which gives the file to whoever sees the fact and 404 to everyone else."""
    client = api(None if caller == ANONYMOUS else w.users[caller])
    made = client.post(
        "/api/v1/declared-facts/",
        {"enterprise": w.E1.pk, "variable": "class1_ip", "year": 2025, "value": "3", "evidence": upload()},
        format="multipart",
    )
    if caller == ANONYMOUS:
        assert made.status_code == 401
        return
    if caller not in FACT_WRITERS:
        assert made.status_code in (403, 400), made.content  # no writing role; or E1 is out of reach
        assert not DeclaredFact.objects.filter(variable="class1_ip").exists()
        return
    assert made.status_code == 201, made.content
    fact = DeclaredFact.objects.get(pk=made.json()["id"])
    assert made.json()["evidence"] == f"http://testserver/policies/facts/{fact.pk}/evidence/"
    assert "/media/" not in made.content.decode()
    assert made.json()["verified_by"] is None
    got = signed_in(w.users[caller]).get(fact.get_evidence_url())
    assert got.status_code == 200 and got["Content-Disposition"].startswith("attachment;")
    assert b"".join(got.streaming_content) == b"%PDF-1.4 audit"
    made_by = LogEntry.objects.get_for_object(fact).values_list("actor__username", flat=True)
    assert list(made_by) == [w.users[caller].username]


@pytest.mark.parametrize("caller", ["enterprise", "admin", "leader", "handler", "stranger"])
def test_evidence_downloads_only_for_who_sees_the_fact(w, caller):
    mine = services.declare_fact(
        by=w.root, enterprise=w.E1, variable="niche_years", year=2025, value=5, evidence=upload()
    )
    other = services.declare_fact(
        by=w.root, enterprise=w.E2, variable="niche_years", year=2025, value=5, evidence=upload()
    )
    client = signed_in(w.users[caller])
    sees = caller != "stranger"  # every role reads E1's facts (the permission matrix's readers)
    assert client.get(mine.get_evidence_url()).status_code == (200 if sees else 404)
    assert client.get(other.get_evidence_url()).status_code == 404
    assert client.get(f"/policies/facts/{w.DF1.pk}/evidence/").status_code == 404  # no file
    mine.evidence.storage.delete(mine.evidence.name)
    assert client.get(mine.get_evidence_url()).status_code == 404  # the file gone: 404, not 500
    assert Client().get(other.get_evidence_url()).status_code == 302  # to sign in


def test_a_refused_evidence_file_answers_400_naming_evidence_and_writes_nothing(w, api, monkeypatch):
    client = api(w.enterprise)
    body = {"enterprise": w.E1.pk, "variable": "class1_ip", "year": 2025, "value": "3"}
    empty = client.post(
        "/api/v1/declared-facts/", {**body, "evidence": upload(content=b"")}, format="multipart"
    )
    assert empty.status_code == 400 and empty.json() == {"evidence": ["The file is empty."]}
    monkeypatch.setattr("zoneos.core.files.MAX_ATTACHMENT_BYTES", 2**20)
    big = client.post(
        "/api/v1/declared-facts/",
        {**body, "evidence": upload(content=b"x" * (2**20 + 1))},
        format="multipart",
    )
    assert big.status_code == 400 and big.json() == {"evidence": ["A file may be at most 1 MB."]}
    assert not DeclaredFact.objects.filter(variable="class1_ip").exists()
    # A correction (PATCH) is checked the same way, and keeps the fact as it was.
    patched = client.patch(
        f"/api/v1/declared-facts/{w.DF1.pk}/", {"evidence": upload(content=b"")}, format="multipart"
    )
    assert patched.status_code == 400 and list(patched.json()) == ["evidence"]
    assert not DeclaredFact.objects.get(pk=w.DF1.pk).evidence
    monkeypatch.undo()
    fine = client.patch(f"/api/v1/declared-facts/{w.DF1.pk}/", {"evidence": upload()}, format="multipart")
    assert fine.status_code == 200 and fine.json()["evidence"].endswith(
        f"/policies/facts/{w.DF1.pk}/evidence/"
    )


def test_the_calculator_refuses_an_empty_evidence_file(w):
    client = signed_in(w.enterprise)
    answer = client.post(
        "/policies/calculator/",
        {"variable": "class1_ip", "year": "2025", "value": "2", "evidence": upload(content=b"")},
        follow=True,
    )
    assert "The file is empty." in answer.content.decode()
    assert not w.E1.declared_facts.filter(variable="class1_ip").exists()


# The page of facts awaiting verification -------------------------------------------------------------
@pytest.mark.parametrize("caller", [*ALL_USERS, ANONYMOUS])
def test_every_caller_through_the_facts_to_verify(w, caller):
    """Staff who may verify facts list those of their scope and verify them; others find no page."""
    client = Client() if caller == ANONYMOUS else signed_in(w.users[caller])
    page = client.get("/policies/facts/")
    verified = client.post("/policies/facts/", {"fact": w.DF1.pk})
    fact = DeclaredFact.objects.get(pk=w.DF1.pk)
    if caller == ANONYMOUS:
        assert page.status_code == verified.status_code == 302 and fact.verified_at is None
        return
    if caller not in VERIFIERS:
        assert page.status_code == verified.status_code == 404 and fact.verified_at is None
        return
    text = page.content.decode()
    assert page.status_code == 200 and f'data-testid="fact-{w.DF1.pk}"' in text
    assert (f'data-testid="fact-{w.DF2.pk}"' in text) is (caller == "root")  # E2 is Z2's
    assert verified.status_code == 302
    assert fact.verified_by == w.users[caller] and fact.verified_at is not None
    authors = LogEntry.objects.get_for_object(fact).values_list("actor__username", flat=True)
    assert w.users[caller].username in authors
    assert f'data-testid="fact-{w.DF1.pk}"' not in client.get("/policies/facts/").content.decode()
    outside = client.post("/policies/facts/", {"fact": w.DF2.pk})
    assert outside.status_code == (302 if caller == "root" else 404)


def test_the_review_queue_leads_verifiers_to_the_facts(w):
    assert 'data-testid="facts-to-verify"' in signed_in(w.admin).get("/policies/review/").content.decode()
    assert (
        'data-testid="facts-to-verify"' not in signed_in(w.handler).get("/policies/review/").content.decode()
    )


# Matching counts verified facts only ---------------------------------------------------------------
def test_an_unverified_fact_does_not_count_until_staff_verify_it(w, api):
    debt_rule_on_it3(w)
    client = api(w.admin)

    def answers():
        row = client.get(f"/api/v1/enterprises/{w.E1.pk}/eligibility/", {"item": w.IT3.pk, "on": ON}).json()[
            0
        ]
        matches = client.get(f"/api/v1/policy-items/{w.IT3.pk}/matches/", {"on": ON}).json()["results"]
        in_sql = {m["enterprise"]: m["result"] for m in matches}.get(w.E1.pk)
        return row["result"], row["criteria"][0]["missing"], in_sql

    assert answers() == ("unknown", ["debt_ratio 2025"], "unknown")  # DF1 (0.5) waits for staff
    assert client.post(f"/api/v1/declared-facts/{w.DF1.pk}/verify/").status_code == 200
    assert answers() == ("eligible", [], "eligible")
    # A correction by the enterprise needs verifying again: meanwhile it does not count.
    changed = api(w.enterprise).patch(f"/api/v1/declared-facts/{w.DF1.pk}/", {"value": "0.4"}, format="json")
    assert changed.status_code == 200 and changed.json()["verified_by"] is None
    assert answers()[0::2] == ("unknown", "unknown")


def test_the_calculator_says_a_declared_fact_awaits_verification(w):
    debt_rule_on_it3(w)
    client = signed_in(w.enterprise)
    page = client.get("/policies/calculator/", {"on": ON}).content.decode()
    assert 'data-testid="awaiting-verification"' in page and 'data-testid="awaiting-facts"' in page
    assert "declared, awaiting verification" in page
    services.verify_fact(DeclaredFact.objects.get(pk=w.DF1.pk), by=w.admin)
    page = client.get("/policies/calculator/", {"on": ON}).content.decode()
    assert 'data-testid="awaiting-facts"' not in page and 'data-testid="awaiting-verification"' not in page
    assert 'data-testid="calc-item-it3"' in page.split('data-testid="group-eligible"')[1].split("</ul>")[0]
