"""Booking speed with 100,000 existing bookings: free slots for a month, booking, and the display endpoint.

    DATABASE_URL=postgres://… REDIS_URL=redis://… taskset -c 0 .venv/bin/python bench/booking.py \
        [--existing 100000] [--month-calls 200] [--bookings 300] [--display-calls 1000]

PostgreSQL only (the booking lock is SELECT … FOR UPDATE). Everything is created inside a transaction that is
rolled back at the end, so the database is left as it was. Measured in-process through the real code paths:
- free slots for a month: `slots_between` over 31 days for a procedure (what a month view needs), and
  GET /api/slots/ for one day through the Django stack (test client: middleware, DRF, serializer);
- booking: POST /api/bookings/ through the Django stack (a citizen each, a free slot each: lock, count,
  insert); the task enqueue is not counted (it runs after commit, and the transaction never commits);
- floor: GET /api/bookings/NONE/ (a 404: session, user, one indexed query) interleaved with the bookings, so
  the booking's figure can be read against what any authenticated request costs on the same loaded machine;
- display: GET /api/queue/{unit}/ CPU time per request (time.process_time); 20 screens polling every 2 s is
  10 requests a second, so CPU per request × 10 / 1 s is the share of one core.
Percentiles through bench/lib.py's Result. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time as clock
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")

from bench.lib import Result  # noqa: E402


class Rollback(Exception):
    pass


def setup(existing: int, rng: random.Random):
    from django.utils import timezone

    from portal.accounts.models import User
    from portal.units.calendar.domain.working_time import VIETNAM_TZ
    from portal.units.calendar.selectors import unit_calendar
    from portal.units.models import Unit
    from procedures.domain.booking import day_slots
    from procedures.models import Booking, BookingStatus, Counter, Field, Procedure, Ticket

    unit = Unit.objects.create(code="BENCH.B1", name="Bench booking ward", kind=Unit.Kind.WARD)
    field = Field.objects.create(code="bench-booking", name="Bench")
    procedure = Procedure.objects.create(
        code="BENCH-B1", name="bench", field=field, deadline_amount=5, deadline_unit="working_days"
    )
    counters = [Counter.objects.create(unit=unit, number=n, slot_capacity=40) for n in (1, 2, 3)]
    citizens = User.objects.bulk_create(
        [User(username=f"bench-b-{i}", password="!", role="citizen") for i in range(existing // 5 + 400)]
    )
    calendar = unit_calendar(unit)
    today = timezone.localdate()
    slots = []
    for offset in range(-150, 7):  # history (lapsed, checked in, cancelled) and the bookable window
        slots += day_slots(calendar, today + timedelta(days=offset), 30)
    past_statuses = [BookingStatus.CHECKED_IN] * 7 + [BookingStatus.LAPSED, BookingStatus.CANCELLED]
    now = timezone.now()
    rows = []
    for i in range(existing):
        slot = slots[rng.randrange(len(slots))]
        status = BookingStatus.CONFIRMED if slot.start > now else past_statuses[rng.randrange(len(past_statuses))]
        rows.append(
            Booking(
                code=f"B{i:07d}",
                citizen=citizens[i % (len(citizens) - 400)],
                unit=unit,
                procedure=procedure,
                counter=counters[i % 3],
                status=status,
                start=slot.start,
                end=slot.end,
                day=slot.start.astimezone(VIETNAM_TZ).date(),
            )
        )
    Booking.objects.bulk_create(rows, batch_size=5000)
    # A busy morning at the desk for the display: 60 tickets, a third called.
    for n in range(60):
        Ticket.objects.create(
            unit=unit,
            counter=counters[n % 3],
            issued_counter=counters[n % 3],
            day=today,
            number=n // 3 + 1,
            issued_at=now,
            queued_at=now,
            status="called" if n < 20 else "waiting",
            last_called_at=now - timedelta(seconds=n) if n < 20 else None,
        )
    return unit, procedure, counters, citizens[-400:], today


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--existing", type=int, default=100_000)
    parser.add_argument("--month-calls", type=int, default=200)
    parser.add_argument("--bookings", type=int, default=300)
    parser.add_argument("--display-calls", type=int, default=1000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from procedures.selectors.booking import free_slots, serving_counters, slots_between

    if connection.vendor != "postgresql":
        raise SystemExit("bench/booking.py needs PostgreSQL: set DATABASE_URL")
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    rng = random.Random(2026)  # noqa: S311 - reproducible inputs, not security
    month = Result("free slots, 31 days (selector)", "slots_between", 0, 0, 0.0, [])
    day_api = Result("GET /api/slots/ (one day)", "/api/slots/", 0, 0, 0.0, [])
    book = Result("POST /api/bookings/", "/api/bookings/", 0, 0, 0.0, [])
    display = Result("GET /api/queue/{unit}/", "/api/queue/BENCH.B1/", 0, 0, 0.0, [])
    floor = Result("floor: GET /api/bookings/NONE/ (404)", "/api/bookings/NONE/", 0, 0, 0.0, [])
    cpu_per_display = 0.0
    try:
        with transaction.atomic():
            t0 = clock.perf_counter()
            unit, procedure, counters, fresh, today = setup(args.existing, rng)
            setup_s = clock.perf_counter() - t0
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE procedures_booking")
            serving = serving_counters(unit, procedure)
            for _ in range(args.month_calls):
                t = clock.perf_counter()
                slots_between(unit, serving, today, today + timedelta(days=30), now=timezone.now())
                month.latencies_ms.append((clock.perf_counter() - t) * 1000)
                month.requests += 1
            client = Client(HTTP_ACCEPT_LANGUAGE="vi")
            for i in range(args.month_calls):
                day = today + timedelta(days=i % 7)
                t = clock.perf_counter()
                r = client.get(f"/api/slots/?procedure={procedure.code}&unit={unit.code}&date={day.isoformat()}")
                day_api.latencies_ms.append((clock.perf_counter() - t) * 1000)
                day_api.requests += 1
                day_api.errors += r.status_code != 200
            window = [
                s.start for d in range(7) for s in free_slots(unit, procedure, today + timedelta(days=d)) if s.available
            ]
            for i in range(args.bookings):
                citizen_client = Client(HTTP_ACCEPT_LANGUAGE="vi")
                citizen_client.force_login(fresh[i % len(fresh)])
                start = window[rng.randrange(len(window))]
                body = {"procedure": procedure.code, "unit": unit.code, "start": start.isoformat()}
                t = clock.perf_counter()
                r = citizen_client.post("/api/bookings/", body, content_type="application/json")
                book.latencies_ms.append((clock.perf_counter() - t) * 1000)
                book.requests += 1
                book.errors += r.status_code not in (201, 409)  # a full slot is a correct answer
                # The floor, interleaved: the same client, session and stack, one indexed query, no booking.
                t = clock.perf_counter()
                citizen_client.get("/api/bookings/NONE/")
                floor.latencies_ms.append((clock.perf_counter() - t) * 1000)
                floor.requests += 1
            anonymous = Client()
            for _ in range(20):
                anonymous.get("/api/queue/BENCH.B1/")
            c0 = clock.process_time()
            for _ in range(args.display_calls):
                t = clock.perf_counter()
                r = anonymous.get("/api/queue/BENCH.B1/")
                display.latencies_ms.append((clock.perf_counter() - t) * 1000)
                display.requests += 1
                display.errors += r.status_code != 200
            cpu_per_display = (clock.process_time() - c0) / args.display_calls
            raise Rollback
    except Rollback:
        pass

    print(f"setup: {args.existing:,} existing bookings, 3 counters, 60 tickets today, in {setup_s:.1f} s (rolled back)")
    for r in (month, day_api, book, floor, display):
        print(
            f"{r.label:38} n={r.requests:5} errors={r.errors:3} p50={r.pct(50):7.1f} ms "
            f"p95={r.pct(95):7.1f} ms p99={r.pct(99):7.1f} ms"
        )
    share = cpu_per_display * 10  # 20 screens every 2 s = 10 requests per second
    print(
        f"display CPU: {cpu_per_display * 1000:.2f} ms per request (server side, in-process) → "
        f"20 screens polling every 2 s = {share * 100:.2f} % of one core"
    )
    ok = month.pct(95) < 100 and book.pct(95) < 100 and share < 0.05 and not (book.errors or display.errors)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
