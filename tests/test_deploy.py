"""deploy/: the nginx site passes `nginx -t`, the systemd units pass `systemd-analyze verify`, the
environment template names every variable ZoneOS reads and gives a configuration `check --deploy` finds
nothing in, and the site keeps uploads behind the application."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SITE = (DEPLOY / "nginx-zoneos.conf").read_text()
UNITS = ("zoneos-web.service", "zoneos-worker.service", "zoneos-scheduler.service")
# Read by the code but not for production: the development switch, the demo's password, a test knob.
# PYTHONPATH is passed on to the import reader's child process, not a setting of ZoneOS.
NOT_FOR_PRODUCTION = {"DEBUG", "ZONEOS_DEMO_PASSWORD", "ZONEOS_KILL_TEST_ROWS", "PYTHONPATH"}


def template() -> dict[str, str]:
    """The template's variables, the commented-out defaults included (`#NAME=value`)."""
    found = {}
    for line in (DEPLOY / "zoneos.env.example").read_text().splitlines():
        match = re.match(r"#?([A-Z][A-Z0-9_]*)=(.*)$", line)
        if match:
            found[match[1]] = match[2]
    return found


READ = re.compile(r"""(?:os\.environ\.get|_required)\(\s*["']([A-Z][A-Z0-9_]+)["']""")


def variables_read_by_the_code() -> set[str]:
    names = set()
    for path in (ROOT / "zoneos").rglob("*.py"):
        if "tests" in path.parts or "testing" in path.parts:
            continue
        names |= set(
            re.findall(r"""(?:os\.environ\.get|_required)\(\s*["']([A-Z][A-Z0-9_]+)["']""", path.read_text())
        )
    return names


def test_the_template_names_every_variable_zoneos_reads():
    missing = variables_read_by_the_code() - NOT_FOR_PRODUCTION - set(template())
    assert not missing, f"add to deploy/zoneos.env.example and docs/operations.md: {sorted(missing)}"


def _production(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    # The test run's own settings stay out (the suite allows async-unsafe calls for Playwright).
    left_out = {*template(), "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in left_out}
    env.update(template())
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_template_as_shipped_refuses_to_start_until_a_secret_key_is_set(tmp_path):
    shipped = _production({"ZONEOS_VAR_DIR": str(tmp_path)}, "check")
    assert shipped.returncode != 0 and "SECRET_KEY must be set" in shipped.stderr


def test_check_deploy_finds_nothing_in_the_templates_configuration(tmp_path):
    filled = {
        "SECRET_KEY": "k7Qw2Zr9Tn4Lp8Xv3Bm6Hc1Jd5Fs0Gy7Ua2Ei9Oo4Ik8Pl3Mn6Wq1Er5Ty0Ui",
        "ZONEOS_VAR_DIR": str(tmp_path),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    result = _production(filled, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_uploads_are_never_served_from_disk_by_nginx():
    media = re.search(r"location /media/ \{(.*?)\}", SITE, re.S)
    assert media and media[1].strip() == "return 404;"
    assert "/var/lib/zoneos" not in SITE  # MEDIA_ROOT and the private data: no alias, no root
    static_root = template()["STATIC_ROOT"]
    assert re.findall(r"alias ([^;$]+)", SITE) == [f"{static_root}/", f"{static_root}/"]


def test_the_request_limit_fits_the_largest_upload():
    from django.conf import settings

    size = re.search(r"client_max_body_size (\d+)m;", SITE)
    limit = int(size[1]) * 1024 * 1024
    largest_upload = settings.ZONEOS_IMPORT_MAX_UPLOAD_BYTES
    assert largest_upload < limit <= largest_upload + 2 * 1024 * 1024  # the file and its form, no more
    # nginx refuses what ZoneOS would refuse anyway, and lets through everything ZoneOS accepts.
    assert limit == settings.ZONEOS_MAX_REQUEST_BYTES


def test_the_proxy_passes_what_the_settings_trust():
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in SITE
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in SITE
    assert template()["ZONEOS_CLIENT_IP_HEADER"] == "HTTP_X_FORWARDED_FOR"
    assert "return 301 https://$host$request_uri;" in SITE


@pytest.mark.skipif(
    not shutil.which("nginx"), reason="nginx is not installed (scripts/system-deps installs it)"
)
def test_the_nginx_site_passes_nginx_t(tmp_path):
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=zoneos.test",
         "-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem")],
        check=True,
        capture_output=True,
    )  # fmt: skip
    site = SITE.replace("/etc/ssl/zoneos/", f"{tmp_path}/")
    (tmp_path / "zoneos.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n include /etc/nginx/mime.types;\n access_log off;\n"
        f" client_body_temp_path {tmp_path}/body;\n proxy_temp_path {tmp_path}/proxy;\n"
        f" fastcgi_temp_path {tmp_path}/fcgi;\n uwsgi_temp_path {tmp_path}/uwsgi;\n"
        f" scgi_temp_path {tmp_path}/scgi;\n"
        f" include {tmp_path}/zoneos.conf;\n}}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
    assert "[warn]" not in result.stderr, result.stderr


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_the_systemd_units_pass_systemd_analyze_verify(tmp_path):
    for unit in UNITS:
        text = (DEPLOY / unit).read_text()
        # The units name the installed layout; verify them against stand-ins of its programs.
        for program in set(re.findall(r"ExecStart=(\S+)", text)):
            stand_in = tmp_path / program.strip("/").replace("/", "_")
            stand_in.write_text("#!/bin/sh\n")
            stand_in.chmod(0o755)
            text = text.replace(program, str(stand_in))
        (tmp_path / unit).write_text(text)
    result = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / unit) for unit in UNITS)],
        capture_output=True,
        text=True,
        env={**os.environ, "SYSTEMD_LOG_LEVEL": "warning"},
    )
    problems = [line for line in result.stderr.splitlines() if "zoneos-" in line]
    assert result.returncode == 0 and not problems, result.stderr


def test_each_unit_runs_its_process_with_the_environment_file():
    commands = {
        "zoneos-web.service": "gunicorn zoneos.wsgi",
        "zoneos-worker.service": "manage.py db_worker",
        "zoneos-scheduler.service": "manage.py scheduler",
    }
    for unit, command in commands.items():
        text = (DEPLOY / unit).read_text()
        assert command in text and "EnvironmentFile=/etc/zoneos/zoneos.env" in text
        assert "User=zoneos" in text and "Restart=always" in text


def test_production_static_files_have_hashed_names_and_gzip_copies_for_nginx(tmp_path, settings):
    """What nginx's /static/ locations serve: hashed names (the year-long cache) with a .gz beside them
    (gzip_static); no brotli copies, which Debian's nginx cannot send and which cost most of the time."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "zoneos.core.staticfiles.HashedGzipStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)

    paths = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    immutable = re.compile(re.search(r'location ~ "([^"]+)"', SITE)[1].replace("(?<", "(?P<"))
    hashed = paths["zoneos/zoneos.css"]
    assert immutable.match(f"/static/{hashed}")[1] == hashed  # cached for a year
    assert not immutable.match("/static/zoneos/zoneos.css")  # the unhashed name: an hour
    assert (tmp_path / f"{hashed}.gz").exists()
    assert not list(tmp_path.rglob("*.br"))
