"""The dataset of the load bench: one PostgreSQL database at province scale, built from the other benches'
generators.

At --scale 1 (the issue's target): 1,000,000 enterprises with five years of figures and labels
(`registry_overview.build_registry`), 1,000,000 open appeals with their events over 20,000 more
enterprises, the departments, routing rules and SLA policies (`appeals.Region`, `appeals.load`),
200,000 investment projects with their stage moves (`pipeline.generate`, `pipeline.load`) and 100,000
key projects with twelve monthly reports and month figures each (`supervision.build`), all in one region
of 4 zones and 40 parks; then the statistics rollup (`zoneos.stats.services.refresh(None)`) and
VACUUM ANALYZE. Smaller scales divide every count by the same factor.

On top: the people the load bench plays, several of each role in different parks and zones (leaders,
investment officers, supervisors, service officers, department handlers, park staff, statisticians),
all with the password `load-password-1`.

Every step is timed; the counts, the scale and the timings are kept in the table `bench_load_meta`,
which `bench/load.py` reads to reuse the database when it was built at the scale asked for.

The database is DATABASE_URL (default postgres://postgres@127.0.0.1:5432/zoneos_load); its name must
contain "load" or "bench": its public schema is dropped and migrated.

    .venv/bin/python bench/load_data.py --scale 0.1    # 100,000 enterprises, 100,000 appeals, ...
    .venv/bin/python bench/load_data.py                # province scale
"""

import argparse
import datetime
import json
import os
import random
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zoneos_load")
os.environ.setdefault("DEBUG", "false")
sys.path.insert(0, str(ROOT / "bench"))

# The benches set up Django on import (DEBUG off, a temporary ZONEOS_VAR_DIR each).
import appeals  # noqa: E402
import pipeline  # noqa: E402
import registry_overview  # noqa: E402
import supervision  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from zoneos.accounts.models import Membership, User  # noqa: E402
from zoneos.areas.models import Area, Department  # noqa: E402
from zoneos.core.bulkinsert import insert  # noqa: E402
from zoneos.core.roles import Role  # noqa: E402
from zoneos.enterprises.models import Enterprise  # noqa: E402
from zoneos.stats import services as stats  # noqa: E402
from zoneos.supervision import services as supervision_services  # noqa: E402

FULL = {"enterprises": 1_000_000, "appeals": 1_000_000, "projects": 200_000, "key_projects": 100_000}
PASSWORD = "load-password-1"
META = "bench_load_meta"


