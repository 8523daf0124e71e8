"""Coverage of an industrial chain at province scale on PostgreSQL, against the bare SQL a DBA would write.

Builds the province-scale registry of bench/registry_overview.py (its generators, with COPY: a region of
4 zones and 40 parks, 1,000,000 enterprises, five years of figures, labels), then a chain of 150 links on
the region (15 parent links of 9 leaves each, the leaves named by the registry's industry classes) and
--placements enterprises placed on the leaves their industry fits, and times:

- (a) `zoneos.chains.coverage.coverage(chain, region, superuser, year, on)`: every link's active
  enterprises, above designated size, high-tech, specialised, output value, projects and key projects,
  strength and gap, read from the chain's cells (median of --repeat runs; target at most 200 ms);
- (b) the bare SQL a DBA would write for the same counts and sums over the same cells (the target
  being (a) <= 1.5 x (b));
- (c) one hand-written SQL statement computing the leaves' counts and sums from the rows themselves
  (placements, figures, labels): what a coverage costs without the cells;
- checks that (a) and (c) agree on every leaf, and times the full rebuild of the cells after the
  placements were loaded around the writers (`manage.py rebuild_rollups chain_members`).

`--reuse` measures again on the database an earlier run built. DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/zoneos_bench_chains) must name a database with "bench" in it: it is
wiped and migrated. Prints a table and writes bench/results/chains-postgresql.json.

    .venv/bin/python bench/chains.py --enterprises 100000 --placements 10000   # a quick run
    .venv/bin/python bench/chains.py                                           # 1,000,000 enterprises
"""

import argparse
import datetime
import importlib.util
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zoneos_bench_chains")
_spec = importlib.util.spec_from_file_location("registry_overview", ROOT / "bench" / "registry_overview.py")
registry = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(registry)  # sets Django up (settings, DEBUG off, a temporary var dir)

from django.db import connection  # noqa: E402
from django.db.models.functions import Mod  # noqa: E402

from zoneos.accounts.models import User  # noqa: E402
from zoneos.areas.models import Area  # noqa: E402
from zoneos.chains import cells  # noqa: E402
from zoneos.chains.cells import ChainMembers  # noqa: E402
from zoneos.chains.coverage import coverage  # noqa: E402
from zoneos.chains.models import Chain, Link  # noqa: E402
from zoneos.enterprises.demo import INDUSTRIES  # noqa: E402
from zoneos.enterprises.models import Enterprise  # noqa: E402

ON = datetime.date(2025, 6, 1)
YEAR = 2024
CODE = "BENCH-150"
PARENTS, LEAVES = 15, 9

# (b): every link of the chain with its weight, what the cells of the region hold for it (and for the
# chain as a whole, node 0), and the projects and key projects placed on it: the same answer as (a).
CELLS = """
WITH members AS (
    SELECT c.node, sum(c.enterprises) AS enterprises, sum(c.leaders) AS leaders
    FROM chains_chainmembers c JOIN areas_area a ON a.id = c.area_id
    WHERE c.chain_id = %(chain)s AND a.path LIKE %(path)s GROUP BY c.node),
years AS (
    SELECT c.node, sum(c.above) AS above, sum(c.output) AS output
    FROM chains_chainyear c JOIN areas_area a ON a.id = c.area_id
    WHERE c.chain_id = %(chain)s AND c.year = %(year)s AND a.path LIKE %(path)s GROUP BY c.node),
labels AS (
    SELECT c.node, sum(c.enterprises) FILTER (WHERE c.kind = 'high_tech') AS high_tech,
           sum(c.enterprises) FILTER (WHERE c.kind = 'specialized') AS specialized
    FROM chains_chainlabel c JOIN areas_area a ON a.id = c.area_id
    WHERE c.chain_id = %(chain)s AND c.first_year <= %(year)s AND c.last_year >= %(year)s
    AND a.path LIKE %(path)s GROUP BY c.node),
projects AS (
    SELECT pl.link_id, count(*) FILTER (WHERE pl.project_id IS NOT NULL) AS projects,
           count(*) FILTER (WHERE k.year = %(year)s) AS key_projects
    FROM chains_placement pl JOIN chains_link l ON l.id = pl.link_id JOIN areas_area a ON a.id = pl.area_id
    LEFT JOIN supervision_keyproject k ON k.id = pl.key_project_id
    WHERE l.chain_id = %(chain)s AND a.path LIKE %(path)s AND pl.enterprise_id IS NULL GROUP BY pl.link_id)
SELECT n.node, coalesce(m.enterprises, 0), coalesce(y.above, 0), coalesce(h.high_tech, 0),
       coalesce(h.specialized, 0), coalesce(y.output, 0), coalesce(m.leaders, 0), n.weight, n.bottleneck,
       n.parent_id, n.benchmark_share, coalesce(p.projects, 0), coalesce(p.key_projects, 0)
FROM (SELECT l.id AS node, l.weight, l.bottleneck, l.parent_id, l.benchmark_share FROM chains_link l
      WHERE l.chain_id = %(chain)s UNION ALL SELECT 0, 0, false, NULL, NULL) n
LEFT JOIN members m ON m.node = n.node LEFT JOIN years y ON y.node = n.node
LEFT JOIN labels h ON h.node = n.node LEFT JOIN projects p ON p.link_id = n.node
"""

