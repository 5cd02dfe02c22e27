"""Staff pages on a large table: queries per page and response time, in process (Django's test client).

    BENCH_DATABASE_URL=postgres://…/motcua_x .venv/bin/python bench/staff_pages.py [--requests 50]

Bench settings (portal.settings.bench: DEBUG off, cached templates, persistent connections).

Needs a database with the demo data and many dossiers (`manage.py seed_demo`, then
`manage.py generate_dossiers --count 1000000`). Signs in as the demo ward's desk officer, specialist and leader
and GETs, `--requests` times each (after two warm-up requests): every section of the desk work queue
(`dossier_desk_queue`), a search by phone, the specialist's and the leader's queues, and the staff dossier page.
Prints the desk queue's section counts, then per page: the SQL queries of one request, and the median and
p95 time, and the floor (bench/urls.py: the full middleware and one indexed query) measured in the same
run, since the machine's load moves every figure. The access-log rows the dossier page writes are deleted at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from portal.accounts.models import User
    from procedures.domain.workflow import OPEN_STATUSES
    from procedures.models import Dossier, DossierAccess
    from procedures.selectors.work_queues import desk_queue

    users = {u.username: u for u in User.objects.filter(username__in=["desk", "specialist", "leader", "citizen"])}
    desk = users["desk"]
    total = Dossier.objects.count()
    open_in_unit = Dossier.objects.filter(unit=desk.unit, status__in=OPEN_STATUSES).count()
    sample = Dossier.objects.filter(unit=desk.unit, status__in=OPEN_STATUSES).order_by("pk").first()
    print(f"dossiers: {total:,}; open in {desk.unit.code}: {open_in_unit:,}; requests per page: {args.requests}")
    pages = (
        [("desk", "/bench/floor/", "floor (one indexed query)")]
        + [
            ("desk", f"{reverse('dossier_desk_queue')}?section={s}", f"desk queue: {s}")
            for s in ("all", "new", "due_soon", "supplemented", "ready", "overdue")
        ]
        + [
            ("desk", f"{reverse('dossier_desk_queue')}?q={users['citizen'].phone}", "desk queue: search by phone"),
            ("desk", f"{reverse('dossier_desk_queue')}?page=3", "desk queue: all, page 3"),
            ("specialist", reverse("dossier_specialist_queue"), "specialist queue"),
            ("leader", reverse("dossier_leader_queue"), "leader queue"),
            ("desk", reverse("staff_dossier_detail", args=[sample.code]), "staff dossier page"),
        ]
    )
    started = DossierAccess.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    _rows, counts = desk_queue(desk)
    print("desk queue sections: " + ", ".join(f"{key} {n:,}" for key, n in counts.items()))
    print(f"{'page':32} {'queries':>8} {'median ms':>10} {'p95 ms':>8}")
    for username, path, label in pages:
        client = Client(SERVER_NAME="localhost")
        client.force_login(users[username])
        for _ in range(2):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        count = len(queries)
        times = []
        for _ in range(args.requests):
            t0 = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(f"{label:32} {count:>8} {statistics.median(times):>10.1f} {p95:>8.1f}")
    DossierAccess.objects.filter(pk__gt=started).delete()


if __name__ == "__main__":
    main()
