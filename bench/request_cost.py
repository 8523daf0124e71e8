"""What one request costs the web process: milliseconds of wall time and of the process's own CPU per
request, for the pages and API lists the load bench plays, each as the role that uses it.

Runs the whole request through Django's test client (middleware, context processors, view, template)
against the load bench's database (bench/load_data.py), DEBUG off, after one warm-up request, and reports
the median of --repeat requests. CPU is `time.process_time()` of this process: the web worker's share,
without PostgreSQL's. With --profile ROUTE, prints a cProfile of that route on the process's CPU clock.

    .venv/bin/python bench/request_cost.py          # DATABASE_URL: the load bench's database
    .venv/bin/python bench/request_cost.py --profile enterprise_list
    .venv/bin/python bench/request_cost.py --only "appeal queue" --rounds 3   # best of three rounds
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zoneos_load")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zoneos.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ZONEOS_VAR_DIR", tempfile.mkdtemp(prefix="zoneos-request-cost-"))
os.environ.setdefault("CONN_MAX_AGE", "60")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from zoneos.accounts.models import User  # noqa: E402


def routes(meta: dict) -> list[tuple[str, str, str]]:
    """(name, role's username, url) of the requests measured."""
    from zoneos.appeals.models import Appeal
    from zoneos.enterprises.models import Enterprise
    from zoneos.pipeline.models import Project
    from zoneos.supervision.models import KeyProject

    park = meta["parks"][0]
    zone0, zone1 = meta["zones"][0], meta["zones"][1]
    year = 2025  # the load mix's year (bench/load.py's fixture)
    enterprise = Enterprise.objects.filter(area_id=park).order_by("pk").values_list("pk", flat=True).first()
    project = Project.objects.filter(area_id=park).order_by("pk").values_list("pk", flat=True).first()
    key = KeyProject.objects.filter(area__parent_id=meta["zones"][0]).values_list("pk", flat=True).first()
    appeal = (
        Appeal.objects.filter(department_id=meta["queue_department"]).values_list("pk", flat=True).first()
    )
    return [
        # The floor (bench/load/floor.py): what every request pays before a page's own work.
        ("floor: /healthz (anonymous)", "", "/healthz"),
        ("floor: /api/v1/me/ (park staff)", "staff0", "/api/v1/me/"),
        # A leader's home is the statistics dashboard (a redirect); park staff land on their own home.
        ("home (park staff)", "staff0", "/"),
        ("stats dashboard (leader)", "leader0", "/dashboard/"),
        (
            "enterprise list, filtered (park staff)",
            "staff0",
            "/enterprises/?industry_section=C&status=active",
        ),
        ("enterprise record (park staff)", "staff0", f"/enterprises/{enterprise}/"),
        ("API enterprises (park staff)", "staff0", "/api/v1/enterprises/"),
        ("project list, filtered (investment officer)", "invest0", "/projects/?stage=signed"),
        ("project record (investment officer)", "invest0", f"/projects/{project}/"),
        ("supervision summary (supervisor)", "super0", "/supervision/"),
        ("key project record (supervisor)", "super0", f"/supervision/projects/{key}/"),
        ("appeal queue (handler)", "handler0", "/appeals/"),
        ("appeal record (handler)", "handler0", f"/appeals/{appeal}/"),
        ("API appeals (handler)", "handler0", "/api/v1/appeals/"),
        ("appeal queue (service officer)", "service0", "/appeals/"),
        # The rest of the load mix (bench/load/locustfile.py), each as the role that asks for it there.
        ("investment funnel (leader)", "leader0", "/projects/funnel/"),
        ("project board (investment officer)", "invest0", f"/projects/board/?area={park}"),
        ("API projects (investment officer)", "invest0", f"/api/v1/projects/?area={park}"),
        ("API statistics overview (leader)", "leader1", f"/api/v1/stats/overview/?area={zone1}"),
        (
            "API key-project summary (supervisor)",
            "super0",
            f"/api/v1/supervision/summary/?area={zone0}&month={year}-08",
        ),
        ("API yearly figures (statistician)", "stat0", f"/api/v1/indicators/?year={year - 1}&within={zone0}"),
        ("service workbench (service officer)", "service0", "/workbench/"),
        ("appeal dashboard (service officer)", "service0", "/appeals/dashboard/"),
        # The registry's zone-wide lists: a statistician's label filter, park staff's searches and filters.
        ("enterprise list, high-tech (statistician)", "stat0", "/enterprises/?label=high_tech&status=active"),
        ("enterprise list, search 科技 (park staff)", "staff0", "/enterprises/?q=科技"),
        ("enterprise list, search kj (park staff)", "staff0", "/enterprises/?q=kj"),
        ("enterprise list, small (park staff)", "staff0", "/enterprises/?size_class=small"),
    ]


def measure(client: Client, url: str, repeat: int) -> dict:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"GET {url}: {response.status_code} {response.content[:300]!r}")
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        client.get(url)
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
    return {"wall_ms": round(statistics.median(walls), 1), "cpu_ms": round(statistics.median(cpus), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--profile", help="a route name (or part of it): print its profile")
    parser.add_argument("--sort", default="cumulative", help="pstats order of --profile")
    parser.add_argument("--lines", type=int, default=60, help="lines of --profile")
    parser.add_argument("--json", help="write the results to this file")
    parser.add_argument("--only", help="measure only the routes whose name holds this text")
    parser.add_argument("--rounds", type=int, default=1, help="rounds over the routes; the best one counts")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    from load_data import read_meta

    meta = read_meta()
    if not meta:
        raise SystemExit("no load dataset in this database: run bench/load_data.py first")
    clients = {}
    results = {}
    for name, username, url in routes(meta):
        if (args.profile and args.profile not in name) or (args.only and args.only not in name):
            continue
        if username not in clients:
            clients[username] = Client()
            if username:
                clients[username].force_login(User.objects.get(username=username))
        client = clients[username]
        if args.profile:
            # cProfile on the process's CPU clock: what the worker spends, not what it waits for.
            import cProfile
            import pstats

            client.get(url)
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            for _ in range(args.repeat):
                client.get(url)
            profiler.disable()
            print(f"== {name}: {url} ({args.repeat} requests)")
            stats = pstats.Stats(profiler).strip_dirs()
            stats.sort_stats(args.sort).print_stats(args.lines)
            continue
        rounds = [measure(client, url, args.repeat) for _ in range(args.rounds)]
        results[name] = {"url": url, **min(rounds, key=lambda r: r["cpu_ms"])}
        print(
            f"{name:48} {results[name]['wall_ms']:8.1f} ms {results[name]['cpu_ms']:8.1f} ms CPU", flush=True
        )
    if args.json and results:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False))
    connection.close()


if __name__ == "__main__":
    main()
