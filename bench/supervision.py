"""Key-project supervision at province scale: the summary of a month over 100,000 key projects.

Builds (with COPY through `zoneos.core.bulkinsert`, not through the services) a region of 4 zones and
40 parks with 100,000 key projects of one year, each with 12 monthly reports (1,200,000 rows), and
their month figures as `services.refresh_figures` writes them (checked against it on a sample), and
rebuilds the areas' months (`AreaMonth`) from them as the migration does (the sample's refresh then
moves its delta, checked equal to a rebuild), then times, median of --repeat runs:

- (a) `services.summary(region, year, month)` (what `GET /api/v1/supervision/summary/` computes;
  target at most 200 ms on PostgreSQL), and (b) that request through Django's test client;
- (c) one hand-written SQL query over the raw tables (key projects and their reports) computing the
  same totals, counts and red/yellow lists, and checks that it gives the summary's numbers;
- (d) `services.refresh_figures` of one project, in its own transaction: what a report costs the
  figures (the project's 12 month rows rewritten, the difference moved into its area's months).

The database DATABASE_URL names (default: postgres://postgres@127.0.0.1:5432/zoneos_bench_supervision)
must have "bench" in its name: its public schema is dropped and migrated. After the load it is
vacuumed and analysed, as autovacuum would do. Prints a table and writes
bench/results/supervision-<vendor>.json.

    .venv/bin/python bench/supervision.py --projects 10000   # a quick run
    .venv/bin/python bench/supervision.py                    # 100,000 key projects
"""

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VAR_DIR = Path(tempfile.mkdtemp(prefix="zoneos-bench-supervision-"))
os.environ["ZONEOS_VAR_DIR"] = str(VAR_DIR)
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zoneos_bench_supervision")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zoneos.settings")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from zoneos.accounts.models import User  # noqa: E402
from zoneos.areas.services import create_area  # noqa: E402
from zoneos.core.bulkinsert import insert  # noqa: E402
from zoneos.supervision import progress, services  # noqa: E402
from zoneos.supervision.models import KeyProject, MonthFigure, Report  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from pipeline import median_ms, reset_database  # noqa: E402

YEAR, MONTH = 2025, 8
TARGET_MS = 200

RAW_SQL = """
WITH subtree AS (SELECT id FROM areas_area WHERE path LIKE %(path)s),
cumulative AS (
    SELECT k.id, k.area_id, k.annual_plan, k.kind, k.actual_start,
           COALESCE(SUM(r.completed), 0) AS completed
    FROM supervision_keyproject k
    LEFT JOIN supervision_report r ON r.key_project_id = k.id AND r.month <= %(month)s
    WHERE k.year = %(year)s AND k.area_id IN (SELECT id FROM subtree)
    GROUP BY k.id
),
gaps AS (
    SELECT *, (completed / annual_plan - %(elapsed)s) * 100 AS gap FROM cumulative
)
SELECT SUM(annual_plan), SUM(completed), COUNT(*),
       COUNT(*) FILTER (WHERE kind = 'new_start'),
       COUNT(*) FILTER (WHERE kind = 'new_start' AND actual_start <= %(month_end)s),
       COUNT(*) FILTER (WHERE gap < %(red)s),
       COUNT(*) FILTER (WHERE gap >= %(red)s AND gap <= %(yellow)s)
FROM gaps
"""


def build(parks, count: int, seed: int):
    rng = random.Random(seed)
    projects, reports = [], []
    for n in range(count):
        plan = Decimal(rng.choice([2, 5, 10, 30, 80])) * Decimal(10) ** 7
        new_start = rng.random() < 0.4
        projects.append(
            {
                "year": YEAR,
                "name": f"重点项目{n:06d}",
                "area_id": rng.choice(parks).pk,
                "kind": "new_start" if new_start else "continuing",
                "annual_plan": plan,
                "total_investment": plan * 3,
                "actual_start": f"{YEAR}-{rng.randint(1, 12):02d}-15"
                if new_start and rng.random() < 0.7
                else None,
            }
        )
        pace = rng.choice([1.2, 1.05, 1.0, 0.9, 0.8, 0.6, 0.3])
        reports.append(
            [
                (plan * Decimal(pace) / 12 * Decimal(rng.uniform(0.7, 1.3))).quantize(Decimal("0.01"))
                for _m in range(12)
            ]
        )
    return projects, reports


