"""Registry imports end to end: dry run plus all-or-nothing commit of enterprise and figure tables.

Measured, each through `zoneos.tabular.engine.run` on an ImportJob whose file sits in MEDIA_ROOT (what
the task worker runs after an upload), timing the dry run (`commit=False`) and the commit
(`commit=True`) separately and together:

- a CSV of 100,000 new enterprises (target: at least 5,000 rows/s end to end);
- an xlsx of 100,000 new enterprises written with openpyxl's write_only mode (target: 3,000 rows/s);
- a CSV of 100,000 yearly figures of the enterprises just imported (the commit includes the rollup
  refresh the import triggers);
- a CSV that updates all 100,000 enterprises of the first (new address and capital): the dry run
  streams their per-field diff to the job's changes file, the commit writes them;
- peak memory of the dry run and of the commit of a 1,000,000-row enterprise CSV, each in a fresh
  subprocess (target: VmHWM under 500 MB; ru_maxrss is shown too, but Linux carries the parent's
  high-water mark into it across fork and exec, so it can read higher than the child ever was).

The files look like a zone's real registry: Chinese headers, money in 万元 (scaled by the header's
unit), valid USCCs, GB/T 4754 classes, a mix of capital origins. Every run builds its own database: a
scratch SQLite file in a temporary ZONEOS_VAR_DIR (media and cache go there too), or the PostgreSQL
database DATABASE_URL names, which must have "bench" in its name (its public schema is dropped,
created if missing, and migrated). DEBUG is off, as in production. Prints a table and writes
bench/results/registry_import-<vendor>.json.

    .venv/bin/python bench/registry_import.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zoneos_bench .venv/bin/python bench/registry_import.py
    .venv/bin/python bench/registry_import.py --rows 5000 --big-rows 20000   # a quick run
    .venv/bin/python bench/registry_import.py --rows 20000 --big-rows 0 --profile  # where time goes
"""

import argparse
import csv
import datetime
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if not os.environ.get("ZONEOS_VAR_DIR"):
    os.environ["ZONEOS_VAR_DIR"] = tempfile.mkdtemp(prefix="zoneos-bench-import-")
    os.environ["ZONEOS_BENCH_OWN_VAR_DIR"] = "1"  # this run made it, this run removes it
VAR_DIR = Path(os.environ["ZONEOS_VAR_DIR"])
VAR_DIR.mkdir(parents=True, exist_ok=True)
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{VAR_DIR / 'bench-import.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zoneos.settings")
os.environ.setdefault("DEBUG", "false")  # as in production: no query log growing with every chunk

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from zoneos.accounts.models import User  # noqa: E402
from zoneos.areas.services import create_area  # noqa: E402
from zoneos.core.codes import build_uscc  # noqa: E402
from zoneos.enterprises.demo import BRANDS, INDUSTRIES, SUFFIXES  # noqa: E402
from zoneos.enterprises.models import Enterprise, Indicator  # noqa: E402
from zoneos.stats.models import Rollup  # noqa: E402
from zoneos.tabular import engine  # noqa: E402
from zoneos.tabular.models import ImportJob, ImportStatus  # noqa: E402

ZONES, PARKS = 2, 5  # one region, 2 zones, 10 parks
CITIES = ["佛山", "惠州", "肇庆", "深圳", "东莞", "中山", "江门", "珠海"]
DISTRICTS = ["南海", "顺德", "禅城", "高明", "三水", "仲恺", "端州", "南山", "松山湖", "火炬"]
ROADS = ["科技", "创新", "智造", "湖滨", "工业", "兴业", "环湖", "科学城"]
# (capital origin as the file writes it, country, weight)
ORIGINS = [
    ("内资", "", 80),
    ("港资", "", 9),
    ("台资", "", 4),
    ("澳资", "", 1),
    ("外资", "德国", 2),
    ("外资", "日本", 2),
    ("外资", "美国", 1),
    ("外资", "新加坡", 1),
]
ENTERPRISE_HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "所在园区",
    "地址",
    "行业代码",
    "成立日期",
    "注册资本（万元）",
    "资本来源",
    "外资国别",
    "状态",
]
FIGURE_HEADERS = [
    "统一社会信用代码",
    "年份",
    "产值（万元）",
    "营业收入（万元）",
    "主营业务收入（万元）",
    "纳税总额（万元）",
    "研发费用（万元）",
    "从业人员",
    "研发人员",
    "发明专利",
]
FIGURE_YEAR = 2024
TARGETS = {"csv": 5000, "xlsx": 3000}  # rows per second, dry run + commit
MEMORY_TARGET_MB = 500


