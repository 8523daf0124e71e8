"""Every visible string ships in Simplified Chinese, and the compiled catalogue matches its source."""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[1] / "zoneos" / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_message_has_a_chinese_translation():
    po = polib.pofile(str(LOCALE / "django.po"))
    assert len(po) > 100
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_the_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(LOCALE / "django.po"))
    mo = polib.mofile(str(LOCALE / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in mo if e.msgid}
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in po.translated_entries()}
    assert compiled == source, "run `make messages` to recompile django.mo"


def test_no_visible_string_is_missing_from_the_catalogue(tmp_path):
    """Extract the strings afresh (on a copy of the code) and find none without a translation."""
    import shutil
    import subprocess
    import sys

    root = LOCALE.parents[3]
    shutil.copytree(
        root / "zoneos", tmp_path / "zoneos", ignore=shutil.ignore_patterns("__pycache__", "static")
    )
    shutil.copy(root / "manage.py", tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path), "DEBUG": "true"},
    )
    assert result.returncode == 0, result.stderr
    fresh = polib.pofile(str(tmp_path / "zoneos/locale/zh_Hans/LC_MESSAGES/django.po"))
    missing = [e.msgid for e in fresh.untranslated_entries()] + [e.msgid for e in fresh.fuzzy_entries()]
    assert missing == [], "translate these and run `make messages`"
