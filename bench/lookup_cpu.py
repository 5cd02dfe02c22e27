"""Where a public lookup's time goes: CPU per request of each process, for the floor, the API and the page.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/lookup_cpu.py [--requests 4000] [--rounds 2]

Uses the database bench/dossiers.py loaded (run that first). Serves the portal as bench/dossiers.py does
(gunicorn -w 2, portal.settings.bench), sends --requests GETs to each of /bench/floor/, /api/lookup/ and
/tra-cuu/ from 4 client threads, and reads from /proc how much CPU the gunicorn processes, PostgreSQL, Redis
and this client used meanwhile. On two shared cores the throughput ratio to the floor is close to the ratio of
these totals, so the rows show which process a saving has to come from.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.bench")

from bench import lib  # noqa: E402
from bench.run import HOST, PORT, ensure_database  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
PROCESSES = {"gunicorn": "gunicorn portal.wsgi", "postgres": "postgres", "redis": "redis-server"}


def cpu_seconds(pattern: str) -> float:
    """User + system CPU of every process whose command line holds `pattern` (those that exit are missed)."""
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if pattern in command:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])
        except OSError:
            continue
    return total / TICKS


def snapshot() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {**{name: cpu_seconds(p) for name, p in PROCESSES.items()}, "client": own.ru_utime + own.ru_stime}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    from bench.dossiers import FLOOR, lookup_sample

    sample = lookup_sample()
    if not sample:
        print("no dossiers with an applicant's phone: run bench/dossiers.py first", file=sys.stderr)
        return 1
    targets = {
        "floor": FLOOR,
        "lookup API": [f"/api/lookup/?code={c}&phone={p}" for c, p in sample],
        "lookup page": [f"/tra-cuu/?code={c}&phone={p}" for c, p in sample],
    }
    print(f"µs of CPU per request, {args.requests} requests from 4 client threads, gunicorn -w 2\n")
    print(f"{'endpoint':<12} {'req/s':>6} " + " ".join(f"{name:>9}" for name in [*PROCESSES, "client"]) + "     total")
    with lib.serve(HOST, PORT, workers=2):
        for path in targets.values():
            lib.measure(HOST, PORT, "warm-up", path, concurrency=4, requests=300, warmup=0)
        for _ in range(args.rounds):
            for label, path in targets.items():
                before = snapshot()
                result = lib.measure(HOST, PORT, label, path, concurrency=4, requests=args.requests, warmup=0)
                after = snapshot()
                used = {name: 1e6 * (after[name] - before[name]) / args.requests for name in before}
                cells = " ".join(f"{value:>9.0f}" for value in used.values())
                print(f"{label:<12} {result.rps:>6.0f} {cells} {sum(used.values()):>9.0f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
