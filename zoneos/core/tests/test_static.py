"""Static files collect as production serves them: every file a vendored asset refers to (a source map,
a font) is there, so `collectstatic` with hashed names does not stop half-way."""

from django.core.management import call_command
from django.test import override_settings


def test_collectstatic_with_hashed_names_finds_every_referenced_file(tmp_path):
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        # Django's manifest storage resolves the same references as WhiteNoise's (which adds only
        # compression): a file that an asset names and that is missing stops it.
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", "--noinput", verbosity=0)
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "vendor/bootstrap/bootstrap.bundle.min.js.map" in manifest
    assert "vendor/htmx/htmx.min.js" in manifest
