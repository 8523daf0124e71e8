"""Area tree at province scale: subtree queries, scoped lists and moves over ~10,000 nodes.

Builds its own database (a scratch SQLite file, or the database DATABASE_URL names; that database's
ZoneOS tables are rebuilt), then times each operation as the median of repeated runs. Prints a table
and writes bench/results/areas-<vendor>.json.

    .venv/bin/python bench/areas.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zoneos_bench .venv/bin/python bench/areas.py
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCRATCH = ROOT / "var" / "bench-areas.sqlite3"
if not os.environ.get("DATABASE_URL"):
    SCRATCH.parent.mkdir(parents=True, exist_ok=True)
    SCRATCH.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{SCRATCH}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zoneos.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from zoneos.accounts.models import Membership, User  # noqa: E402
from zoneos.accounts.scoping import scope  # noqa: E402
from zoneos.areas import services  # noqa: E402
from zoneos.areas.models import Area  # noqa: E402

ZONES, SUBZONES, PARKS = 30, 5, 65  # 1 + 30 + 150 + 9,750 = 9,931 areas
REPEAT = 30


def build_tree():
    call_command("flush", interactive=False, verbosity=0)
    region = Area.objects.create(code="R", name="省", kind="region")
    region.path = f"/{region.pk}/"
    region.save(update_fields=["path"])
    levels = [[region]]
    for count, kind in ((ZONES, "zone"), (SUBZONES, "zone"), (PARKS, "park")):
        children = [
            Area(
                code=f"{parent.code}-{i}",
                name=f"{parent.name}{i}",
                kind=kind,
                parent=parent,
                depth=parent.depth + 1,
            )
            for parent in levels[-1]
            for i in range(count)
        ]
        Area.objects.bulk_create(children, batch_size=2000)
        children = list(Area.objects.filter(depth=levels[-1][0].depth + 1).select_related("parent"))
        for child in children:
            child.path = f"{child.parent.path}{child.pk}/"
        Area.objects.bulk_update(children, ["path"], batch_size=2000)
        levels.append(children)
    return levels


def timed(fn):
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


def main():
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    levels = build_tree()
    build_s = time.perf_counter() - started
    total = Area.objects.count()
    region, zone, subzone, park = levels[0][0], levels[1][7], levels[2][11], levels[3][123]

    root = User.objects.create_superuser("bench-root", "r@example.org", "bench-password-1")
    zone_admin = User.objects.create_user("bench-admin", password="bench-password-1")
    Membership.objects.create(user=zone_admin, role="admin", area=zone)
    staff = User.objects.create_user("bench-staff", password="bench-password-1")
    Membership.objects.create(user=staff, role="park_staff", area=park)

    rows = []

    def measure(name, fn, size):
        median, worst = timed(fn)
        rows.append(
            {"operation": name, "rows": size, "median_ms": round(median, 2), "max_ms": round(worst, 2)}
        )

    measure("subtree count: whole region", lambda: region.subtree().count(), total)
    measure("subtree count: one zone", lambda: zone.subtree().count(), zone.subtree().count())
    measure(
        "subtree ids: one zone",
        lambda: list(zone.subtree().values_list("id", flat=True)),
        zone.subtree().count(),
    )
    measure("ancestors of a park", lambda: list(park.ancestors()), 3)
    measure(
        "scope(): zone admin, count",
        lambda: scope(Area.objects.all(), zone_admin).count(),
        scope(Area.objects.all(), zone_admin).count(),
    )
    measure("scope(): park staff, list", lambda: list(scope(Area.objects.all(), staff)), 1)

    api = Client()
    api.force_login(zone_admin)
    measure("API GET /areas/ page 1 (zone admin)", lambda: api.get("/api/v1/areas/"), 50)
    within = f"/api/v1/areas/?within={subzone.pk}"
    measure("API GET /areas/?within=<sub-zone>", lambda: api.get(within), 50)
    page = Client()
    page.force_login(zone_admin)
    measure("page GET /areas/ (zone admin)", lambda: page.get("/areas/"), 50)

    with CaptureQueriesContext(connection) as queries:
        api.get("/api/v1/areas/")
    api_queries = len(queries)

    targets = [levels[1][3], levels[1][4]]
    state = {"i": 0}

    def move():
        state["i"] += 1
        services.update_area(subzone, by=root, parent=targets[state["i"] % 2])

    measure("move a sub-zone with 65 parks", move, PARKS + 1)
    moved = Area.objects.get(pk=levels[3][PARKS * 11 + 3].pk)
    assert moved.path.startswith(Area.objects.get(pk=subzone.pk).path), "paths re-rooted"
    reset_queries()

    result = {
        "database": connection.vendor,
        "areas": total,
        "build_seconds": round(build_s, 2),
        "api_list_queries": api_queries,
        "repeat": REPEAT,
        "results": rows,
    }
    width = max(len(r["operation"]) for r in rows)
    print(
        f"ZoneOS area tree on {connection.vendor}: {total:,} areas "
        f"(built in {build_s:.1f} s), median of {REPEAT}"
    )
    print(f"{'operation':<{width}}  {'rows':>6}  {'median ms':>9}  {'max ms':>8}")
    for r in rows:
        print(f"{r['operation']:<{width}}  {r['rows']:>6}  {r['median_ms']:>9.2f}  {r['max_ms']:>8.2f}")
    print(f"queries per API list request: {api_queries}")
    out = ROOT / "bench" / "results" / f"areas-{connection.vendor}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"written: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
