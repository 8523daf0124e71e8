"""Bulk matching of the policies engine on PostgreSQL, against the bare SQL a DBA would write.

Builds the province-scale registry of bench/registry_overview.py (its generators, with COPY: a region
of 4 zones and 40 parks, 1,000,000 enterprises, five years of figures, labels), fills the policies'
metrics table with `zoneos.policies.metrics.refresh()` (the full rebuild; the figure writers keep it
exact afterwards), then:

- (a) matches one item with a six-leaf rule (three-year R&D ratio, main business share, revenue,
  R&D staff share, age, industry prefix) over every enterprise: `eligible_enterprises(item, on)
  .count()`, median of --repeat runs (target at most 1 s);
- (b) the same count with one hand-written SQL over the same tables (enterprises_enterprise joined to
  policies_metrics of the year; ratios by multiplication), the target being (a) <= 1.5 x (b);
- (c) for information, the bare SQL a DBA would write without the metrics table: the three years
  summed from enterprises_indicator at query time;
- (d) one enterprise's eligibility over 100 items (Python evaluator with traces; target <= 150 ms);
- checks that (a), (b) and (c) count the same enterprises, and that the Python evaluator agrees with
  the SQL back end on a sample of enterprises.

`--reuse` measures again on the database an earlier run built (the build takes some 15 minutes).
The measurements run with `random_page_cost = 1.1`, the setting docs/operations.md gives PostgreSQL
on SSD storage.

DATABASE_URL (default postgres://postgres@127.0.0.1:5432/zoneos_bench_policies) must name a database
with "bench" in it: it is wiped and migrated. Prints a table and writes
bench/results/policies-postgresql.json.

    .venv/bin/python bench/policies.py --enterprises 100000   # a quick run
    .venv/bin/python bench/policies.py                        # 1,000,000 enterprises
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
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zoneos_bench_policies")
_spec = importlib.util.spec_from_file_location("registry_overview", ROOT / "bench" / "registry_overview.py")
registry = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(registry)  # sets Django up (settings, DEBUG off, a temporary var dir)

from django.db import connection  # noqa: E402

from zoneos.accounts.models import User  # noqa: E402
from zoneos.enterprises.models import Enterprise  # noqa: E402
from zoneos.policies import criteria as c  # noqa: E402
from zoneos.policies import matching, metrics, services  # noqa: E402
from zoneos.policies.models import PolicyItem  # noqa: E402

ON = datetime.date(2025, 6, 1)
YEAR = ON.year - 1


def six_leaves(rd="0.04", share="0.9", revenue="20000000", staff="0.10", age=3, prefix="3"):
    return {
        "all": [
            {"id": "rd_ratio", "label": "近三年研发占比", "var": "rd_ratio_3y", "op": ">=", "value": rd},
            {
                "id": "main_share",
                "label": "主营占比",
                "var": "main_business_share",
                "op": ">=",
                "value": share,
            },
            {"id": "revenue", "label": "营业收入", "var": "revenue", "op": ">=", "value": revenue},
            {"id": "rd_staff", "label": "研发人员占比", "var": "rd_staff_share", "op": ">=", "value": staff},
            {"id": "age", "label": "成立年限", "var": "age_years", "op": ">=", "value": age},
            {
                "id": "industry",
                "label": "制造业（30-39大类）",
                "var": "industry_code",
                "op": "prefix",
                "value": prefix,
            },
        ]
    }


BARE_METRICS = """
SELECT count(*) FROM enterprises_enterprise e
JOIN policies_metrics m ON m.enterprise_id = e.id AND m.year = %(year)s
WHERE e.status = 'active'
  AND m.revenue_3y > 0 AND m.rd_expense_3y >= 0.04 * m.revenue_3y
  AND m.revenue > 0 AND m.main_business_revenue >= 0.9 * m.revenue
  AND m.revenue >= 20000000
  AND m.employees > 0 AND m.rd_staff >= 0.10 * m.employees
  AND e.registered_on <= %(registered_by)s
  AND e.industry_code LIKE '3%%'