def write(parks, count: int, seed: int) -> tuple[list, list, list]:
    """`build`'s key projects written with their monthly reports and month figures as the services would
    write them (bulk rows; `run` checks a sample against the services). Returns the rows written."""
    projects, amounts = build(parks, count, seed)
    insert(KeyProject, projects)
    ids = dict(KeyProject.objects.filter(year=YEAR).values_list("name", "pk"))
    rule = services.rule_for(YEAR, 1)
    report_rows, figure_rows = [], []
    for project, months in zip(projects, amounts, strict=True):
        pk = ids[project["name"]]
        cumulative = Decimal(0)
        for month, completed in enumerate(months, start=1):
            report_rows.append(
                {"key_project_id": pk, "month": month, "first_month": month, "completed": completed}
            )
            cumulative += completed
            gap = progress.gap_pp(
                progress.rate(cumulative, project["annual_plan"]), progress.time_progress(YEAR, month)
            )
            start = project["actual_start"]
            figure_rows.append(
                {
                    "key_project_id": pk,
                    "area_id": project["area_id"],
                    "year": YEAR,
                    "month": month,
                    "new_start": project["kind"] == "new_start",
                    "started": bool(start and start <= services.month_end(YEAR, month).isoformat()),
                    "annual_plan": project["annual_plan"],
                    "completed": cumulative,
                    "funds_in_place": Decimal(0),
                    "reported": True,
                    "gap_pp": gap.quantize(Decimal("0.0001")),
                    "status": progress.status_of(gap, rule),
                }
            )
    insert(Report, report_rows)
    insert(MonthFigure, figure_rows)
    return projects, report_rows, figure_rows