# (c): the same counts from the rows.
BARE = """
WITH placed AS (
    SELECT DISTINCT pl.link_id, pl.enterprise_id
    FROM chains_placement pl
    JOIN chains_link l ON l.id = pl.link_id
    JOIN areas_area a ON a.id = pl.area_id
    JOIN enterprises_enterprise e ON e.id = pl.enterprise_id
    WHERE l.chain_id = %(chain)s AND a.path LIKE %(path)s AND e.status = 'active'
)
SELECT p.link_id,
       count(*),
       count(*) FILTER (WHERE i.above_designated_size),
       count(*) FILTER (WHERE EXISTS (
           SELECT 1 FROM enterprises_label b WHERE b.enterprise_id = p.enterprise_id AND b.kind = 'high_tech'
           AND EXTRACT(YEAR FROM b.valid_from) <= %(year)s
           AND (b.valid_to IS NULL OR EXTRACT(YEAR FROM b.valid_to) >= %(year)s))),
       count(*) FILTER (WHERE EXISTS (
           SELECT 1 FROM enterprises_label b WHERE b.enterprise_id = p.enterprise_id
           AND b.kind IN ('specialized_sme', 'little_giant')
           AND EXTRACT(YEAR FROM b.valid_from) <= %(year)s
           AND (b.valid_to IS NULL OR EXTRACT(YEAR FROM b.valid_to) >= %(year)s))),
       coalesce(sum(i.output_value), 0)
FROM placed p
LEFT JOIN enterprises_indicator i ON i.enterprise_id = p.enterprise_id AND i.year = %(year)s
GROUP BY p.link_id
"""