def uscc(n: int) -> str:
    """The n-th valid code (a different registering authority for each million)."""
    return build_uscc("9", "1", str(440605 + n // 1_000_000), f"MA{n % 1_000_000:06d}")


def enterprise_rows(first: int, count: int, parks: list[str], typed: bool):
    """Rows of new enterprises as a zone's sheet has them; `typed`: dates and numbers as xlsx cells."""
    rng = random.Random(first)
    weights = [i[4] for i in INDUSTRIES]
    origin_weights = [o[2] for o in ORIGINS]
    for n in range(first, first + count):
        code, word, *_rest = rng.choices(INDUSTRIES, weights)[0]
        brand = rng.choice(BRANDS) + rng.choice(BRANDS)
        origin, country, _w = rng.choices(ORIGINS, origin_weights)[0]
        registered = datetime.date(rng.randint(1995, 2024), rng.randint(1, 12), rng.randint(1, 28))
        capital = rng.choice([50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000])
        yield [
            uscc(n),
            f"{rng.choice(CITIES)}{rng.choice(DISTRICTS)}{brand}{word}{rng.choice(SUFFIXES)[0]}",
            rng.choice(parks),
            f"{rng.choice(DISTRICTS)}区{rng.choice(ROADS)}路{rng.randint(1, 999)}号",
            code,
            registered if typed else registered.isoformat(),
            capital if typed else str(capital),
            origin,
            country,
            "已迁出" if rng.random() < 0.02 else "",
        ]


def figure_rows(first: int, count: int):
    rng = random.Random(-first - 1)
    for n in range(first, first + count):
        output = round(rng.lognormvariate(8, 1.5), 2)  # 万元: median about 30 million yuan
        revenue = round(output * rng.uniform(0.9, 1.1), 2)
        staff = max(5, int(rng.lognormvariate(4, 1.2)))
        yield [
            uscc(n),
            FIGURE_YEAR,
            f"{output:.2f}",
            f"{revenue:.2f}",
            f"{revenue * 0.95:.2f}",
            f"{revenue * rng.uniform(0.01, 0.07):.2f}",
            f"{revenue * rng.uniform(0.0, 0.08):.2f}",
            staff,
            int(staff * rng.uniform(0, 0.3)),
            rng.randint(0, 40),
        ]


def write_csv(path: Path, headers, rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Excel's "CSV UTF-8": with a byte order mark.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)


def write_xlsx(path: Path, headers, rows) -> None:
    from openpyxl import Workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("企业名录")
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path)


def media_file(name: str) -> tuple[Path, str]:
    relative = f"imports/bench/{name}"
    return Path(settings.MEDIA_ROOT) / relative, relative


def new_job(kind: str, relative: str, by) -> ImportJob:
    return ImportJob.objects.create(
        kind=kind, file=relative, original_name=Path(relative).name, created_by=by
    )


def peak_mb() -> float:
    """This process's peak resident set (VmHWM) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fail(message: str) -> None:
    print(f"\n!!! {message}\n", file=sys.stderr)
    sys.exit(1)


def check(job: ImportJob, status: str, rows: int, created: int | None) -> None:
    if job.status != status or job.error_count or job.processed_rows != rows:
        fail(
            f"{job.original_name}: status {job.status}, {job.error_count} errors, "
            f"{job.processed_rows}/{rows} rows; first errors: {job.errors[:3]}"
        )
    if created is not None and job.created != created:
        fail(f"{job.original_name}: {job.created} created, expected {created}")


def dry_and_commit(
    job: ImportJob, rows: int, profile: bool, created: int | None = None
) -> tuple[float, float]:
    created = rows if created is None else created
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    engine.run(job, commit=False)
    checked = time.perf_counter()
    check(job, ImportStatus.READY, rows, created)
    engine.run(job, commit=True)
    done = time.perf_counter()
    if profiler is not None:
        import pstats

        profiler.disable()
        print(f"\nprofile of {job.original_name} (dry run + commit), by cumulative time:")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    check(job, ImportStatus.COMMITTED, rows, created)
    return checked - started, done - checked


def child(job_id: int, commit: bool) -> None:
    """Run in a fresh process: one dry run or commit; report time and peak memory as JSON."""
    job = ImportJob.objects.get(pk=job_id)
    baseline = peak_mb()
    started = time.perf_counter()
    engine.run(job, commit=commit)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "status": job.status,
                "errors": job.error_count,
                "rows": job.processed_rows,
                "created": job.created,
                "seconds": seconds,
                "baseline_mb": baseline,
                "vmhwm_mb": peak_mb(),
                "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def in_subprocess(job: ImportJob, commit: bool) -> dict:
    command = [sys.executable, __file__, "--child", str(job.pk)] + (["--commit"] if commit else [])
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        fail(f"the subprocess failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def reset_database() -> None:
    """A fresh, migrated database (PostgreSQL: drop the public schema of a *bench* database)."""
    if connection.vendor == "postgresql":
        import psycopg

        params = connection.get_connection_params()
        name = params.pop("dbname")
        if "bench" not in name:
            fail(f"refusing to wipe the database {name!r}: use one with 'bench' in its name")
        params["dbname"] = "postgres"
        with psycopg.connect(**params, autocommit=True) as admin:
            if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                admin.execute(f'CREATE DATABASE "{name}"')
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    elif connection.vendor != "sqlite":
        fail(f"{connection.vendor} is not supported: use SQLite (the default) or PostgreSQL")
    call_command("migrate", verbosity=0)


def build_world():
    root = User.objects.create_superuser("bench-root", "root@example.org", "bench-password-1")
    region = create_area(by=root, code="GD", name="广东省", kind="region")
    parks = []
    for z in range(ZONES):
        zone = create_area(by=root, code=f"Z{z}", name=f"高新区{z}", kind="zone", parent=region)
        for p in range(PARKS):
            park = create_area(by=root, code=f"Z{z}-P{p}", name=f"高新区{z}园区{p}", kind="park", parent=zone)
            parks.append(park.code)
    return root, parks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows of each timed file")
    parser.add_argument(
        "--big-rows", type=int, default=1_000_000, help="rows of the memory test's CSV (0: skip it)"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the CSV import too")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--commit", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.commit)
        return
    try:
        run(args)
    finally:
        if os.environ.get("ZONEOS_BENCH_OWN_VAR_DIR"):
            connection.close()
            shutil.rmtree(VAR_DIR, ignore_errors=True)


def run(args) -> None:
    n, big = args.rows, args.big_rows
    reset_database()
    root, parks = build_world()
    vendor = connection.vendor
    rows = []

    def record(name, file_rows, size_mb, dry, commit, target=None):
        total = dry + commit
        rate = file_rows / total
        rows.append(
            {
                "operation": name,
                "rows": file_rows,
                "file_mb": round(size_mb, 1),
                "dry_run_s": round(dry, 2),
                "commit_s": round(commit, 2),
                "total_s": round(total, 2),
                "rows_per_s": round(rate),
                "dry_rows_per_s": round(file_rows / dry),
                "commit_rows_per_s": round(file_rows / commit),
                "target_rows_per_s": target,
                "meets_target": None if target is None else rate >= target,
            }
        )

    # 1. CSV of enterprises: codes 0 .. n-1
    path, relative = media_file("enterprises.csv")
    started = time.perf_counter()
    write_csv(path, ENTERPRISE_HEADERS, enterprise_rows(0, n, parks, typed=False))
    print(f"wrote {relative}: {n:,} rows in {time.perf_counter() - started:.1f} s", flush=True)
    dry, commit = dry_and_commit(new_job("enterprises", relative, root), n, args.profile)
    record("enterprises CSV", n, path.stat().st_size / 2**20, dry, commit, TARGETS["csv"])
    print(f"  {rows[-1]}", flush=True)

    # 2. xlsx of enterprises (openpyxl write_only): codes n .. 2n-1
    path, relative = media_file("enterprises.xlsx")
    started = time.perf_counter()
    write_xlsx(path, ENTERPRISE_HEADERS, enterprise_rows(n, n, parks, typed=True))
    print(f"wrote {relative}: {n:,} rows in {time.perf_counter() - started:.1f} s", flush=True)
    dry, commit = dry_and_commit(new_job("enterprises", relative, root), n, False)
    record("enterprises xlsx", n, path.stat().st_size / 2**20, dry, commit, TARGETS["xlsx"])
    print(f"  {rows[-1]}", flush=True)

    # 3. CSV of one year's figures of the CSV's enterprises (the commit refreshes their rollup).
    path, relative = media_file("figures.csv")
    write_csv(path, FIGURE_HEADERS, figure_rows(0, n))
    dry, commit = dry_and_commit(new_job("indicators", relative, root), n, args.profile)
    record(f"figures CSV ({FIGURE_YEAR})", n, path.stat().st_size / 2**20, dry, commit)
    print(f"  {rows[-1]}", flush=True)
    if Indicator.objects.count() != n or not Rollup.objects.filter(year=FIGURE_YEAR).exists():
        fail("the figures import did not write its rows and their rollup")

    # 4. CSV updating every enterprise of the first CSV (a new address and registered capital each): the
    # dry run streams the per-field diff of n records to the job's changes file; the commit writes them.
    path, relative = media_file("enterprises-updated.csv")

    def updated():
        for row in enterprise_rows(0, n, parks, typed=False):
            row[3] = f"{row[3]}B座"
            row[6] = str(int(row[6]) * 2)
            yield row

    write_csv(path, ENTERPRISE_HEADERS, updated())
    job = new_job("enterprises", relative, root)
    dry, commit = dry_and_commit(job, n, False, created=0)
    job.refresh_from_db()
    if job.updated != n:
        fail(f"the update import updated {job.updated:,} enterprises, expected {n:,}")
    record(
        "enterprises CSV, every row an update (per-field diff)", n, path.stat().st_size / 2**20, dry, commit
    )
    print(f"  {rows[-1]}", flush=True)

    # 5. Peak memory of a dry run and of a commit of a big CSV, each in a fresh process.
    memory = []
    if big:
        path, relative = media_file("enterprises-big.csv")
        started = time.perf_counter()
        write_csv(path, ENTERPRISE_HEADERS, enterprise_rows(2 * n, big, parks, typed=False))
        print(f"wrote {relative}: {big:,} rows in {time.perf_counter() - started:.1f} s", flush=True)
        job = new_job("enterprises", relative, root)
        for commit in (False, True):
            report = in_subprocess(job, commit)
            job.refresh_from_db()
            check(job, ImportStatus.COMMITTED if commit else ImportStatus.READY, big, big)
            memory.append(
                {
                    "operation": f"enterprises CSV {'commit' if commit else 'dry run'}",
                    "rows": big,
                    "file_mb": round(path.stat().st_size / 2**20, 1),
                    "seconds": round(report["seconds"], 1),
                    "rows_per_s": round(big / report["seconds"]),
                    "baseline_mb": round(report["baseline_mb"], 1),
                    "vmhwm_mb": round(report["vmhwm_mb"], 1),
                    "maxrss_mb": round(report["maxrss_mb"], 1),
                    "target_mb": MEMORY_TARGET_MB,
                    "meets_target": report["vmhwm_mb"] < MEMORY_TARGET_MB,
                }
            )
            print(f"  {memory[-1]}", flush=True)

    enterprises = Enterprise.objects.count()
    if enterprises != 2 * n + big:
        fail(f"{enterprises:,} enterprises in the registry, expected {2 * n + big:,}")
    result = {
        "database": vendor,
        "rows": n,
        "big_rows": big,
        "enterprises_after": enterprises,
        "chunk": engine.CHUNK,
        "python": sys.version.split()[0],
        "results": rows,
        "memory": memory,
    }
    print(
        f"\nZoneOS registry import on {vendor}: dry run + commit through tabular.engine.run "
        f"(chunks of {engine.CHUNK:,}); {enterprises:,} enterprises at the end"
    )
    width = max(len(r["operation"]) for r in rows)
    print(
        f"{'file':<{width}}  {'rows':>9}  {'MB':>6}  {'dry s':>7}  {'commit s':>8}  {'total s':>7}  "
        f"{'rows/s':>7}  {'dry/s':>7}  {'commit/s':>8}  target"
    )
    for r in rows:
        target = (
            f">= {r['target_rows_per_s']:,} {'ok' if r['meets_target'] else 'MISSED'}"
            if r["target_rows_per_s"]
            else "-"
        )
        print(
            f"{r['operation']:<{width}}  {r['rows']:>9,}  {r['file_mb']:>6.1f}  {r['dry_run_s']:>7.2f}  "
            f"{r['commit_s']:>8.2f}  {r['total_s']:>7.2f}  {r['rows_per_s']:>7,}  "
            f"{r['dry_rows_per_s']:>7,}  {r['commit_rows_per_s']:>8,}  {target}"
        )
    if memory:
        print("\npeak memory, each in a fresh process (baseline: after Django starts, before the run)")
        width = max(len(m["operation"]) for m in memory)
        print(
            f"{'run':<{width}}  {'rows':>9}  {'seconds':>7}  {'rows/s':>7}  {'baseline MB':>11}  "
            f"{'VmHWM MB':>8}  {'maxrss MB':>9}  target"
        )
        for m in memory:
            verdict = "ok" if m["meets_target"] else "MISSED"
            print(
                f"{m['operation']:<{width}}  {m['rows']:>9,}  {m['seconds']:>7.1f}  {m['rows_per_s']:>7,}  "
                f"{m['baseline_mb']:>11.1f}  {m['vmhwm_mb']:>8.1f}  {m['maxrss_mb']:>9.1f}  "
                f"< {m['target_mb']} {verdict}"
            )
    out = ROOT / "bench" / "results" / f"registry_import-{vendor}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"written: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