"""

BARE_RAW = """
SELECT count(*) FROM enterprises_enterprise e
JOIN enterprises_indicator i0 ON i0.enterprise_id = e.id AND i0.year = %(year)s
LEFT JOIN enterprises_indicator i1 ON i1.enterprise_id = e.id AND i1.year = %(year)s - 1
LEFT JOIN enterprises_indicator i2 ON i2.enterprise_id = e.id AND i2.year = %(year)s - 2
WHERE e.status = 'active'
  AND i0.revenue >= 20000000 AND i0.main_business_revenue >= 0.9 * i0.revenue
  AND i0.employees > 0 AND i0.rd_staff >= 0.10 * i0.employees
  AND e.registered_on <= %(registered_by)s AND e.industry_code LIKE '3%%'
  AND (i0.rd_expense
       + CASE WHEN EXTRACT(YEAR FROM e.registered_on) <= %(year)s - 1 THEN i1.rd_expense ELSE 0 END
       + CASE WHEN EXTRACT(YEAR FROM e.registered_on) <= %(year)s - 2 THEN i2.rd_expense ELSE 0 END)
      >= 0.04 * (i0.revenue
       + CASE WHEN EXTRACT(YEAR FROM e.registered_on) <= %(year)s - 1 THEN i1.revenue ELSE 0 END
       + CASE WHEN EXTRACT(YEAR FROM e.registered_on) <= %(year)s - 2 THEN i2.revenue ELSE 0 END)
