"""The investment pipeline at province scale: the funnel over 200,000 projects and a park's board.

Builds (with COPY through `zoneos.core.bulkinsert`, not through the services) a region with 4 zones
of 10 parks each holding 200,000 projects spread over five years of leads, each with its stage moves
(lead, then along the table of allowed moves, some paused or dropped), and one more park holding 500
projects. Then times, median of --repeat runs:

- (a) the funnel of the region (what `GET /api/v1/projects/funnel/?area=<region>` computes: a sum
  of the funnel cells; target at most 200 ms on PostgreSQL), checked equal to the funnel read from
  the projects themselves, which is timed beside it; (b) that request through Django's test client as
  a superuser, whole request;
- (c) the funnel of one zone for one year of leads;
- (d) `GET /projects/board/?area=<park>` for the park with 500 projects, rendered, signed in as that
  park's investment officer (target at most 300 ms).

The database DATABASE_URL names (default: postgres://postgres@127.0.0.1:5432/zoneos_bench_pipeline)
must have "bench" in its name: its public schema is dropped and migrated. SQLite works too
(DATABASE_URL=sqlite:///...). Prints a table and writes bench/results/pipeline-<vendor>.json.

    .venv/bin/python bench/pipeline.py --projects 20000   # a quick run
    .venv/bin/python bench/pipeline.py                    # 200,000 projects
"""

import argparse
import datetime
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VAR_DIR = Path(tempfile.mkdtemp(prefix="zoneos-bench-pipeline-"))
os.environ["ZONEOS_VAR_DIR"] = str(VAR_DIR)
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zoneos_bench_pipeline")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zoneos.settings")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from zoneos.accounts.models import Membership, User  # noqa: E402
from zoneos.areas.services import create_area  # noqa: E402
from zoneos.core.bulkinsert import insert  # noqa: E402
from zoneos.pipeline import funnel_cells  # noqa: E402
from zoneos.pipeline.demo import STAY, path_of  # noqa: E402
from zoneos.pipeline.funnel import funnel, funnel_for  # noqa: E402
from zoneos.pipeline.models import Project, StageEvent  # noqa: E402
from zoneos.pipeline.names import investor_key  # noqa: E402
from zoneos.pipeline.stages import BIT, DAYS_FIELD, StageCategory  # noqa: E402

C = StageCategory
TARGETS = {"funnel_ms": 200, "board_ms": 300}
TODAY = datetime.date(2026, 11, 1)
INDUSTRIES = ["3612", "3841", "3974", "3989", "3976", "3493", "3670", "3252", "2761", "3491", "1462"]


def reset_database() -> None:
    if connection.vendor == "postgresql":
        import psycopg

        params = connection.get_connection_params()
        name = params.pop("dbname")
        if "bench" not in name:
            sys.exit(f"refusing to wipe the database {name!r}: use one with 'bench' in its name")
        params["dbname"] = "postgres"
        with psycopg.connect(**params, autocommit=True) as admin:
            if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                admin.execute(f'CREATE DATABASE "{name}"')
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    call_command("migrate", verbosity=0)


def generate(parks: list, count: int, prefix: str, seed: int, owner=None):
    """Projects and their moves as plain rows, the way the services would have written them."""
    rng = random.Random(seed)
    projects, moves = [], []
    for n in range(count):
        lead_on = TODAY - datetime.timedelta(days=rng.randint(1, 5 * 365))
        code = f"{prefix}{n:07d}"
        events = [["", C.LEAD, lead_on]]
        current, on = C.LEAD, lead_on
        for step in path_of(rng):
            low, high = STAY.get(current, (10, 60))
            moved = on + datetime.timedelta(days=rng.randint(low, high))
            if moved > TODAY:
                break
            events.append([current, step, moved])
            current, on = step, moved
        mask, days = 0, {}
        for index, (_from, to, entered) in enumerate(events):
            mask |= BIT[to]
            if index + 1 < len(events) and to in DAYS_FIELD:
                field = DAYS_FIELD[to]
                days[field] = days.get(field, 0) + (events[index + 1][2] - entered).days
        investor = f"投资方{seed}-{n}有限公司"
        total = Decimal(rng.choice([5e7, 1e8, 2e8, 5e8, 1e9, 3e9])) * Decimal(
            str(round(rng.uniform(0.5, 1.5), 2))
        )
        projects.append(
            {
                "name": f"项目{code}",
                "code": code,
                "area_id": rng.choice(parks).pk,
                "investor_name": investor,
                "investor_key": investor_key(investor),
                "capital_origin": rng.choices(["domestic", "hong_kong", "taiwan"], [85, 10, 5])[0],
                "industry_code": rng.choice(INDUSTRIES),
                "industry_section": "C",
                "total_investment": total.quantize(Decimal("0.01")),
                "jobs": rng.randint(20, 2000),
                "owner_id": owner.pk if owner else None,
                "source": rng.choice(["own_lead", "referral", "exhibition", "agency"]),
                "stage": current,
                "stage_on": on,
                "lead_on": lead_on,
                "entered_mask": mask,
                **days,
            }
        )
        moves.append((code, events))
    return projects, moves


