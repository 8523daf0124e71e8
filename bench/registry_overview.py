"""The overview of a province-scale registry on PostgreSQL: the rollup it reads, and what it costs.

Builds (with COPY, not through the import engine) a region with 4 zones of 10 parks each, 1,000,000
enterprises (a few percent moved out or deregistered; some on a zone directly; some with no industry
code), five years of figures for each (5,000,000 indicator rows, a few output values missing) and
labels (high-tech certificates, some expired or renewed, specialised SMEs, little giants), then:

- times `zoneos.stats.services.refresh(None)`, the full rebuild of the rollup, and the refreshes of
  one park: two years (a figures import) and every year (an enterprises import, a repair);
- times one enterprise's change of area, industry or status through `update_enterprise` (the whole
  service call, the rollup's delta of that enterprise included; median of --repeat changes of each
  kind, each changed back after), then checks the two parks' rollup equal to a rebuild of them;
- times the overview of the root for the latest year, median of --repeat runs:
  (a) `services.overview(root, year)` plus `api.overview_payload()` (the API view's work; target
      at most 150 ms),
  (b) GET /api/v1/stats/overview/?area=<root>&year=<year> through Django's test client as a
      superuser (the whole request),
  (c) one hand-written SQL query over the raw tables (enterprises_indicator, enterprises_enterprise,
      enterprises_label, areas_area) computing the same numbers: counts, sums, previous-year output,
      comparable output in both years, by child area, industry section and capital origin (median of
      --raw-repeat runs),
  (d) the same sums in one SQL query over stats_rollup joined to areas_area by path prefix;
- checks that (a) and (d) give exactly the numbers (c) computes from the raw rows (a mismatch is
  printed loudly and the script exits with status 1).

The database DATABASE_URL names (default: postgres://postgres@127.0.0.1:5432/zoneos_bench) must have
"bench" in its name: it is created if missing and its public schema is dropped and migrated. Media and
cache go to a temporary ZONEOS_VAR_DIR; DEBUG is off. Prints a table and writes
bench/results/registry_overview-postgresql.json.

    .venv/bin/python bench/registry_overview.py --enterprises 100000   # a quick run
    .venv/bin/python bench/registry_overview.py                        # 1,000,000 enterprises
"""

import argparse
import datetime
import io
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
VAR_DIR = Path(tempfile.mkdtemp(prefix="zoneos-bench-overview-"))
os.environ["ZONEOS_VAR_DIR"] = str(VAR_DIR)
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zoneos_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zoneos.settings")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Sum  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from zoneos.accounts.models import User  # noqa: E402
from zoneos.areas.services import create_area  # noqa: E402
from zoneos.core import industries  # noqa: E402
from zoneos.core.codes import build_uscc  # noqa: E402
from zoneos.enterprises import pinyin, rules  # noqa: E402
from zoneos.enterprises.demo import BRANDS, INDUSTRIES, ORIGINS, SUFFIXES  # noqa: E402
from zoneos.enterprises.models import Enterprise  # noqa: E402
from zoneos.stats import services  # noqa: E402
from zoneos.stats.api import overview_payload  # noqa: E402
from zoneos.stats.models import Rollup, Target  # noqa: E402

ZONES, PARKS = 4, 10
YEARS = range(2020, 2025)
CITIES = ["佛山", "惠州", "肇庆", "深圳", "东莞", "中山", "江门", "珠海"]
BLOCK = 50_000  # rows per COPY write

# The numbers compared between the four ways, for the whole subtree and for each part.
FIELDS = (
    "enterprises",
    "above_designated_size",
    "high_tech",
    "specialized_sme",
    "little_giant",
    "output_value",
    "revenue",
    "tax_paid",
    "output_comparable",
    "output_comparable_prev",
    "output_value_prev",
    "enterprises_prev",
)