"""


def timed(fn, repeat: int) -> tuple[float, float, float, object]:
    runs, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = fn()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs), min(runs), max(runs), value


def bare(statement: str) -> int:
    params = {"year": YEAR, "registered_by": ON.replace(year=ON.year - 3)}
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--reuse", action="store_true", help="measure again on the database of an earlier run"
    )
    args = parser.parse_args()
    wall = time.perf_counter()
    setup = {}
    if args.reuse:  # the registry and metrics of an earlier run: measure again
        from zoneos.areas.models import Area
        from zoneos.policies.models import Policy

        root = User.objects.get(username="bench-root")
        region = Area.objects.get(code="GD")
        Policy.objects.filter(title="研发奖补（基准）").delete()
        counts = {"enterprises": Enterprise.objects.count(), "indicators": metrics.Metrics.objects.count()}
    else:
        registry.reset_database()
        root = User.objects.create_superuser("bench-root", "root@example.org", "bench-password-1")
        region, zones, parks = registry.build_tree(root)
        started = time.perf_counter()
        counts = registry.build_registry(args.enterprises, zones, parks, random.Random(args.seed))
        setup["COPY enterprises, figures, labels"] = time.perf_counter() - started
        print(f"loaded {counts} in {setup['COPY enterprises, figures, labels']:.1f} s", flush=True)
        started = time.perf_counter()
        metrics.refresh()
        setup["metrics.refresh(): the full metrics table"] = time.perf_counter() - started
        print(f"metrics in {setup['metrics.refresh(): the full metrics table']:.1f} s", flush=True)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        setup["VACUUM ANALYZE"] = time.perf_counter() - started
    # The deployment's setting for SSD storage (docs/operations.md), for ZoneOS's query and the bare SQL
    # alike: this session's, so that it holds for the database as deployed without touching the server.
    with connection.cursor() as cursor:
        cursor.execute("SET random_page_cost = 1.1")

    policy = services.create_policy(by=root, area=region, title="研发奖补（基准）", category="award")
    item = services.create_item(by=root, policy=policy, code="bench-six", name="六条件事项")
    rule = services.create_rule(
        by=root,
        item=item,
        effective_from=datetime.date(2020, 1, 1),
        criteria=six_leaves(),
        benefit={"min": [{"rate": "0.1", "var": "rd_expense"}, {"fixed": "2000000"}]},
    )
    services.publish_rule(rule, by=root)

    measured = {
        "a": timed(lambda: matching.eligible_enterprises(item, ON).count(), args.repeat),
        "b": timed(lambda: bare(BARE_METRICS), args.repeat),
        "c": timed(lambda: bare(BARE_RAW), max(3, args.repeat // 3)),
    }
    mismatches = []
    if not measured["a"][3] == measured["b"][3] == measured["c"][3]:
        mismatches.append(f"counts differ: {measured['a'][3]}, {measured['b'][3]}, {measured['c'][3]}")

    # One enterprise against 100 items (the calculator).
    rng = random.Random(args.seed)
    for n in range(99):
        other = services.create_item(by=root, policy=policy, code=f"bench-{n:03d}", name=f"事项{n}")
        variant = six_leaves(
            rd=rng.choice(["0.03", "0.04", "0.05"]),
            share=rng.choice(["0.7", "0.9"]),
            revenue=str(rng.choice([1, 2, 5]) * 10**7),
        )
        services.publish_rule(
            services.create_rule(
                by=root,
                item=other,
                effective_from=datetime.date(2020, 1, 1),
                criteria=variant,
                benefit={"fixed": "100000"},
            ),
            by=root,
        )
    items = list(PolicyItem.objects.filter(policy=policy).order_by("code"))
    sample = list(Enterprise.objects.filter(status="active").order_by("?").values_list("pk", flat=True)[:200])
    one = Enterprise.objects.select_related("area").get(pk=sample[0])
    measured["d"] = timed(lambda: matching.eligibility_list(one, items, ON), args.repeat * 3)
    assert len(measured["d"][3]) == 100

    # The Python evaluator agrees with the SQL back end on the sample.
    coded = dict(
        matching.results(item, ON, Enterprise.objects.filter(pk__in=sample)).values_list("pk", "policy_code")
    )
    for pk in sample:
        found = matching.eligibility(Enterprise.objects.select_related("area").get(pk=pk), item, ON)
        if c.RESULT_NAMES[coded[pk]] != found["result"]:
            mismatches.append(f"enterprise {pk}: SQL {coded[pk]}, Python {found['result']}")

    names = {
        "a": "(a) eligible_enterprises(item, on).count(): six-leaf rule over all enterprises",
        "b": "(b) bare SQL over enterprises + policies_metrics (the DBA's query)",
        "c": "(c) bare SQL over the raw yearly figures (three years summed at query time)",
        "d": "(d) one enterprise's eligibility over 100 items (Python, with traces)",
    }
    runs = {"a": args.repeat, "b": args.repeat, "c": max(3, args.repeat // 3), "d": args.repeat * 3}
    result = {
        "database": connection.vendor,
        "server": connection.pg_version,
        "enterprises": counts["enterprises"],
        "indicators": counts["indicators"],
        "metrics_rows": metrics.Metrics.objects.count(),
        "date": ON.isoformat(),
        "eligible": measured["a"][3],
        "setup_seconds": {k: round(v, 2) for k, v in setup.items()},
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
        "ratio_a_to_b": round(measured["a"][0] / measured["b"][0], 3),
        "targets": {"a_ms": 1000, "a_to_b": 1.5, "d_ms": 150},
        "meets_targets": measured["a"][0] <= 1000
        and measured["a"][0] <= 1.5 * measured["b"][0]
        and measured["d"][0] <= 150,
        "agree": not mismatches,
        "mismatches": mismatches[:20],
        "sql": str(matching.eligible_enterprises(item, ON).values("pk").query),
        "wall_seconds": round(time.perf_counter() - wall, 1),
    }
    print(f"\n{'operation':<84} {'median ms':>10} {'min':>9} {'max':>9}")
    for row in result["results"]:
        print(f"{row['operation']:<84} {row['median_ms']:>10.1f} {row['min_ms']:>9.1f} {row['max_ms']:>9.1f}")
    print(
        f"\neligible: {result['eligible']:,} of {result['enterprises']:,}; "
        f"(a)/(b) = {result['ratio_a_to_b']}; targets met: {result['meets_targets']}; "
        f"back ends agree: {result['agree']}"
    )
    out = ROOT / "bench" / "results" / "policies-postgresql.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")
    if mismatches:
        print("\n!!! " + "\n!!! ".join(mismatches), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    try:
        main()
    finally:
        connection.close()