def load(projects, moves) -> None:
    insert(Project, projects)
    ids = dict(Project.objects.filter(code__in=[p["code"] for p in projects]).values_list("code", "pk"))
    rows = []
    for code, events in moves:
        for index, (source, to, on) in enumerate(events):
            left = events[index + 1][2] if index + 1 < len(events) else None
            rows.append(
                {
                    "project_id": ids[code],
                    "from_category": source,
                    "to_category": to,
                    "on": on,
                    "left_on": left,
                    "days": (left - on).days if left else None,
                }
            )
    insert(StageEvent, rows)
    # Rows copied in around the model: its funnel cells are rebuilt, as `manage.py rebuild_rollups` does.
    funnel_cells.rebuild()


def median_ms(fn, repeat: int) -> tuple[float, list[float]]:
    fn()  # warm
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=200_000)
    parser.add_argument("--board-projects", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    try:
        run(args)
    finally:
        shutil.rmtree(VAR_DIR, ignore_errors=True)


def run(args) -> None:
    reset_database()
    root = User.objects.create_superuser("bench-root", "root@example.org", "bench-password-1")
    region = create_area(by=root, code="GD", name="广东省", kind="region")
    zones, parks = [], []
    for z in range(4):
        zone = create_area(by=root, code=f"Z{z}", name=f"高新区{z}", kind="zone", parent=region)
        zones.append(zone)
        for p in range(10):
            parks.append(
                create_area(by=root, code=f"Z{z}-P{p}", name=f"高新区{z}园区{p}", kind="park", parent=zone)
            )
    board_park = create_area(by=root, code="Z0-BOARD", name="看板园区", kind="park", parent=zones[0])
    officer = User.objects.create_user("bench-officer", "officer@example.org", "bench-password-1")
    Membership.objects.create(user=officer, role="investment_officer", area=board_park)

    started = time.perf_counter()
    load(*generate(parks, args.projects, "P", 1))
    load(*generate([board_park], args.board_projects, "B", 2, owner=officer))
    built = time.perf_counter() - started
    events = StageEvent.objects.count()
    if connection.vendor == "postgresql":
        # What autovacuum does on a live database after a load like this: fresh planner statistics.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(
        f"built {Project.objects.count():,} projects and {events:,} stage moves in {built:.1f} s", flush=True
    )

    region_projects = Project.objects.in_subtree(region)
    results = []

    def record(name, fn, target=None, repeat=args.repeat):
        ms, times = median_ms(fn, repeat)
        results.append(
            {
                "operation": name,
                "median_ms": round(ms, 2),
                "min_ms": round(min(times), 2),
                "max_ms": round(max(times), 2),
                "runs": repeat,
                "target_ms": target,
                "meets_target": None if target is None else ms <= target,
            }
        )
        print(f"  {results[-1]}", flush=True)

    figures = funnel(region_projects, region)
    assert figures["stages"][0]["entered"] == args.projects + args.board_projects, figures["stages"][0]
    assert funnel_for(root, region) == figures, "the funnel cells disagree with the projects"
    record(
        "funnel of the region (all projects), from the funnel cells",
        lambda: funnel_for(root, region),
        TARGETS["funnel_ms"],
    )
    record(
        "the same funnel read from the 200,000 projects (for comparison)",
        lambda: funnel(region_projects, region),
    )

    client = Client()
    client.force_login(root)
    url = f"/api/v1/projects/funnel/?area={region.pk}"
    assert client.get(url).status_code == 200
    record("GET /api/v1/projects/funnel/?area=<region> (whole request)", lambda: client.get(url))

    year = Project.objects.in_subtree(zones[1]).filter(lead_on__year=2025)
    record("funnel() of one zone, leads of 2025", lambda: funnel(year, zones[1]))

    board = Client()
    board.force_login(officer)
    board_url = f"/projects/board/?area={board_park.pk}"
    response = board.get(board_url)
    assert response.status_code == 200 and b"zo-board-card" in response.content
    cards = response.content.count(b'data-project="')
    record(
        f"board page of a park with {args.board_projects} projects ({cards} cards)",
        lambda: board.get(board_url),
        TARGETS["board_ms"],
    )

    result = {
        "database": connection.vendor,
        "projects": Project.objects.count(),
        "stage_moves": events,
        "python": sys.version.split()[0],
        "results": results,
    }
    print(
        f"\nZoneOS pipeline on {connection.vendor}: {result['projects']:,} projects, {events:,} stage moves"
    )
    width = max(len(r["operation"]) for r in results)
    print(f"{'operation':<{width}}  {'median ms':>9}  {'min':>7}  {'max':>7}  target")
    for r in results:
        target = f"<= {r['target_ms']} {'ok' if r['meets_target'] else 'MISSED'}" if r["target_ms"] else "-"
        print(
            f"{r['operation']:<{width}}  {r['median_ms']:>9.2f}  {r['min_ms']:>7.2f}  "
            f"{r['max_ms']:>7.2f}  {target}"
        )
    out = ROOT / "bench" / "results" / f"pipeline-{connection.vendor}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"written: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
