"""A real PostgreSQL streaming replica on this machine: dashboard and export reads on the primary and on the
replica under a concurrent write load, and the replication lag.

The running server on 5432 is left alone: it holds every other database of the machine and its pg_hba has
no replication entry. Instead the bench starts its own primary (initdb, port --primary-port, default 5434),
loads the demo zone into it (migrate, load_demo), clones it with `pg_basebackup -R -X stream` into a
standby on --replica-port (default 5435) and then, with DATABASE_URL on the primary and
DATABASE_REPLICA_URL on the standby, as ZoneOS is configured in production:

- times the dashboard page (the demo zone's, as its leader) and the enterprise export (csv, every
  enterprise the leader sees) through Django's test client, median and p95 of --repeat
  runs, reading from the primary (no replica configured) and from the replica, first idle and then while
  pgbench writes to the primary with --writers clients (one insert and one update per transaction);
- samples the replication lag meanwhile (the samples taken while replay is paused on purpose, below, are
  reported apart): the standby's own measure (the query zoneos.core.replica uses),
  the primary's pg_stat_replication.replay_lag and the bytes of WAL not yet replayed;
- measures read-after-write: a row committed on the primary, polled on the standby until visible;
- checks the fallback with real lag: replay paused on the standby for 3 s under the writes, with
  ZONEOS_REPLICA_MAX_LAG at 1 s the dashboard reads the primary, and the replica again once resumed;
- stops both clusters and deletes them (also on failure).

Runs as root (the clusters run as the postgres user). Prints a table and writes bench/results/replica.json.

    .venv/bin/python bench/replica.py
    .venv/bin/python bench/replica.py --repeat 30 --load-seconds 30 --writers 4
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
DB = "zoneos_replica_bench"
RUNUSER = shutil.which("runuser") or "/usr/sbin/runuser"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--primary-port", type=int, default=5434)
    parser.add_argument("--replica-port", type=int, default=5435)
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page and setting")
    parser.add_argument("--writers", type=int, default=2, help="pgbench clients writing to the primary")
    parser.add_argument("--load-seconds", type=int, default=0, help="0: as long as the timed reads need")
    parser.add_argument("--keep", action="store_true", help="leave the clusters running (to look at them)")
    return parser.parse_args()


def as_postgres(*args: str, check: bool = True, **kwargs):
    """Run a PostgreSQL program as the postgres user (the clusters' owner)."""
    command = [RUNUSER, "-u", "postgres", "--", *args]
    return subprocess.run(command, check=check, capture_output=True, text=True, **kwargs)  # noqa: S603


class Cluster:
    def __init__(self, base: Path, name: str, port: int):
        self.dir, self.port, self.name = base / name, port, name
        self.log = base / f"{name}.log"

    def initdb(self):
        as_postgres(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.dir),
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
        )
        with open(self.dir / "postgresql.conf", "a") as conf:
            conf.write(
                "\n# zoneos bench/replica.py\nlisten_addresses = '127.0.0.1'\nwal_level = replica\n"
                "max_wal_senders = 5\nhot_standby = on\nshared_buffers = 64MB\n"
            )

    def start(self):
        options = f"-p {self.port} -k {self.dir.parent}"
        as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(self.dir), "-l", str(self.log), "-o", options, "-w", "start"
        )

    def stop(self):
        if (self.dir / "postmaster.pid").exists():
            as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.dir), "-m", "fast", "-w", "stop", check=False)

    def url(self, db=DB, extra=""):
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}{extra}"


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    args = parse_args()
    if os.geteuid() != 0:
        sys.exit("Run as root: the bench starts its PostgreSQL clusters as the postgres user.")
    base = Path(tempfile.mkdtemp(prefix="zoneos-replica-bench-"))
    shutil.chown(base, "postgres", "postgres")
    primary = Cluster(base, "primary", args.primary_port)
    standby = Cluster(base, "standby", args.replica_port)
    try:
        return run(args, base, primary, standby)
    finally:
        if not args.keep:
            standby.stop()
            primary.stop()
            shutil.rmtree(base, ignore_errors=True)
            print(f"Clusters stopped and {base} deleted.")