def build_chain(region, placements: int, rng: random.Random) -> Chain:
    Chain.objects.filter(code=CODE).delete()
    chain = Chain.objects.create(code=CODE, name="省级基准产业链", area=region)
    codes = [i[0] for i in INDUSTRIES]
    leaves = []
    for p in range(PARENTS):
        parent = Link.objects.create(
            chain=chain, code=f"P{p:02d}", name=f"环节{p}", segment="midstream", position=p
        )
        for n in range(LEAVES):
            code = codes[(p * LEAVES + n) % len(codes)]
            leaves.append(
                Link(
                    chain=chain,
                    parent=parent,
                    code=f"P{p:02d}-{n}",
                    name=f"环节{p}-{n}",
                    segment=rng.choice(["upstream", "midstream", "downstream"]),
                    industry_codes=[code],
                    bottleneck=rng.random() < 0.1,
                    position=n,
                )
            )
    Link.objects.bulk_create(leaves)
    by_code: dict[str, list[int]] = {}
    for link in Link.objects.filter(chain=chain, parent__isnull=False):
        by_code.setdefault(link.industry_codes[0], []).append(link.pk)
    total = Enterprise.objects.count()
    step = max(1, total // placements)
    rows = (
        Enterprise.objects.filter(industry_code__in=list(by_code))
        .annotate(slot=Mod("id", step))
        .filter(slot=0)
        .values_list("id", "area_id", "industry_code")
    )
    chosen = list(rows)  # read before the COPY: one connection cannot fetch rows while it copies
    lines = (
        f"{links[eid % len(links)]}\t{eid}\tmember\t{area}\t2025-01-01 00:00:00+08\n"
        for eid, area, code in chosen
        for links in [by_code[code]]
    )
    count = registry.copy_rows(
        "chains_placement", ["link_id", "enterprise_id", "role", "area_id", "created_at"], lines
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE chains_placement")
    print(f"chain {CODE}: {1 + PARENTS + PARENTS * LEAVES - 1} links, {count:,} placements", flush=True)
    return chain


def timed(fn, repeat: int):
    fn()  # warm
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times), max(times), result


def bare(chain, region, sql=BARE):
    with connection.cursor() as cursor:
        cursor.execute(sql, {"chain": chain.pk, "path": region.path + "%", "year": YEAR})
        return {row[0]: row[1:] for row in cursor.fetchall()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--placements", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--reuse", action="store_true", help="measure again on the database of an earlier run"
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    if args.reuse:
        root = User.objects.get(username="bench-root")
        region = Area.objects.get(code="GD")
    else:
        registry.reset_database()
        root = User.objects.create_superuser("bench-root", "root@example.org", "bench-password-1")
        region, zones, parks = registry.build_tree(root)
        started = time.perf_counter()
        counts = registry.build_registry(args.enterprises, zones, parks, rng)
        print(f"loaded {counts} in {time.perf_counter() - started:.1f} s", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("SET random_page_cost = 1.1")  # docs/operations.md: PostgreSQL on SSD storage
    chain = Chain.objects.filter(code=CODE).first() if args.reuse else None
    rebuilt_ms = None
    if chain is None or not ChainMembers.objects.filter(chain=chain).exists():
        chain = chain or build_chain(region, args.placements, rng)
        started = time.perf_counter()
        written = cells.rebuild()
        rebuilt_ms = (time.perf_counter() - started) * 1000
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE chains_chainmembers, chains_chainyear, chains_chainlabel")
        print(f"cells rebuilt: {written:,} in {rebuilt_ms / 1000:.1f} s", flush=True)

    ours = timed(lambda: coverage(chain, region, root, year=YEAR, on=ON), args.repeat)
    over_cells = timed(lambda: bare(chain, region, CELLS), args.repeat)
    sql = timed(lambda: bare(chain, region), args.repeat)
    result, expected = ours[3], sql[3]
    mismatches = []
    for row in result["links"]:
        if row["parent"] is None:
            continue
        n, above, high_tech, specialized, output = expected.get(row["link"], (0, 0, 0, 0, 0))
        want = (n, above, high_tech, specialized, f"{output:.2f}")
        got = tuple(
            row[k]
            for k in ("enterprises", "above_designated_size", "high_tech", "specialized", "output_value")
        )
        if got != want:
            mismatches.append((row["code"], got, want))
    for node, row in over_cells[3].items():
        want = expected.get(node)
        leaf = node in {r["link"] for r in result["links"] if r["parent"]}
        if leaf and want and (*row[:4], f"{row[4]:.2f}") != (*want[:4], f"{want[4]:.2f}"):
            mismatches.append((f"cells {node}", row, want))
    table = [
        ("(a) coverage(): 150 links, figures, strength, gap", ours),
        ("(b) bare SQL over the cells", over_cells),
        ("(c) bare SQL over the rows (no cells)", sql),
    ]
    placed = sum(r["enterprises"] for r in result["links"] if r["parent"])
    print(
        f"\nZoneOS chain coverage on PostgreSQL: {Enterprise.objects.count():,} enterprises, "
        f"{chain.links.count()} links, {placed:,} active enterprises placed on the leaves"
    )
    print(f"{'operation':55} {'median ms':>10} {'min':>8} {'max':>8}")
    for name, (median, low, high, _r) in table:
        print(f"{name:55} {median:10.1f} {low:8.1f} {high:8.1f}")
    ratio = ours[0] / over_cells[0] if over_cells[0] else None
    print(f"ratio (a)/(b): {ratio:.2f} (target at most 1.5); (a) target at most 200 ms")
    print(f"(c)/(a): {sql[0] / ours[0]:.1f} times faster with the cells")
    if mismatches:
        print(f"MISMATCH on {len(mismatches)} leaves, first: {mismatches[:3]}")
    out = ROOT / "bench" / "results" / "chains-postgresql.json"
    out.write_text(
        json.dumps(
            {
                "enterprises": Enterprise.objects.count(),
                "links": chain.links.count(),
                "coverage_ms": {"median": ours[0], "min": ours[1], "max": ours[2]},
                "cells_sql_ms": {"median": over_cells[0], "min": over_cells[1], "max": over_cells[2]},
                "rows_sql_ms": {"median": sql[0], "min": sql[1], "max": sql[2]},
                "cells_rebuild_ms": rebuilt_ms,
                "ratio": ratio,
                "mismatches": len(mismatches),
            },
            indent=2,
        )
    )
    print(f"written: {out}")
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