def ensure_database() -> None:
    """Create the database if missing (a name with 'load' or 'bench' in it only)."""
    import psycopg

    if connection.vendor != "postgresql":
        sys.exit("the load bench runs on PostgreSQL: set DATABASE_URL=postgres://…/zoneos_load")
    params = connection.get_connection_params()
    name = params.pop("dbname")
    if "load" not in name and "bench" not in name:
        sys.exit(f"refusing to wipe the database {name!r}: use one with 'load' or 'bench' in its name")
    params["dbname"] = "postgres"
    with psycopg.connect(**params, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def reset_database() -> None:
    ensure_database()
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    call_command("migrate", verbosity=0)


def read_meta() -> dict | None:
    """What the database was built with, or None (no dataset, or another database)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [META])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT body FROM {META}")  # noqa: S608
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def write_meta(meta: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {META} (body text NOT NULL)")
        cursor.execute(f"DELETE FROM {META}")  # noqa: S608
        cursor.execute(f"INSERT INTO {META} (body) VALUES (%s)", [json.dumps(meta)])  # noqa: S608


def one_region(zones, parks):
    """Make `appeals.Region` find the region, zones and parks already built instead of adding a second
    tree, and give its enterprises codes of their own (the registry's take 440605/440606)."""
    by_code = {a.code: a for a in Area.objects.all()}
    real_uscc = appeals.build_uscc

    def existing_area(*, by, code, **_kwargs):
        return by_code[code]

    def other_uscc(kind, sub, _region, org):
        return real_uscc(kind, sub, "440699", org)

    appeals.create_area = existing_area
    appeals.build_uscc = other_uscc
    appeals.Enterprise = AppealEnterprises(Enterprise.objects.filter(pk__gt=last_registry_pk()))


class AppealEnterprises:
    """`Enterprise` as `appeals.Region` sees it: the model to insert into, and only the enterprises it
    adds itself (after the registry's) when it reads them back."""

    def __init__(self, objects):
        self.objects = objects
        self._meta = Enterprise._meta


def last_registry_pk() -> int:
    return Enterprise.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def build_key_projects(parks, count: int, seed: int) -> dict:
    """`supervision.write`'s key projects, reports and month figures, and the area months kept from them."""
    projects, report_rows, figure_rows = supervision.write(parks, count, seed)
    supervision_services.rebuild_area_months()
    return {"key_projects": len(projects), "reports": len(report_rows), "month_figures": len(figure_rows)}


SERVED = 40  # enterprises a chief service officer (首席服务官) looks after


def assign_served(people, ids) -> None:
    """Each service officer looks after SERVED active enterprises of their zone (the workbench lists
    them, and its visit form offers them)."""
    for u, _d, area, role, _t, _h in people:
        if role != Role.SERVICE_OFFICER:
            continue
        served = (
            Enterprise.objects.filter(area__path__startswith=area.path, status="active", service_officer=None)
            .order_by("pk")
            .values_list("pk", flat=True)[:SERVED]
        )
        Enterprise.objects.filter(pk__in=list(served)).update(service_officer_id=ids[u])


def build_people(region, zones, parks, world) -> dict:
    """Several accounts of each role the load bench plays, in different parks and zones."""
    password = make_password(PASSWORD)
    # The departments with the most open appeals first: the queue department of zone 0 leads.
    departments = list(world.departments.values())
    queue = world.queue
    people = []  # (username, display, home area, role, {target}, head)
    for k in range(3):
        people.append((f"leader{k}", f"领导{k}", region if k == 0 else zones[k], Role.LEADER, "area", False))
    for k in range(8):
        park = parks[(k * 5) % len(parks)]
        people.append((f"invest{k}", f"招商专员{k}", park, Role.INVESTMENT_OFFICER, "area", False))
        people.append((f"staff{k}", f"园区专员{k}", park, Role.PARK_STAFF, "area", False))
    for k in range(4):
        people.append((f"super{k}", f"督查员{k}", zones[k], Role.SUPERVISOR, "area", False))
        people.append((f"service{k}", f"服务官{k}", zones[k], Role.SERVICE_OFFICER, "area", False))
        people.append((f"stat{k}", f"统计员{k}", zones[k], Role.STATISTICIAN, "area", False))
    handler_departments = [queue] + [d for d in departments if d.pk != queue.pk][:7]
    for k, department in enumerate(handler_departments):
        people.append((f"handler{k}", f"经办人{k}", department.area, Role.HANDLER, department, k == 0))
    insert(
        User,
        (
            {"username": u, "display_name": d, "email": f"{u}@load.example.cn", "home_area_id": a.pk}
            for u, d, a, _r, _t, _h in people
        ),
        same={"password": password},
    )
    ids = dict(User.objects.filter(username__in=[p[0] for p in people]).values_list("username", "pk"))
    rows = []
    for u, _d, area, role, target, head in people:
        row = {"user_id": ids[u], "role": role, "is_head": head}
        if isinstance(target, Department):
            row["department_id"] = target.pk
        else:
            row["area_id"] = area.pk
        rows.append(row)
    insert(Membership, rows)
    assign_served(people, ids)
    return {
        "accounts": [
            {
                "username": u,
                "role": str(role),
                "area": area.pk,
                "department": target.pk if isinstance(target, Department) else None,
            }
            for u, _d, area, role, target, _h in people
        ]
    }


def build(scale: float, seed: int) -> dict:
    counts = {name: max(1, int(round(full * scale))) for name, full in FULL.items()}
    timings = {}
    wall = started = time.perf_counter()

    def step(name):
        nonlocal started
        now = time.perf_counter()
        timings[name] = round(now - started, 1)
        print(f"  {name}: {timings[name]:.1f} s", flush=True)
        started = now

    reset_database()
    root = User.objects.create_superuser("load-root", "root@load.example.cn", PASSWORD)
    region, zones, parks = registry_overview.build_tree(root)
    step("migrate, areas")
    loaded = registry_overview.build_registry(counts["enterprises"], zones, parks, random.Random(seed))
    step("enterprises, five years of figures, labels (COPY)")
    one_region(zones, parks)
    world = appeals.Region(root, max(2_000, counts["appeals"] // 50))
    step("departments, routing, SLA policies, appeal enterprises and their users")
    appeal_counts = appeals.load(world, counts["appeals"], seed)
    appeal_counts.pop("replay_pool")
    appeal_counts.pop("backlog_rows")
    step("open appeals and their events")
    projects, moves = pipeline.generate(parks, counts["projects"], "L", seed)
    pipeline.load(projects, moves)
    step("investment projects and stage moves")
    key = build_key_projects(parks, counts["key_projects"], seed)
    step("key projects, monthly reports, month figures")
    people = build_people(region, zones, parks, world)
    step("load accounts")
    cells = stats.refresh(None)
    step("statistics rollup")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    step("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    meta = {
        "scale": scale,
        "seed": seed,
        "built_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "build_seconds": round(time.perf_counter() - wall, 1),
        "steps_seconds": timings,
        "database_size": size,
        "rows": {
            "enterprises": loaded["enterprises"] + len(world.enterprises),
            "registry_enterprises": loaded["enterprises"],
            "indicators": loaded["indicators"],
            "labels": loaded["labels"],
            "appeals": appeal_counts["appeals"],
            "appeal_events": appeal_counts["events"],
            "projects": len(projects),
            **key,
            "rollup_cells": cells,
        },
        "region": region.pk,
        "zones": [z.pk for z in zones],
        "parks": [p.pk for p in parks],
        "queue_department": world.queue.pk,
        "departments": [d.pk for d in world.departments.values()],
        "password": PASSWORD,
        **people,
    }
    write_meta(meta)
    return meta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the province scale (1 = full)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reuse", action="store_true", help="keep a database built at this scale")
    args = parser.parse_args()
    try:
        ensure_database()
        meta = read_meta()
        if args.reuse and meta and meta.get("scale") == args.scale:
            print(f"reusing the dataset built at scale {args.scale} on {meta['built_at']}", flush=True)
            # Brought to the code's schema: the migrations' data steps (rollups built from the rows,
            # tokens hashed) run on it as they would on a zone's database after an upgrade.
            call_command("migrate", "--noinput", verbosity=0)
        else:
            print(f"building the dataset at scale {args.scale}", flush=True)
            meta = build(args.scale, args.seed)
            print(f"built in {meta['build_seconds']:.0f} s: {meta['rows']}", flush=True)
    finally:
        connection.close()
        for module in (appeals, pipeline, registry_overview, supervision):
            shutil.rmtree(module.VAR_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
