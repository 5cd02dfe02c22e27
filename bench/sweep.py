"""Deadline sweep speed: one sweep over a database of many dossiers of which a few thousand are open.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench \\
        .venv/bin/python bench/sweep.py [--dossiers 1000000] [--open 20000] [--repeat 5]

Uses the database as it is (run `manage.py migrate`, `seed_demo` and `generate_dossiers --count N` first, or
let this script call generate_dossiers for what is missing), then, inside a transaction rolled back at the end:
makes exactly `--open` dossiers running (received, in progress or awaiting approval; the rest closed) with due
times spread from 10 working days late to 10 days ahead, clears every sweep flag, and times
- the first sweep, which flags thousands of dossiers and steps (history rows, outbox rows, apology drafts);
- the steady-state sweep (`--repeat` times; nothing new to flag);
- sweeps as beat runs them, 5, 10, 15 … minutes later (`now` moved on; the few dossiers crossing are flagged).
Each sweep's SQL statements are counted; the count does not depend on the number of dossiers (a test asserts
it on a small data set: tests/monitoring/test_sweep.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time as clock
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")


class Rollback(Exception):
    pass


RUNNING = ("awaiting_approval", "in_progress", "received")

# Close every running dossier beyond the first `open` (by id), then open finished ones until `open` run; their
# due times are spread over [-10 days, +10 days] from now (by id, repeatable), their flags cleared.
CLOSE_EXTRA = """
UPDATE procedures_dossier SET status = 'withdrawn', stopped_at = NULL, remaining_seconds = NULL
WHERE id IN (SELECT id FROM procedures_dossier WHERE status IN %(running)s ORDER BY id OFFSET %(open)s)
"""
OPEN_MORE = """
UPDATE procedures_dossier SET status = 'in_progress', finished_at = NULL, timeliness = '', returned_at = NULL
WHERE id IN (SELECT id FROM procedures_dossier WHERE status = 'returned' ORDER BY id LIMIT %(missing)s)
"""
SPREAD = """
UPDATE procedures_dossier SET
  received_at = now() - interval '20 days',
  due_at = now() - interval '10 days' + (id %% 20000) * interval '1 minute' * 1.44,
  redated_at = NULL, redated_due_at = NULL, redate_reason = '',
  due_soon_for = NULL, overdue_for = NULL, target_missed_at = NULL
WHERE status IN %(running)s
"""
CLEAR_STEPS = "UPDATE procedures_controlslipentry SET step_due_soon_at = NULL, step_overdue_at = NULL"


def timed_sweep(now=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from procedures.services.deadline_sweep import deadline_sweep

    with CaptureQueriesContext(connection) as ctx:
        started = clock.perf_counter()
        counts = deadline_sweep(now=now)
        seconds = clock.perf_counter() - started
    return seconds, len(ctx.captured_queries), counts, ctx.captured_queries


def slowest(queries, n=4) -> str:
    ranked = sorted(queries, key=lambda q: -float(q["time"]))[:n]
    return "; ".join(f"{float(q['time']) * 1000:.0f} ms {' '.join(q['sql'].split())[:60]}…" for q in ranked)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction

    from procedures.models import Dossier
    from procedures.services.dossier_generator import generate_dossiers

    existing = Dossier.objects.count()
    if existing < args.dossiers:
        print(f"generating {args.dossiers - existing:,} dossiers …", flush=True)
        print(generate_dossiers(count=args.dossiers - existing, seed=3), flush=True)
    total = Dossier.objects.count()
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                params = {"running": RUNNING, "open": args.open}
                cursor.execute(CLOSE_EXTRA, params)
                running = Dossier.objects.filter(status__in=RUNNING).count()
                cursor.execute(OPEN_MORE, {"missing": max(0, args.open - running)})
                cursor.execute(SPREAD, params)
                cursor.execute(CLEAR_STEPS)
                cursor.execute("ANALYZE procedures_dossier")
            running = Dossier.objects.filter(status__in=RUNNING).count()
            print(f"dossiers: {total:,}; running (open, clock on): {running:,}")
            seconds, queries, counts, captured = timed_sweep()
            print(f"first sweep: {seconds * 1000:.0f} ms, {queries} queries, flagged {counts}")
            print(f"  slowest statements: {slowest(captured)}")
            steady = [timed_sweep() for _ in range(args.repeat)]
            times = [s * 1000 for s, _q, _c, _x in steady]
            print(
                f"steady sweep ×{args.repeat}: median {statistics.median(times):.0f} ms, "
                f"max {max(times):.0f} ms, {steady[0][1]} queries, flagged {steady[0][2]}"
            )
            print(f"  slowest statements: {slowest(steady[-1][3])}")
            from django.utils import timezone

            later = [timed_sweep(timezone.now() + timedelta(minutes=5 * (n + 1))) for n in range(args.repeat)]
            times = [s * 1000 for s, _q, _c, _x in later]
            flagged = sum(sum(c.values()) for _s, _q, c, _x in later)
            print(
                f"every 5 minutes after (×{args.repeat}): median {statistics.median(times):.0f} ms, "
                f"max {max(times):.0f} ms, {later[0][1]} queries, {flagged} flags in all"
            )
            raise Rollback
    except Rollback:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