# (c) The overview from the raw tables, in one statement: each indicator row of the year and the year
# before, of an active enterprise in the subtree, with the labels held in the year and last year's
# output of the same enterprise; grouped for the whole subtree, by child area, section and origin.
RAW_SQL = """
WITH area_child AS (
    SELECT a.id AS area_id, COALESCE(c.id, %(root)s) AS child
    FROM areas_area a
    LEFT JOIN areas_area c ON c.parent_id = %(root)s AND a.path LIKE c.path || '%%'
    WHERE a.path LIKE %(prefix)s
),
held AS (
    SELECT enterprise_id,
           bool_or(kind = 'high_tech') AS high_tech,
           bool_or(kind = 'specialized_sme') AS specialized_sme,
           bool_or(kind = 'little_giant') AS little_giant
    FROM enterprises_label
    WHERE kind IN ('high_tech', 'specialized_sme', 'little_giant')
      AND valid_from <= make_date(%(year)s, 12, 31)
      AND (valid_to IS NULL OR valid_to >= make_date(%(year)s, 1, 1))
    GROUP BY enterprise_id
)
SELECT i.year,
       GROUPING(ac.child) AS g_child,
       GROUPING(e.industry_section) AS g_section,
       GROUPING(e.capital_origin) AS g_origin,
       ac.child, e.industry_section, e.capital_origin,
       count(*) AS enterprises,
       count(*) FILTER (WHERE i.above_designated_size) AS above_designated_size,
       count(*) FILTER (WHERE h.high_tech) AS high_tech,
       count(*) FILTER (WHERE h.specialized_sme) AS specialized_sme,
       count(*) FILTER (WHERE h.little_giant) AS little_giant,
       COALESCE(sum(i.output_value), 0) AS output_value,
       COALESCE(sum(i.revenue), 0) AS revenue,
       COALESCE(sum(i.tax_paid), 0) AS tax_paid,
       COALESCE(sum(i.output_value) FILTER (WHERE p.output_value IS NOT NULL), 0) AS output_comparable,
       COALESCE(sum(p.output_value) FILTER (WHERE i.output_value IS NOT NULL), 0)
           AS output_comparable_prev
FROM enterprises_indicator i
JOIN enterprises_enterprise e ON e.id = i.enterprise_id AND e.status = 'active'
JOIN area_child ac ON ac.area_id = e.area_id
LEFT JOIN held h ON h.enterprise_id = i.enterprise_id AND i.year = %(year)s
LEFT JOIN enterprises_indicator p
       ON p.enterprise_id = i.enterprise_id AND p.year = i.year - 1
      AND p.output_value IS NOT NULL AND i.year = %(year)s
WHERE i.year IN (%(year)s, %(year)s - 1)
GROUP BY GROUPING SETS ((i.year), (i.year, ac.child), (i.year, e.industry_section),
                        (i.year, e.capital_origin))
"""

# (d) The same numbers from the rollup.
ROLLUP_SQL = """
WITH area_child AS (
    SELECT a.id AS area_id, COALESCE(c.id, %(root)s) AS child
    FROM areas_area a
    LEFT JOIN areas_area c ON c.parent_id = %(root)s AND a.path LIKE c.path || '%%'
    WHERE a.path LIKE %(prefix)s
)
SELECT r.year,
       GROUPING(ac.child) AS g_child,
       GROUPING(r.industry_section) AS g_section,
       GROUPING(r.capital_origin) AS g_origin,
       ac.child, r.industry_section, r.capital_origin,
       sum(r.enterprises) AS enterprises,
       sum(r.above_designated_size) AS above_designated_size,
       sum(r.high_tech) AS high_tech,
       sum(r.specialized_sme) AS specialized_sme,
       sum(r.little_giant) AS little_giant,
       sum(r.output_value) AS output_value,
       sum(r.revenue) AS revenue,
       sum(r.tax_paid) AS tax_paid,
       sum(r.output_comparable) AS output_comparable,
       sum(r.output_comparable_prev) AS output_comparable_prev
FROM stats_rollup r
JOIN area_child ac ON ac.area_id = r.area_id
WHERE r.year IN (%(year)s, %(year)s - 1)
GROUP BY GROUPING SETS ((r.year), (r.year, ac.child), (r.year, r.industry_section),
                        (r.year, r.capital_origin))
"""