def run(args, base, primary, standby):
    started = time.monotonic()
    primary.initdb()
    primary.start()
    as_postgres(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(primary.port), DB)
    var = base / "var"
    var.mkdir()
    env = {
        **os.environ,
        "ZONEOS_VAR_DIR": str(var),
        "DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "zoneos.settings",
    }
    # Loading waits for no commit's flush: the demo is thousands of small transactions; the bench is
    # about reads.
    load_env = {**env, "DATABASE_URL": primary.url(extra="?options=-c%20synchronous_commit%3Doff")}
    t = time.monotonic()
    for command in (["migrate", "-v0"], ["load_demo"]):
        subprocess.run(  # noqa: S603  (our own manage.py)
            [sys.executable, "manage.py", *command], cwd=ROOT, env=load_env, check=True, capture_output=True
        )
    load_seconds = time.monotonic() - t
    t = time.monotonic()
    as_postgres(
        str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
        "-D", str(standby.dir), "-R", "-X", "stream", "-c", "fast", "--no-sync",
    )  # fmt: skip
    standby.start()
    clone_seconds = time.monotonic() - t

    os.environ.update(env)
    os.environ["DATABASE_URL"] = primary.url()
    os.environ["DATABASE_REPLICA_URL"] = standby.url()
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from zoneos.accounts.models import User
    from zoneos.core import replica

    settings.ALLOWED_HOSTS = ["*"]
    assert replica.replica_alias() == "replica"
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0], "the replica is not a standby"
    size_mb = None
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database()) / 1048576.0")
        size_mb = round(float(cursor.fetchone()[0]), 1)
        cursor.execute("SELECT count(*) FROM enterprises_enterprise")
        enterprises = cursor.fetchone()[0]
        cursor.execute(
            "CREATE TABLE bench_writes (id bigserial PRIMARY KEY, at timestamptz DEFAULT now(), body text)"
        )
        cursor.execute(
            "INSERT INTO bench_writes (body) SELECT repeat('x', 200) FROM generate_series(1, 1000)"
        )

    from django.urls import reverse

    client = Client()
    client.force_login(User.objects.get(username="leader"))

    def dashboard():
        answer = client.get(reverse("stats:dashboard"))  # the leader's zone, the latest year
        assert answer.status_code == 200, answer.status_code
        return answer

    def export_csv():
        answer = client.get(reverse("enterprises:export"), {"as": "csv"})
        assert answer.status_code == 200, answer.status_code
        return b"".join(answer.streaming_content)

    pages = {"dashboard": (dashboard, "stats_rollup"), "export csv": (export_csv, "enterprises_enterprise")}

    def where(alias_setting, fn, table):
        """How many queries on `table` the replica ran for fn()."""
        settings.ZONEOS_READ_REPLICA = alias_setting
        replica.forget_health()
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            fn()
        return sum(f'FROM "{table}"' in q["sql"] for q in on_replica.captured_queries)

    # Routing check before timing: each page reads from the replica when configured, never otherwise.
    for name, (fn, table) in pages.items():
        assert where("replica", fn, table) > 0, f"{name} did not read from the replica"
        assert where(None, fn, table) == 0, f"{name} read from the replica without one configured"

    def timed(alias_setting, fn):
        settings.ZONEOS_READ_REPLICA = alias_setting
        replica.forget_health()
        fn()  # warm
        runs = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            fn()
            runs.append((time.perf_counter() - t) * 1000)
        return {"median_ms": round(statistics.median(runs), 1), "p95_ms": round(percentile(runs, 95), 1)}

    lag_samples: list[dict] = []
    stop = threading.Event()
    pausing = threading.Event()  # samples taken while replay is paused on purpose are kept apart

    def sample_lag():
        import psycopg

        with (
            psycopg.connect(standby.url(), autocommit=True) as on_standby,
            psycopg.connect(primary.url(), autocommit=True) as on_primary,
        ):
            while not stop.is_set():
                own = float(on_standby.execute(replica.LAG_SQL).fetchone()[0])
                row = on_primary.execute(
                    "SELECT EXTRACT(EPOCH FROM replay_lag), pg_wal_lsn_diff(sent_lsn, replay_lsn) "
                    "FROM pg_stat_replication"
                ).fetchone()
                lag_samples.append(
                    {
                        "paused": pausing.is_set(),
                        "standby_s": own,
                        "replay_lag_s": float(row[0] or 0) if row else None,
                        "bytes": int(row[1] or 0) if row else None,
                    }
                )
                time.sleep(0.2)

    results = {"idle": {}, "under_writes": {}}
    for name, (fn, _table) in pages.items():
        results["idle"][name] = {"primary": timed(None, fn), "replica": timed("replica", fn)}

    script = base / "writes.sql"
    script.write_text(
        "\\set id random(1, 1000)\n"
        "BEGIN;\n"
        "INSERT INTO bench_writes (body) VALUES (repeat(md5(random()::text), 8));\n"
        "UPDATE bench_writes SET body = md5(random()::text), at = now() WHERE id = :id;\n"
        "END;\n"
    )
    shutil.chown(script, "postgres", "postgres")
    duration = args.load_seconds or 3600
    writer_started = time.monotonic()
    writer = subprocess.Popen(  # noqa: S603  (our own arguments)
        [RUNUSER, "-u", "postgres", "--", str(PG_BIN / "pgbench"), "-n", "-h", "127.0.0.1",
         "-p", str(primary.port), "-c", str(args.writers), "-j", "1", "-T", str(duration),
         "-f", str(script), DB],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    sampler = threading.Thread(target=sample_lag, daemon=True)
    sampler.start()
    time.sleep(2)
    load_started = time.monotonic()
    for name, (fn, _table) in pages.items():
        results["under_writes"][name] = {"primary": timed(None, fn), "replica": timed("replica", fn)}

    # Read-after-write: how long a committed row takes to appear on the standby, under the same load.
    import psycopg

    visible = []
    with (
        psycopg.connect(primary.url(), autocommit=True) as on_primary,
        psycopg.connect(standby.url(), autocommit=True) as on_standby,
    ):
        for i in range(20):
            marker = f"marker-{i}-{time.time_ns()}"
            on_primary.execute("INSERT INTO bench_writes (body) VALUES (%s)", [marker])
            t = time.perf_counter()
            while not on_standby.execute("SELECT 1 FROM bench_writes WHERE body = %s", [marker]).fetchone():
                time.sleep(0.001)
            visible.append((time.perf_counter() - t) * 1000)
            time.sleep(0.1)

    # The fallback, with real lag: replay paused on the standby while the writes go on; once the standby is
    # more than the bound behind, the dashboard reads the primary, and the replica again after it catches up.
    settings.ZONEOS_REPLICA_MAX_LAG = 1
    with psycopg.connect(standby.url(), autocommit=True) as on_standby:
        pausing.set()
        on_standby.execute("SELECT pg_wal_replay_pause()")
        time.sleep(3)
        paused_rollup_reads = where("replica", dashboard, "stats_rollup")
        paused_health = replica.health()
        on_standby.execute("SELECT pg_wal_replay_resume()")
        time.sleep(1)
    resumed_rollup_reads = where("replica", dashboard, "stats_rollup")
    pausing.clear()
    settings.ZONEOS_REPLICA_MAX_LAG = 30
    load_elapsed = time.monotonic() - load_started
    if args.load_seconds and load_elapsed < args.load_seconds:
        time.sleep(args.load_seconds - load_elapsed)
    if not args.load_seconds:
        # pgbench prints its totals when interrupted (SIGINT), as at the end of -T.
        os.killpg(writer.pid, signal.SIGINT)
    writer.communicate(timeout=120)
    writer_ended = time.monotonic()
    stop.set()
    sampler.join(timeout=5)
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_writes")
        written = cursor.fetchone()[0] - 1000 - 20
    tps = written / (writer_ended - writer_started)  # one insert per pgbench transaction

    streaming = [s for s in lag_samples if not s["paused"]]
    standby_lags = [s["standby_s"] for s in streaming]
    replay = [s["replay_lag_s"] for s in streaming if s["replay_lag_s"] is not None]
    behind = [s["bytes"] for s in streaming if s["bytes"] is not None]
    paused_max = max((s["standby_s"] for s in lag_samples if s["paused"]), default=None)
    summary = {
        "machine": {
            "cores": os.cpu_count(),
            "postgresql": "15",
            "note": "primary, standby, pgbench and Django on the same cores",
        },
        "data": {"enterprises": enterprises, "database_mb": size_mb, "load_seconds": round(load_seconds, 1)},
        "clone_seconds": round(clone_seconds, 1),
        "repeat": args.repeat,
        "writers": args.writers,
        "rows_written_during_load": written,
        "pgbench_tps": round(tps, 1),
        "reads_ms": results,
        "lag": {
            "samples": len(streaming),
            "max_while_replay_paused_s": paused_max and round(paused_max, 2),
            "standby_measure_s": {
                "median": round(statistics.median(standby_lags), 4),
                "max": round(max(standby_lags), 4),
            },
            "replay_lag_s": {"median": round(statistics.median(replay), 4), "max": round(max(replay), 4)}
            if replay
            else None,
            "wal_bytes_behind": {"median": int(statistics.median(behind)), "max": max(behind)}
            if behind
            else None,
        },
        "read_after_write_ms": {
            "median": round(statistics.median(visible), 1),
            "max": round(max(visible), 1),
        },
        "fallback": {
            "bound_s": 1,
            "replay_paused": {
                "rollup_queries_on_replica": paused_rollup_reads,
                "reason": paused_health.reason,
            },
            "replay_resumed": {"rollup_queries_on_replica": resumed_rollup_reads},
        },
        "total_seconds": round(time.monotonic() - started, 1),
    }
    print_table(summary)
    out_path = ROOT / "bench" / "results" / "replica.json"
    out_path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    print(f"Wrote {out_path.relative_to(ROOT)}")
    connections.close_all()
    return 0


def print_table(s):
    data, lag, raw = s["data"], s["lag"], s["read_after_write_ms"]
    print(
        f"\nDemo zone: {data['enterprises']} enterprises, {data['database_mb']} MB; loaded in "
        f"{data['load_seconds']} s, cloned by pg_basebackup in {s['clone_seconds']} s"
    )
    head = ("read", "load", "primary median", "p95", "replica median", "p95")
    print(
        f"{head[0]:<12} {head[1]:<14} {head[2]:>15} {head[3]:>8} {head[4]:>15} {head[5]:>8}  "
        f"ms, {s['repeat']} runs"
    )
    for load in ("idle", "under_writes"):
        for name, r in s["reads_ms"][load].items():
            label = "idle" if load == "idle" else f"{s['writers']} writers"
            primary, replica = r["primary"], r["replica"]
            print(
                f"{name:<12} {label:<14} {primary['median_ms']:>15} {primary['p95_ms']:>8} "
                f"{replica['median_ms']:>15} {replica['p95_ms']:>8}"
            )
    print(f"\nWrite load: pgbench {s['pgbench_tps']} tps, {s['rows_written_during_load']} rows inserted")
    replay = lag["replay_lag_s"] or {}
    behind = lag["wal_bytes_behind"] or {}
    print(
        f"Lag ({lag['samples']} samples): standby's measure median {lag['standby_measure_s']['median']} s, "
        f"max {lag['standby_measure_s']['max']} s; replay_lag median {replay.get('median')} s, "
        f"max {replay.get('max')} s; WAL not replayed median {behind.get('median')} bytes, "
        f"max {behind.get('max')}"
    )
    print(f"Lag while replay was paused on purpose: up to {lag['max_while_replay_paused_s']} s")
    print(f"Read after write on the standby: median {raw['median']} ms, max {raw['max']} ms")
    fallback = s["fallback"]
    print(
        f"Fallback (bound {fallback['bound_s']} s, replay paused 3 s on the standby): the dashboard read "
        "the rollup "
        f"{fallback['replay_paused']['rollup_queries_on_replica']} times from the replica "
        f"({fallback['replay_paused']['reason']}); after resuming: "
        f"{fallback['replay_resumed']['rollup_queries_on_replica']} times"
    )


if __name__ == "__main__":
    sys.exit(main())
