"""The load bench: 200 people of a province's zones at work against gunicorn on this machine.

One command: builds (or reuses) the dataset of bench/load_data.py at --scale in DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/zoneos_load), makes a session for each load account and picks the
records each may open, starts gunicorn (--workers, --worker-class sync or gthread) on 127.0.0.1 and the
task worker (`manage.py db_worker`), runs locust headless (bench/load/locustfile.py: --users users,
each waiting 1-3 s, for --run-time), then prints per page kind: requests, req/s, p50/p95/p99, errors,
and writes bench/results/load.json (with the locust csv beside it), with the load average of the
machine and the CPU the web workers spent per request.

Runs in development mode with DEBUG off (the cached template loader, no debug toolbar), as the other
benches do; CONN_MAX_AGE defaults to 60 here (persistent database connections).

    .venv/bin/python bench/load.py --scale 1                      # province scale (builds once)
    .venv/bin/python bench/load.py --scale 0.1 --run-time 3m      # a tenth of it
    .venv/bin/python bench/load.py --scale 0.1 --worker-class gthread --threads 4
"""

import argparse
import csv
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
TARGET_MS = 300
SHUTDOWN_SECONDS = 20


def run_environment(args, var_dir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": args.database_url,
            "DJANGO_SETTINGS_MODULE": "zoneos.settings",
            "DEBUG": "false",
            "ZONEOS_VAR_DIR": str(var_dir),
            "CONN_MAX_AGE": str(args.conn_max_age),
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def prepare(args, env: dict, fixture: Path) -> dict:
    """Sessions for the load accounts and the records each may open, in a JSON file for locust."""
    code = f"""
import json, random, sys
sys.path.insert(0, {str(ROOT / "bench")!r})
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from zoneos.accounts.models import User
from zoneos.appeals.models import Appeal
from zoneos.areas.models import Area
from zoneos.enterprises.models import Enterprise
from zoneos.pipeline.models import Project
from zoneos.supervision.models import KeyProject
from load_data import read_meta

meta = read_meta()
if not meta:
    sys.exit("no load dataset")
rng = random.Random(7)
paths = dict(Area.objects.values_list("pk", "path"))
codes = dict(Area.objects.values_list("pk", "code"))
def sample(qs, n=300):
    ids = list(qs.order_by("?").values_list("pk", flat=True)[:n])
    return ids
accounts = {{}}
for a in meta["accounts"]:
    user = User.objects.get(username=a["username"])
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    entry = dict(a, session=session.session_key)
    within = paths[a["area"]]
    if a["role"] in ("park_staff", "investment_officer"):
        entry["enterprises"] = sample(Enterprise.objects.filter(area_id=a["area"]))
        entry["projects"] = sample(Project.objects.filter(area_id=a["area"]))
        entry["import_rows"] = [
            (u, n, codes[ar]) for u, n, ar in Enterprise.objects.filter(area_id=a["area"], status="active")
            .exclude(name="").order_by("pk").values_list("uscc", "name", "area_id")[:200]
        ]
    if a["role"] in ("supervisor", "leader"):
        entry["key_projects"] = sample(KeyProject.objects.filter(area__path__startswith=within))
    if a["role"] == "service_officer":
        entry["appeals"] = sample(Appeal.objects.filter(area__path__startswith=within))
    if a["role"] == "handler":
        entry["appeals"] = sample(Appeal.objects.filter(department_id=a["department"]))
    accounts.setdefault(a["role"], []).append(entry)
parks_of = {{}}
for z in meta["zones"] + [meta["region"]]:
    parks_of[str(z)] = [p for p in meta["parks"] if paths[p].startswith(paths[z])]
for p in meta["parks"]:
    parks_of[str(p)] = [p]
json.dump({{"accounts": accounts, "parks_of": parks_of, "year": 2025}}, open({str(fixture)!r}, "w"))
print(json.dumps({{role: len(a) for role, a in accounts.items()}}))
"""
    done = subprocess.run([PYTHON, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)  # noqa: S603
    if done.returncode:
        sys.exit(f"preparing the sessions failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (127.0.0.1 only)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"{url} did not answer 200 within {seconds:.0f} s")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of the processes and their children (gunicorn's workers), read from /proc
    (Linux; psutil is not needed)."""
    ticks = os.sysconf("SC_CLK_TCK")
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                # The fields after the command's closing parenthesis: state, ppid, ..., utime, stime.
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    wanted, total = set(pids), 0
    while wanted:
        pid = wanted.pop()
        if pid in stats:
            total += stats[pid][1]
            wanted |= {child for child, (parent, _cpu) in stats.items() if parent == pid}
    return total / ticks


def machine_busy_seconds() -> float:
    """CPU time every core of the machine spent on anything but idling or waiting for disks, from the
    first line of /proc/stat: what the web workers, locust, the task worker and PostgreSQL took together."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds() -> float:
    """User + system CPU of this process's finished children (locust, once it has run)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu_split(*, requests: int, web: float, locust: float, worker: float, machine: float) -> dict:
    per = 1000 / max(1, requests)
    rest = max(0.0, machine - web - locust - worker)
    total = machine * per
    return {
        "web": round(web * per, 1),
        "locust": round(locust * per, 1),
        "worker": round(worker * per, 1),
        "postgresql_and_rest": round(rest * per, 1),
        "all": round(total, 1),
        "ceiling_rps": round((os.cpu_count() or 1) * 1000 / total, 1) if total else None,
    }


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(SHUTDOWN_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def read_stats(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = row["Name"]
            if name == "Aggregated":
                name = "all requests"

            def number(key, row=row):
                value = row.get(key, "")
                return float(value) if value not in ("", "N/A") else None

            rows.append(
                {
                    "kind": name,
                    "method": row["Type"],
                    "requests": int(row["Request Count"]),
                    "errors": int(row["Failure Count"]),
                    "rps": round(number("Requests/s") or 0, 2),
                    "p50_ms": number("50%"),
                    "p95_ms": number("95%"),
                    "p99_ms": number("99%"),
                    "max_ms": number("Max Response Time"),
                }
            )
    return rows


def print_table(rows: list[dict]) -> None:
    print(f"\n{'page kind':58} {'requests':>8} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'errors':>6}")
    for r in rows:
        flag = ""
        if r["kind"].startswith(("page:", "api:")) and (r["p95_ms"] or 0) > TARGET_MS:
            flag = "  > 300"
        print(
            f"{r['kind'][:58]:58} {r['requests']:8d} {r['rps']:7.1f} {r['p50_ms'] or 0:6.0f} "
            f"{r['p95_ms'] or 0:6.0f} {r['p99_ms'] or 0:6.0f} {r['errors']:6d}{flag}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="of the province scale (1 = full)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zoneos_load"),
    )
    parser.add_argument("--rebuild", action="store_true", help="build the dataset even if it is there")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument("--run-time", default="4m", help="locust's --run-time (ramp-up included)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--keep-alive", type=int, default=5, help="gthread: idle keep-alive, seconds")
    parser.add_argument("--timeout", type=int, default=60, help="gunicorn's worker timeout, seconds")
    parser.add_argument("--conn-max-age", type=int, default=60)
    parser.add_argument("--port", type=int, default=8042)
    parser.add_argument(
        "--locust-python",
        default=PYTHON,
        help="the Python that runs locust (one of its own venv keeps locust out of the project's)",
    )
    parser.add_argument(
        "--locustfile",
        default="locustfile",
        help="the mix, a module of bench/load/: locustfile (the zone at work) or floor (cheapest requests)",
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "load.json"))
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="zoneos-load-"))
    env = run_environment(args, var_dir)
    started = time.perf_counter()
    build = [PYTHON, str(ROOT / "bench" / "load_data.py"), "--scale", str(args.scale)]
    subprocess.run(build if args.rebuild else [*build, "--reuse"], env=env, cwd=ROOT, check=True)  # noqa: S603
    dataset_seconds = time.perf_counter() - started
    fixture = var_dir / "fixture.json"
    accounts = prepare(args, env, fixture)
    print(f"load accounts with sessions: {accounts}", flush=True)

    host = f"http://127.0.0.1:{args.port}"
    gunicorn = [
        PYTHON, "-m", "gunicorn", "zoneos.wsgi", "--bind", f"127.0.0.1:{args.port}",
        "--workers", str(args.workers), "--worker-class", args.worker_class,
        "--timeout", str(args.timeout), "--graceful-timeout", "10", "--log-level", "warning",
    ]  # fmt: skip
    if args.worker_class == "gthread":
        # gthread keeps idle connections open for --keep-alive seconds (2 by default): shorter than a
        # user's pause, the server closes a connection just as the user reuses it (connection reset).
        gunicorn += ["--threads", str(args.threads), "--keep-alive", str(args.keep_alive)]
    logs = var_dir / "logs"
    logs.mkdir()
    web = subprocess.Popen(  # noqa: S603
        gunicorn, env=env, cwd=ROOT, stdout=(logs / "web.log").open("w"), stderr=subprocess.STDOUT
    )
    worker = subprocess.Popen(  # noqa: S603
        [PYTHON, "manage.py", "db_worker"],
        env=env,
        cwd=ROOT,
        stdout=(logs / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    csv_prefix = var_dir / "locust"
    try:
        wait_for(f"{host}/healthz", 60)
        load_before = os.getloadavg()
        cpu_before = cpu_seconds([web.pid])
        worker_before, locust_before, machine_before = (
            cpu_seconds([worker.pid]),
            children_cpu_seconds(),
            machine_busy_seconds(),
        )
        locust = [
            args.locust_python, "-m", "locust", "--headless",
            "-f", str(ROOT / "bench" / "load" / f"{args.locustfile}.py"),
            "--users", str(args.users), "--spawn-rate", str(args.spawn_rate), "--run-time", args.run_time,
            "--host", host, "--csv", str(csv_prefix), "--only-summary", "--stop-timeout", "15",
            "--loglevel", "WARNING",
        ]  # fmt: skip
        print(f"locust: {args.users} users, {args.run_time}, against {' '.join(gunicorn[2:])}", flush=True)
        ran = time.perf_counter()
        subprocess.run(  # noqa: S603
            locust, env={**env, "ZONEOS_LOAD_FIXTURE": str(fixture)}, cwd=ROOT, check=False
        )
        wall = time.perf_counter() - ran
        cpu_after = cpu_seconds([web.pid])
        worker_after, locust_after, machine_after = (
            cpu_seconds([worker.pid]),
            children_cpu_seconds(),
            machine_busy_seconds(),
        )
        load_after = os.getloadavg()
    finally:
        stop(web)
        stop(worker)

    rows = read_stats(Path(f"{csv_prefix}_stats.csv"))
    total = next(r for r in rows if r["kind"] == "all requests")
    failures = []
    failures_csv = Path(f"{csv_prefix}_failures.csv")
    if failures_csv.exists():
        with failures_csv.open(encoding="utf-8") as handle:
            failures = list(csv.DictReader(handle))
    meta_code = (
        "import sys, json; sys.path.insert(0, 'bench'); import django; django.setup(); "
        "from load_data import read_meta; print(json.dumps(read_meta()))"
    )
    meta = json.loads(
        subprocess.run(  # noqa: S603
            [PYTHON, "-c", meta_code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    result = {
        "scale": meta["scale"],
        "rows": meta["rows"],
        "dataset_build_seconds": meta["build_seconds"],
        "dataset_steps_seconds": meta["steps_seconds"],
        "database_size": meta["database_size"],
        "users": args.users,
        "mix": args.locustfile,
        "run_time": args.run_time,
        "server": {
            "workers": args.workers,
            "worker_class": args.worker_class,
            "threads": args.threads if args.worker_class == "gthread" else 1,
            "keep_alive": args.keep_alive if args.worker_class == "gthread" else None,
            "conn_max_age": args.conn_max_age,
        },
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "cpus": os.cpu_count(),
        "web_cpu_ms_per_request": round((cpu_after - cpu_before) * 1000 / max(1, total["requests"]), 1),
        "web_cpu_share": round((cpu_after - cpu_before) / wall / (os.cpu_count() or 1), 3),
        # Where the machine's CPU went, per request served: the web workers, locust (the simulated users
        # share the cores), the task worker, and the rest (PostgreSQL's backends, the kernel); and the
        # requests a second the cores could serve at that total cost.
        "cpu_ms_per_request": cpu_split(
            requests=total["requests"],
            web=cpu_after - cpu_before,
            locust=locust_after - locust_before,
            worker=worker_after - worker_before,
            machine=machine_after - machine_before,
        ),
        "rows_by_kind": rows,
        "failures": failures[:30],
        "reused_dataset_seconds": round(dataset_seconds, 1),
    }
    print(
        f"\nZoneOS load at scale {meta['scale']}: {meta['rows']['enterprises']:,} enterprises, "
        f"{meta['rows']['appeals']:,} appeals, {meta['rows']['projects']:,} projects, "
        f"{meta['rows']['key_projects']:,} key projects; {args.users} users for {args.run_time}; gunicorn "
        f"{args.workers} {args.worker_class} workers; "
        f"load average {load_before[0]:.2f} -> {load_after[0]:.2f} "
        f"on {os.cpu_count()} cores; web CPU {result['web_cpu_ms_per_request']} ms per request"
    )
    split = result["cpu_ms_per_request"]
    print(
        "CPU per request, ms: "
        + ", ".join(f"{name} {split[name]}" for name in ("web", "locust", "worker", "postgresql_and_rest"))
        + f"; all {split['all']}: {os.cpu_count()} cores serve at most {split['ceiling_rps']} requests/s"
    )
    print_table(rows)
    for failure in failures[:10]:
        print(
            f"  failure: {failure.get('Method')} {failure.get('Name')}: {failure.get('Error', '')[:200]} "
            f"x{failure.get('Occurrences')}"
        )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    for suffix in ("stats", "failures", "exceptions", "stats_history"):
        source = Path(f"{csv_prefix}_{suffix}.csv")
        if source.exists():
            shutil.copy(source, out.with_name(f"{out.stem}-{suffix}.csv"))
    web_log = (logs / "web.log").read_text(errors="replace")
    if "Traceback" in web_log or "WORKER TIMEOUT" in web_log:
        print("\nthe web log has tracebacks or timeouts:\n" + web_log[-3000:])
    shutil.copy(logs / "web.log", out.with_name(f"{out.stem}-web.log"))
    shutil.rmtree(var_dir, ignore_errors=True)
    print(f"written: {out}")


if __name__ == "__main__":
    main()