def fail(message: str) -> None:
    print(f"\n!!! {message}\n", file=sys.stderr)
    sys.exit(1)


def reset_database() -> None:
    """Create the *bench* database if missing, drop its public schema, migrate."""
    import psycopg

    if connection.vendor != "postgresql":
        fail("this benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…/zoneos_bench")
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
    call_command("migrate", verbosity=0)


def build_tree(by):
    region = create_area(by=by, code="GD", name="广东省高新区", name_en="Guangdong", kind="region")
    zones, parks = [], []
    for z in range(ZONES):
        zone = create_area(
            by=by, code=f"Z{z}", name=f"{CITIES[z]}高新区", name_en=f"Zone {z}", kind="zone", parent=region
        )
        zones.append(zone)
        for p in range(PARKS):
            park = create_area(
                by=by,
                code=f"Z{z}-P{p}",
                name=f"{CITIES[z]}高新区第{p + 1}园",
                name_en=f"Zone {z} park {p + 1}",
                kind="park",
                parent=zone,
            )
            parks.append(park)
    return region, zones, parks


def copy_rows(table: str, columns: list[str], lines) -> int:
    """COPY text lines (tab-separated, \\N for NULL) into a table, BLOCK lines per write."""
    count = 0
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        buffer = io.StringIO()
        for line in lines:
            buffer.write(line)
            count += 1
            if count % BLOCK == 0:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())
    return count


def money(value: float) -> str:
    return f"{value:.2f}"