def run(args) -> None:
    reset_database()
    root = User.objects.create_superuser("bench-root", "root@example.org", "bench-password-1")
    region = create_area(by=root, code="GD", name="广东省", kind="region")
    parks = []
    for z in range(4):
        zone = create_area(by=root, code=f"Z{z}", name=f"高新区{z}", kind="zone", parent=region)
        for p in range(10):
            parks.append(
                create_area(by=root, code=f"Z{z}-P{p}", name=f"高新区{z}园区{p}", kind="park", parent=zone)
            )
    started = time.perf_counter()
    projects, report_rows, figure_rows = write(parks, args.projects, 1)
    rule = services.rule_for(YEAR, 1)
    built = time.perf_counter() - started
    started = time.perf_counter()
    area_months = services.rebuild_area_months()
    rebuilt = time.perf_counter() - started
    print(f"rebuilt {area_months:,} area months in {rebuilt:.2f} s", flush=True)
    # The bulk rows equal what the service writes (a sample).
    sample = list(KeyProject.objects.filter(year=YEAR).order_by("pk")[:20])
    before = list(
        MonthFigure.objects.filter(key_project__in=sample)
        .order_by("key_project", "month")
        .values_list("completed", "status")
    )
    services.refresh_figures(sample)
    after = list(
        MonthFigure.objects.filter(key_project__in=sample)
        .order_by("key_project", "month")
        .values_list("completed", "status")
    )
    assert before == after, "the bench's month figures differ from the service's"
    kept = services.AREA_MONTHS.rows()
    with transaction.atomic():
        services.rebuild_area_months()
        assert kept == services.AREA_MONTHS.rows(), "the area months kept by deltas differ from a rebuild"
        transaction.set_rollback(True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(
        f"built {len(projects):,} key projects, {len(report_rows):,} reports, "
        f"{len(figure_rows):,} month figures in {built:.1f} s",
        flush=True,
    )

    results = []

    def record(name, fn, target=None, repeat=args.repeat):
        ms, times = median_ms(fn, repeat)
        results.append({"operation": name, "median_ms": round(ms, 2), "min_ms": round(min(times), 2),
                        "max_ms": round(max(times), 2), "runs": repeat, "target_ms": target,
                        "meets_target": None if target is None else ms <= target})  # fmt: skip
        print(f"  {results[-1]}", flush=True)

    summary = services.summary(region, YEAR, MONTH)
    record("(a) services.summary(region, month)", lambda: services.summary(region, YEAR, MONTH), TARGET_MS)
    client = Client()
    client.force_login(root)
    url = f"/api/v1/supervision/summary/?area={region.pk}&month={YEAR}-{MONTH:02d}"
    assert client.get(url).status_code == 200
    record("(b) GET /api/v1/supervision/summary/ (whole request)", lambda: client.get(url))
    params = {
        "path": region.path + "%",
        "year": YEAR,
        "month": MONTH,
        "elapsed": progress.time_progress(YEAR, MONTH),
        "month_end": services.month_end(YEAR, MONTH),
        "red": rule.red_below,
        "yellow": rule.yellow_at,
    }
    raw = {}

    def bare():
        with connection.cursor() as cursor:
            cursor.execute(RAW_SQL, params)
            raw["row"] = cursor.fetchone()

    record("(c) bare SQL over key projects and reports", bare, repeat=max(3, args.repeat // 3))
    one = sample[:1]

    def one_refresh():
        with transaction.atomic():
            services.refresh_figures(one)

    record("(d) refresh_figures(one project): its 12 month rows and its area months' delta", one_refresh)
    plan, completed, count, new_starts, started, red, yellow = raw["row"]
    expected = (f"{plan:.2f}", f"{completed:.2f}", count, new_starts, started, red, yellow)
    got = (summary["annual_plan"], summary["completed"], summary["projects"], summary["new_starts"],
           summary["started"], summary["red_count"], summary["yellow_count"])  # fmt: skip
    if expected != got:
        sys.exit(f"MISMATCH: bare SQL {expected} != summary {got}")
    ratio = results[0]["median_ms"] / results[2]["median_ms"]
    shown = ("annual_plan", "completed", "completion_rate", "time_progress", "gap_pp", "status", "projects")
    result = {
        "database": connection.vendor,
        "key_projects": len(projects),
        "reports": len(report_rows),
        "summary": {k: summary[k] for k in (*shown, "red_count", "yellow_count")},
        "results": results,
        "summary_over_bare_sql": round(ratio, 3),
        "area_months": area_months,
        "rebuild_area_months_s": round(rebuilt, 2),
    }
    print(
        f"\nZoneOS supervision on {connection.vendor}: {len(projects):,} key projects, "
        f"{len(report_rows):,} reports, {YEAR}-{MONTH:02d}"
    )
    width = max(len(r["operation"]) for r in results)
    print(f"{'operation':<{width}}  {'median ms':>9}  {'min':>7}  {'max':>7}  target")
    for r in results:
        target = f"<= {r['target_ms']} {'ok' if r['meets_target'] else 'MISSED'}" if r["target_ms"] else "-"
        print(
            f"{r['operation']:<{width}}  {r['median_ms']:>9.2f}  {r['min_ms']:>7.2f}  "
            f"{r['max_ms']:>7.2f}  {target}"
        )
    print(f"summary / bare SQL: {ratio:.3f} (target: at most 1.5); figures equal: {got}")
    out = ROOT / "bench" / "results" / f"supervision-{connection.vendor}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    print(f"written: {out.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    try:
        run(args)
    finally:
        shutil.rmtree(VAR_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
