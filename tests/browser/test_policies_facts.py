"""An officer opens the declared facts awaiting verification, opens a fact's evidence and verifies it;
the verification page and an item's page (its applications and budget) fit a desktop and a phone in
Chinese and English."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zoneos.policies import services
from zoneos.policies.models import Budget, DeclaredFact

pytestmark = pytest.mark.browser


def declared(w, variable="debt_ratio", value="0.55"):
    return services.declare_fact(
        by=w.enterprise,
        enterprise=w.E1,
        variable=variable,
        year=2025,
        value=Decimal(value),
        evidence=SimpleUploadedFile("2025年审计报告.pdf", b"%PDF-1.4 audit", content_type="application/pdf"),
        note="经审计的资产负债表",
    )


def test_an_officer_opens_the_evidence_and_verifies_a_declared_fact(live_world, page, live_server, sign_in):
    w = live_world
    fact = declared(w)
    sign_in("admin")
    page.goto(f"{live_server.url}/policies/review/")
    page.get_by_test_id("facts-to-verify").click()
    page.wait_for_url("**/policies/facts/")
    row = page.get_by_test_id(f"fact-{fact.pk}")
    assert "0.55" in row.inner_text() and w.E1.name in row.inner_text()
    with page.expect_download() as got:
        page.get_by_test_id(f"evidence-{fact.pk}").click()
    download = got.value
    assert download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes() == b"%PDF-1.4 audit"
    page.get_by_test_id(f"verify-{fact.pk}").click()
    page.get_by_test_id(f"fact-{fact.pk}").wait_for(state="detached")
    fact = DeclaredFact.objects.get(pk=fact.pk)
    assert fact.verified_by == w.admin and fact.verified_at is not None
    assert "没有待核实的事实。" in page.get_by_test_id("facts").inner_text()  # the default language


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_verification_and_item_pages_fit_a_desktop_and_a_phone(
    live_world, page, live_server, sign_in, shot, language
):
    w = live_world
    declared(w)
    declared(w, "class1_ip", "3")
    Budget.objects.filter(pk=w.BU1.pk).update(committed=Decimal("300000"), disbursed=Decimal("120000"))
    sign_in("admin")
    page.context.add_cookies([{"name": "zoneos_language", "value": language, "url": live_server.url}])
    for name, url in (("facts", "/policies/facts/"), ("item", w.PI1.get_absolute_url())):
        for width, height in ((1440, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(f"{live_server.url}{url}")
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, (name, width, overflow)
            shot(f"policies-{name}-{language}-{width}")
        if name == "item":
            assert page.get_by_test_id("budget-2025").is_visible()
            assert page.get_by_test_id(f"item-application-{w.PA1.pk}").count() == 1