def build_registry(n: int, zones, parks, rng: random.Random) -> dict:
    """Enterprises, five years of figures and labels, written with COPY. Returns counts."""
    industry_weights = [i[4] for i in INDUSTRIES]
    origin_weights = [o[2] for o in ORIGINS]
    sections = {code: industries.section_of(code) for code, *_rest in INDUSTRIES}
    parts_pinyin: dict[str, tuple[str, str]] = {}

    def keys(*parts: str) -> tuple[str, str]:
        full, initials = [], []
        for part in parts:
            if part not in parts_pinyin:
                parts_pinyin[part] = pinyin.keys(part)
            full.append(parts_pinyin[part][0])
            initials.append(parts_pinyin[part][1])
        return "".join(full), "".join(initials)

    now = datetime.datetime.now(datetime.UTC).isoformat()
    enterprises = []  # (id, section, scale, growth) for the figures
    labels = []

    def enterprise_lines():
        for pk in range(1, n + 1):
            code, word, _en, _tags, _w, typical = rng.choices(INDUSTRIES, industry_weights)[0]
            if rng.random() < 0.04:
                code, typical = "", 2e7  # no industry code given
            origin, country, _w = rng.choices(ORIGINS, origin_weights)[0]
            city = rng.choice(CITIES)
            brand = rng.choice(BRANDS) + rng.choice(BRANDS)
            suffix = rng.choice(SUFFIXES)[0]
            name = f"{city}{brand}{word or '商贸'}{suffix}"
            full, initials = keys(city, brand, word or "商贸", suffix)
            area = rng.choice(zones).pk if rng.random() < 0.05 else rng.choice(parks).pk
            draw = rng.random()
            status = "active" if draw < 0.94 else "moved_out" if draw < 0.98 else "deregistered"
            section = sections.get(code, "")
            scale, growth = typical * rng.lognormvariate(-2.8, 1.3), rng.uniform(-0.1, 0.3)
            staff = max(5, int(scale / rng.uniform(6e5, 1.6e6)))
            last_revenue = scale * (1 + growth) ** (YEARS[-1] - YEARS[0])
            enterprises.append((pk, section, scale, growth, staff))
            registered = datetime.date(rng.randint(1995, 2019), rng.randint(1, 12), rng.randint(1, 28))
            uscc = build_uscc("9", "1", str(440605 + pk // 1_000_000), f"MA{pk % 1_000_000:06d}")
            size = rules.size_class(int(staff * (1 + growth / 2) ** 4), last_revenue)
            yield (
                f"{pk}\t{uscc}\t{name}\t\t\t{area}\t\t{code}\t{section}\t{registered}\t"
                f"{rng.choice([100, 500, 1000, 5000, 10000]) * 10000}.00\t{origin}\t{country}\t\t"
                f"{status}\t{full}\t{initials}\t{size}\t{now}\t{now}\tf\t\n"
            )
            draw = rng.random()
            if draw < 0.15:  # high-tech certificates run three years; a third are renewed
                start = rng.randint(2016, 2024)
                labels.append((pk, "high_tech", datetime.date(start, 12, 1), 3))
                if start + 3 <= 2024 and rng.random() < 0.35:
                    labels.append((pk, "high_tech", datetime.date(start + 3, 12, 1), 3))
            if rng.random() < 0.04:
                labels.append((pk, "specialized_sme", datetime.date(rng.randint(2020, 2024), 7, 1), 3))
            if rng.random() < 0.006:
                labels.append((pk, "little_giant", datetime.date(rng.randint(2019, 2024), 8, 1), 3))
            if rng.random() < 0.1:
                labels.append((pk, "tech_sme", datetime.date(rng.randint(2021, 2024), 5, 1), 1))

    enterprise_count = copy_rows(
        "enterprises_enterprise",
        [
            "id",
            "uscc",
            "name",
            "name_en",
            "short_name",
            "area_id",
            "address",
            "industry_code",
            "industry_section",
            "registered_on",
            "registered_capital",
            "capital_origin",
            "capital_country",
            "parent_group",
            "status",
            "name_pinyin",
            "name_initials",
            "size_class",
            "created_at",
            "updated_at",
            "uscc_override",
            "uscc_override_reason",
        ],
        enterprise_lines(),
    )

    def indicator_lines():
        above_rule = rules.ABOVE_SIZE_RULES[-1].main_business_revenue
        for pk, section, scale, growth, staff in enterprises:
            industrial = section in industries.INDUSTRIAL_SECTIONS
            for step, year in enumerate(YEARS):
                output = scale * (1 + growth) ** step * rng.uniform(0.95, 1.05)
                revenue = output * rng.uniform(0.92, 1.08)
                main_revenue = round(revenue * 0.95, 2)
                employees = int(staff * (1 + growth / 2) ** step)
                above = industrial and main_revenue >= above_rule
                size = rules.size_class(employees, revenue)
                shown = "\\N" if rng.random() < 0.04 else money(output)  # output not reported
                yield (
                    f"{pk}\t{year}\t{shown}\t{money(revenue)}\t{money(main_revenue)}\t"
                    f"{money(revenue * rng.uniform(0.02, 0.07))}\t"
                    f"{money(revenue * rng.uniform(0.01, 0.08))}\t"
                    f"{money(revenue * rng.uniform(0, 0.3))}\t{employees}\t{int(employees * 0.15)}\t"
                    f"{rng.randint(0, 30)}\tstatistics\t\\N\t{'t' if above else 'f'}\t{size}\t{now}\n"
                )

    indicator_count = copy_rows(
        "enterprises_indicator",
        [
            "enterprise_id",
            "year",
            "output_value",
            "revenue",
            "main_business_revenue",
            "tax_paid",
            "rd_expense",
            "exports",
            "employees",
            "rd_staff",
            "invention_patents",
            "source",
            "above_designated_size_set",
            "above_designated_size",
            "size_class",
            "updated_at",
        ],
        indicator_lines(),
    )

    def label_lines():
        for number, (pk, kind, start, years) in enumerate(labels):
            end = datetime.date(start.year + years, start.month, start.day) - datetime.timedelta(days=1)
            yield f"{pk}\t{kind}\tGR{start.year}{number:07d}\t{start}\t{end}\n"

    label_count = copy_rows(
        "enterprises_label",
        ["enterprise_id", "kind", "certificate_no", "valid_from", "valid_to"],
        label_lines(),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('enterprises_enterprise', 'id'), "
            "(SELECT max(id) FROM enterprises_enterprise))"
        )
    return {"enterprises": enterprise_count, "indicators": indicator_count, "labels": label_count}


def zero() -> dict:
    return dict.fromkeys(FIELDS, 0)


def from_overview(o: services.Overview) -> dict:
    """The compared numbers of an Overview, keyed ("total"), ("child", id), ("section", ...), ..."""

    def numbers(f: services.Figures) -> dict:
        return {name: getattr(f, name) for name in FIELDS}

    out = {("total", None): numbers(o.figures)}
    for group, parts in (
        ("child", o.by_child),
        ("section", o.by_industry_section),
        ("origin", o.by_capital_origin),
    ):
        for part in parts:
            out[(group, part.key)] = numbers(part.figures)
    return out


def from_sql(rows, year: int) -> dict:
    """The compared numbers from the rows of RAW_SQL or ROLLUP_SQL (same columns)."""
    out: dict = {}
    for row in rows:
        row_year, g_child, g_section, g_origin, child, section, origin, *values = row
        if not g_child:
            key = ("child", child)
        elif not g_section:
            key = ("section", section)
        elif not g_origin:
            key = ("origin", origin)
        else:
            key = ("total", None)
        numbers = out.setdefault(key, zero())
        values = dict(zip(FIELDS[:10], values, strict=True))
        if row_year == year:
            numbers.update({k: v if v is not None else 0 for k, v in values.items()})
        else:
            numbers["output_value_prev"] = values["output_value"] or 0
            numbers["enterprises_prev"] = values["enterprises"] or 0
    return out


def differences(name: str, got: dict, expected: dict) -> list[str]:
    problems = []
    for key in sorted(set(got) | set(expected), key=str):
        a, b = got.get(key, zero()), expected.get(key, zero())
        for field in FIELDS:
            if Decimal(a[field]) != Decimal(b[field]):
                problems.append(f"{name} {key} {field}: {a[field]} != {b[field]} (raw tables)")
    return problems


def timed(fn, repeat: int) -> tuple[float, float, float]:
    fn()  # warm the caches once
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), min(samples), max(samples)


def sql(statement: str, params: dict):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def edit_deltas(by, park, other, year: int, repeat: int) -> dict:
    """One enterprise of `park` changes its area, its industry, its status (through the registry's
    services, each in its own transaction, then changed back): the statistics' rollup moves that
    enterprise's part only. Median ms of `repeat` changes of each kind; then the two parks' rollup is
    checked equal to a rebuild of them."""
    from zoneos.enterprises.services import update_enterprise

    candidates = list(
        Enterprise.objects.filter(area=park, status="active", indicators__year=year)
        .exclude(industry_code="")
        .order_by("pk")[: repeat * 3]
    )
    kinds = {
        "area": lambda e: ({"area": other}, {"area": park}),
        "industry": lambda e: (
            {"industry_code": "6513" if e.industry_code != "6513" else "3612"},
            {"industry_code": e.industry_code},
        ),  # fmt: skip
        "status": lambda e: ({"status": "moved_out"}, {"status": "active"}),
    }
    timings: dict = {k: [] for k in kinds}
    for i, enterprise in enumerate(candidates):
        kind = list(kinds)[i % 3]
        there, back = kinds[kind](enterprise)
        started = time.perf_counter()
        update_enterprise(enterprise, by=by, **there)
        timings[kind].append(time.perf_counter() - started)
        update_enterprise(Enterprise.objects.get(pk=enterprise.pk), by=by, **back)
    kept = services.SPEC.rows(area_id__in=[park.pk, other.pk])
    with transaction.atomic():
        services.refresh([park.pk, other.pk], None)
        equal = kept == services.SPEC.rows(area_id__in=[park.pk, other.pk])
        transaction.set_rollback(True)
    if not equal:
        fail("the rollup kept by the edits' deltas differs from a rebuild of the two parks")
    return {k: round(statistics.median(v) * 1000, 2) for k, v in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30, help="runs of (a), (b) and (d)")
    parser.add_argument("--raw-repeat", type=int, default=7, help="runs of (c), the raw-table query")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    try:
        run(args)
    finally:
        connection.close()
        shutil.rmtree(VAR_DIR, ignore_errors=True)


def run(args) -> None:
    n = args.enterprises
    wall = time.perf_counter()
    reset_database()
    root_user = User.objects.create_superuser("bench-root", "root@example.org", "bench-password-1")
    region, zones, parks = build_tree(root_user)
    steps = {}

    started = time.perf_counter()
    counts = build_registry(n, zones, parks, random.Random(args.seed))
    steps["COPY enterprises, figures, labels"] = time.perf_counter() - started
    print(f"loaded {counts} in {steps['COPY enterprises, figures, labels']:.1f} s", flush=True)

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    steps["VACUUM ANALYZE"] = time.perf_counter() - started

    started = time.perf_counter()
    cells = services.refresh(None)
    steps["stats.services.refresh(None): full rollup"] = time.perf_counter() - started
    print(
        f"rollup: {cells:,} cells in {steps['stats.services.refresh(None): full rollup']:.1f} s", flush=True
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE stats_rollup")

    year = services.latest_year(region)
    park = parks[0]
    incremental = []
    for _ in range(3):
        started = time.perf_counter()
        services.refresh([park.pk], [year, year + 1])
        incremental.append(time.perf_counter() - started)
    in_park = Rollup.objects.filter(area=park, year=year).aggregate(n=Sum("enterprises"))["n"]
    steps[f"refresh([park of {in_park:,}], [year, year + 1]): figures import (median of 3)"] = (
        statistics.median(incremental)
    )
    started = time.perf_counter()
    services.refresh([park.pk], None)
    steps[f"refresh([park of {in_park:,}], None): a whole park recomputed (imports, repairs)"] = (
        time.perf_counter() - started
    )
    edits = edit_deltas(root_user, park, parks[1], year, args.repeat)

    Target.objects.create(area=region, metric="output_value", year=year + 1, value=Decimal("5e12"))
    Target.objects.create(area=region, metric="high_tech", year=year + 2, value=Decimal(200_000))

    params = {"root": region.pk, "prefix": region.path + "%", "year": year}
    raw = from_sql(sql(RAW_SQL, params), year)
    app = from_overview(services.overview(region, year))
    rolled = from_sql(sql(ROLLUP_SQL, params), year)
    mismatches = differences("(a) overview", app, raw) + differences("(d) rollup SQL", rolled, raw)

    client = Client()
    client.force_login(root_user)
    url = f"/api/v1/stats/overview/?area={region.pk}&year={year}"
    response = client.get(url)
    if response.status_code != 200:
        fail(f"GET {url}: {response.status_code} {response.content[:300]!r}")
    body = response.json()
    expected = overview_payload(services.overview(region, year))
    if body != json.loads(json.dumps(expected)):
        mismatches.append("(b) the API's body differs from overview_payload()")

    with CaptureQueriesContext(connection) as queries:
        overview_payload(services.overview(region, year))
    app_queries = len(queries)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    api_queries = len(queries)

    measured = {}
    measured["a"] = timed(lambda: overview_payload(services.overview(region, year)), args.repeat)
    measured["b"] = timed(lambda: client.get(url), args.repeat)
    measured["c"] = timed(lambda: sql(RAW_SQL, params), args.raw_repeat)
    measured["d"] = timed(lambda: sql(ROLLUP_SQL, params), args.repeat)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('enterprises_indicator'))")
        indicator_size = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]

    names = {
        "a": "(a) overview() + overview_payload()",
        "b": "(b) GET /api/v1/stats/overview/ (test client)",
        "c": "(c) bare SQL over the raw tables",
        "d": "(d) bare SQL over stats_rollup",
    }
    runs = {"a": args.repeat, "b": args.repeat, "c": args.raw_repeat, "d": args.repeat}
    total = raw[("total", None)]
    result = {
        "database": connection.vendor,
        "server": connection.pg_version,
        "shared_buffers": shared_buffers,
        "enterprises": counts["enterprises"],
        "indicators": counts["indicators"],
        "indicator_table_size": indicator_size,
        "labels": counts["labels"],
        "areas": 1 + ZONES + ZONES * PARKS,
        "rollup_cells": cells,
        "rollup_cells_for_year": Rollup.objects.filter(year=year).count(),
        "year": year,
        "headline": {k: str(v) for k, v in total.items()},
        "setup_seconds": {k: round(v, 2) for k, v in steps.items()},
        "one_enterprise_edit_ms": edits,
        "queries": {"a": app_queries, "b": api_queries},
        "results": [
            {
                "operation": names[k],
                "runs": runs[k],
                "median_ms": round(m[0], 2),
                "min_ms": round(m[1], 2),
                "max_ms": round(m[2], 2),
            }
            for k, m in measured.items()
        ],
        "ratio_a_to_c": round(measured["a"][0] / measured["c"][0], 4),
        "ratio_a_to_d": round(measured["a"][0] / measured["d"][0], 2),
        "target_a_ms": 150,
        "meets_target": measured["a"][0] <= 150,
        "figures_match": not mismatches,
        "mismatches": mismatches[:50],
        "wall_seconds": round(time.perf_counter() - wall, 1),
    }

    print(
        f"\nZoneOS overview on PostgreSQL {connection.pg_version // 10000} "
        f"(shared_buffers {shared_buffers}): "
        f"{counts['enterprises']:,} enterprises, {counts['indicators']:,} indicator rows "
        f"({indicator_size}), {counts['labels']:,} labels, {result['areas']} areas, year {year}"
    )
    print(
        f"root {year}: {total['enterprises']:,} active enterprises with figures, "
        f"{total['above_designated_size']:,} above designated size, {total['high_tech']:,} high-tech; "
        f"output {total['output_value']:,} yuan (previous year {total['output_value_prev']:,})"
    )
    width = max(len(k) for k in steps)
    print(f"\n{'setup step':<{width}}  {'seconds':>8}")
    for name, seconds in steps.items():
        print(f"{name:<{width}}  {seconds:>8.2f}")
    print(f"rollup cells: {cells:,} ({result['rollup_cells_for_year']:,} for {year})")
    print(
        "one enterprise's change through update_enterprise(), rollup delta included, median ms: "
        + ", ".join(f"{k} {v:.2f}" for k, v in edits.items())
        + " (target: at most 50); the two parks' rollup equals a rebuild"
    )
    width = max(len(v) for v in names.values())
    print(f"\n{'overview of the root':<{width}}  {'runs':>4}  {'median ms':>9}  {'min ms':>8}  {'max ms':>8}")
    for key, (median, low, high) in measured.items():
        print(f"{names[key]:<{width}}  {runs[key]:>4}  {median:>9.2f}  {low:>8.2f}  {high:>8.2f}")
    verdict = "ok" if result["meets_target"] else "MISSED"
    print(f"target for (a): <= 150 ms: {verdict}")
    print(f"(a) / (c): {result['ratio_a_to_c']:.4f}   (a) / (d): {result['ratio_a_to_d']:.2f}")
    print(f"queries: (a) {app_queries}, (b) {api_queries}")
    if mismatches:
        print(f"\n!!! MISMATCH: {len(mismatches)} numbers differ from the raw tables !!!")
        for line in mismatches[:30]:
            print(f"!!! {line}")
    else:
        compared = len(raw) * len(FIELDS)
        print(
            f"figures: (a) and (d) equal (c) exactly ({len(raw)} groups x {len(FIELDS)} numbers = {compared})"
        )
    print(f"wall time: {result['wall_seconds']:.0f} s")
    out = ROOT / "bench" / "results" / "registry_overview-postgresql.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"written: {out.relative_to(ROOT)}")
    if mismatches:
        sys.exit(1)


if __name__ == "__main__":
    main()
