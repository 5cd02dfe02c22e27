"""Deadline computation speed: 100,000 due times across several units and every deadline kind.

    taskset -c 0 .venv/bin/python bench/deadlines.py [--calls 100000] [--selector-calls 10000]

Sets up Django (DJANGO_SETTINGS_MODULE, default portal.settings.local: SQLite unless DATABASE_URL is set),
migrates, creates four bench units with different office hours and exceptions inside a transaction that is
rolled back at the end, builds their calendars through the cached selector, then times:
- the pure computation (`procedures.domain.deadlines.due_at` / `no_wait_due_at` on a built
  WorkingCalendar) over `--calls` receipts — the figure the issue asks for;
- the full selector path (`procedure_due_at`: cache token read + memo + computation) over `--selector-calls`.
Inputs are generated before timing with a fixed seed; years are warmed first (their build is timed apart).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")


class Rollback(Exception):
    pass


def setup_units():
    from portal.units.calendar.services import office_hours_replace
    from portal.units.models import CalendarException, Unit

    weekday = [(time(8), time(12)), (time(13), time(17))]
    shapes = {
        "BENCH.01": {d: weekday for d in range(5)},  # the national pattern
        "BENCH.02": {**{d: weekday for d in range(5)}, 5: [(time(8), time(12))]},  # + Saturday mornings
        "BENCH.03": {d: [(time(7, 30), time(11, 30)), (time(13, 30), time(17, 30))] for d in range(5)},  # summer
        "BENCH.04": {d: [(time(8), time(17))] for d in range(6)},  # no lunch break, Mon–Sat
    }
    units = []
    for code, weekly in shapes.items():
        unit = Unit.objects.create(code=code, name=f"Bench {code}", kind=Unit.Kind.WARD)
        office_hours_replace(unit=unit, weekly=weekly)
        units.append(unit)
    # A few unit-level days, so the exceptions path is exercised too.
    for unit, day in zip(units, [date(2025, 6, 2), date(2025, 9, 5), date(2026, 3, 9), date(2026, 7, 1)], strict=True):
        CalendarException.objects.create(unit=unit, date=day, kind="day_off", reason="bench", legal_document="bench")
    return units


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--selector-calls", type=int, default=10_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from portal.units.calendar.selectors import unit_calendar
    from procedures.domain.deadlines import Deadline, DeadlineUnit, due_at, no_wait_due_at
    from procedures.models import Procedure
    from procedures.selectors.deadlines import procedure_due_at

    call_command("migrate", verbosity=0)
    deadlines = [
        (due_at, Deadline(5, DeadlineUnit.WORKING_DAYS)),
        (due_at, Deadline(15, DeadlineUnit.WORKING_DAYS)),
        (due_at, Deadline(4, DeadlineUnit.WORKING_HOURS)),
        (due_at, Deadline(40, DeadlineUnit.WORKING_HOURS)),
        (no_wait_due_at, 15),  # the no-wait target: working minutes
        (due_at, Deadline(1, DeadlineUnit.SAME_DAY_CUTOFF, time(15))),
    ]
    rng = random.Random(2026)  # noqa: S311 - reproducible inputs, not security
    start = datetime(2025, 1, 1, tzinfo=UTC)
    span = int(timedelta(days=2 * 365).total_seconds())
    try:
        with transaction.atomic():
            units = setup_units()
            t0 = clock.perf_counter()
            calendars = [unit_calendar(unit) for unit in units]
            for calendar in calendars:
                for year in (2025, 2026, 2027):
                    calendar.year(year)
            build = clock.perf_counter() - t0

            jobs = [
                (
                    *deadlines[rng.randrange(len(deadlines))],
                    calendars[rng.randrange(len(calendars))],
                    start + timedelta(seconds=rng.randrange(span)),
                )
                for _ in range(args.calls)
            ]
            t0 = clock.perf_counter()
            for compute, deadline, calendar, received in jobs:
                compute(calendar, received, deadline)
            pure = clock.perf_counter() - t0

            procedure = Procedure.objects.create(
                code="BENCH-1", name="bench", deadline_amount=5, deadline_unit="working_days"
            )
            selector_jobs = [(units[i % len(units)], jobs[i][3]) for i in range(args.selector_calls)]
            for unit in units:
                procedure_due_at(procedure, received_at=start, unit=unit)
            t0 = clock.perf_counter()
            for unit, received in selector_jobs:
                procedure_due_at(procedure, received_at=received, unit=unit)
            selector = clock.perf_counter() - t0
            raise Rollback
    except Rollback:
        pass

    from django.conf import settings

    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"units: {len(units)}, deadline kinds: {len(deadlines)}, receipts over 2025–2026 (UTC and out of hours)")
    print(f"calendar build (4 units × 3 years, cold): {build * 1000:.1f} ms")
    print(f"pure due_at: {args.calls:,} calls in {pure:.3f} s = {pure / args.calls * 1e6:.2f} µs/call")
    print(
        f"procedure_due_at (selector, {cache}): {args.selector_calls:,} calls in {selector:.3f} s"
        f" = {selector / max(args.selector_calls, 1) * 1e6:.2f} µs/call"
    )
    return 0 if pure < 1.0 or args.calls != 100_000 else 1


if __name__ == "__main__":
    raise SystemExit(main())
