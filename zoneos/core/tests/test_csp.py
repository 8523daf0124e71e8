"""The Content-Security-Policy header: strict for scripts everywhere, wider on the API documentation
page only, report-only on request. (tests/browser/test_security.py checks that pages run under it.)"""

import re
from pathlib import Path

from zoneos.core.middleware import CSP

ROOT = Path(__file__).resolve().parents[2]


def directives(policy: str) -> dict:
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


def test_pages_and_api_answers_carry_the_strict_policy(client, world):
    for response in (client.get("/login/"), client.get("/api/v1/me/"), client.get("/healthz")):
        policy = directives(response.headers["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"]
        assert policy["default-src"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["img-src"] == ["'self'", "data:"]


def test_only_the_api_documentation_may_run_its_inline_script(client, world):
    client.force_login(world.leader)
    docs = directives(client.get("/api/docs/").headers["Content-Security-Policy"])
    assert docs["script-src"] == ["'self'", "'unsafe-inline'"]
    assert directives(client.get("/").headers["Content-Security-Policy"])["script-src"] == ["'self'"]


def test_report_only_sends_the_policy_without_enforcing_it(client, settings):
    settings.CSP_REPORT_ONLY = True
    response = client.get("/login/")
    assert "Content-Security-Policy" not in response.headers
    assert response.headers["Content-Security-Policy-Report-Only"] == CSP


def test_no_template_has_an_inline_script_or_event_handler():
    found = []
    for template in ROOT.glob("zoneos/*/templates/**/*.html"):
        text = template.read_text()
        for match in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text):
            found.append(f"{template.relative_to(ROOT)}: {match.group(0)}")
        for match in re.finditer(r"\son[a-z]+\s*=", text):
            found.append(f"{template.relative_to(ROOT)}: {match.group(0).strip()}")
        if "javascript:" in text:
            found.append(f"{template.relative_to(ROOT)}: javascript:")
    assert found == []
