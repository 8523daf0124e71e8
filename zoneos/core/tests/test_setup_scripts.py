"""What a new user runs first says what it does (load_demo: test_demo.py): system-deps
installs what the README's steps use, the demo server tells e-mails the site's address, and the README
says how to serve on another port."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_system_deps_installs_poppler_that_the_guide_uses():
    script = (ROOT / "scripts" / "system-deps").read_text()
    assert "poppler-utils" in script and "pdftoppm" in script


def test_the_demo_server_sets_the_site_address_for_e_mail_links():
    assert re.search(
        r"ZONEOS_SITE_URL=\$\{ZONEOS_SITE_URL:-http://\$ADDR\}", (ROOT / "scripts" / "serve").read_text()
    )


def test_the_readme_says_how_to_serve_on_another_port():
    assert "ZONEOS_ADDR=0.0.0.0:8080 make demo" in (ROOT / "README.md").read_text()
