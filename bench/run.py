"""`make bench`: load data, serve the portal under gunicorn, measure every scenario against the floor.

Scenarios are the modules in bench/scenarios/: each has `load()` (idempotent data set-up) and
`ENDPOINTS = [(label, path), ...]`. Options: --concurrency, --requests, --workers, --only SCENARIO[,…],
--json FILE, --sequential, --wrk SECONDS.

By default every endpoint is measured in blocks of 100 requests alternating with blocks to the floor,
so both see the same load: a ratio that other work on a shared machine does not distort
(--sequential measures the floor once, before all endpoints).
--wrk also drives each endpoint with Debian's `wrk` (16 connections), right after the floor.
Database: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/motcua_bench).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.bench")

HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8765"))


def ensure_database() -> None:
    import environ
    import psycopg2

    url = environ.Env.db_url_config(
        os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/motcua_bench")
    )
    if "postgresql" not in url["ENGINE"]:
        return
    conn = psycopg2.connect(
        dbname="postgres",
        user=url["USER"],
        host=url["HOST"] or None,
        port=url["PORT"] or None,
        password=url["PASSWORD"] or None,
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [url["NAME"]])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{url["NAME"]}"')
    conn.close()


def scenarios(only: str | None):
    import bench.scenarios as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if only and info.name not in only.split(","):
            continue
        yield info.name, importlib.import_module(f"bench.scenarios.{info.name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only")
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--sequential",
        action="store_true",
        help="do not measure the floor alongside each endpoint (only once, before all of them)",
    )
    parser.add_argument("--wrk", type=int, default=0, metavar="SECONDS", help="also run wrk this long per endpoint")
    parser.add_argument("--wrk-connections", type=int, default=16)
    args = parser.parse_args()

    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    from procedures.services.demo import seed_demo

    call_command("migrate", verbosity=0)
    seed_demo()
    mods = list(scenarios(args.only))
    for name, mod in mods:
        print(f"loading {name} …", flush=True)
        mod.load()

    from bench import lib

    with lib.serve(HOST, PORT, workers=args.workers):
        opts = {"concurrency": args.concurrency, "requests": args.requests}
        # Warm every worker and cache on every path first, so no endpoint pays for start-up.
        for _name, mod in mods:
            for _label, path in mod.ENDPOINTS:
                lib.measure(HOST, PORT, "warm-up", path, concurrency=args.concurrency, requests=50, warmup=0)
        lib.measure(HOST, PORT, "warm-up", "/bench/floor/", concurrency=args.concurrency, requests=100, warmup=0)
        floor = lib.measure(HOST, PORT, "floor (1 indexed query)", "/bench/floor/", **opts)
        results, paired = [], {}
        for _name, mod in mods:
            for label, path in mod.ENDPOINTS:
                if not args.sequential:
                    result, paired[label] = lib.measure_paired(HOST, PORT, label, path, "/bench/floor/", **opts)
                    results.append(result)
                else:
                    results.append(lib.measure(HOST, PORT, label, path, **opts))
        print(
            f"\n{args.concurrency} concurrent clients, {args.requests} requests per endpoint, "
            f"gunicorn -w {args.workers}, {os.cpu_count()} cores shared by client and server\n"
        )
        print(lib.table(results, floor, paired))
        if args.json:
            rows = [lib.summary(r) for r in [floor, *results]]
            for row in rows:
                if row["label"] in paired:
                    row["paired_floor_p95_ms"] = paired[row["label"]].pct(95)
            args.json.write_text(json.dumps(rows, indent=2))
        if args.wrk:
            # The floor is run right before each endpoint: on a shared machine the load drifts within minutes.
            wopts = {"connections": args.wrk_connections, "seconds": args.wrk}
            wresults, wfloors = [], {}
            for _name, mod in mods:
                for label, path in mod.ENDPOINTS:
                    wfloors[label] = lib.wrk(HOST, PORT, "floor (adjacent)", "/bench/floor/", **wopts)
                    wresults.append(lib.wrk(HOST, PORT, label, path, **wopts))
            print(
                f"\nwrk, {args.wrk_connections} connections, {args.wrk} s per endpoint and per adjacent floor, "
                f"gunicorn -w {args.workers}\n"
            )
            print(lib.wrk_table(wresults, wfloors))
        failed = [r for r in results if r.errors]
        if failed:
            print("\nendpoints with errors: " + ", ".join(r.label for r in failed), file=sys.stderr)
            return 1
        return 0


if __name__ == "__main__":
    sys.exit(main())
