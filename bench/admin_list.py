"""The dossier admin's list at a million dossiers, in process, as a superuser: time, queries, the slowest query.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python bench/admin_list.py

Uses the database bench/dossiers.py loaded (run that first); adds a superuser "bench-admin" (no password) once.
Each list is fetched once to warm up, then 3 times; the best time is printed.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.bench")

from bench.run import HOST, ensure_database  # noqa: E402

CHANGELIST = "/admin/procedures/dossier/"


def main() -> int:
    ensure_database()
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from portal.accounts.models import User

    admin = User.objects.filter(username="bench-admin").first()
    if admin is None:
        admin = User(username="bench-admin", full_name="Bench Admin", is_staff=True, is_superuser=True)
        admin.set_unusable_password()
        admin.save()
    client = Client(HTTP_HOST=HOST)
    client.force_login(admin)
    today = timezone.localdate()
    pages = {
        "all dossiers": {},
        "status returned": {"status__exact": "returned"},
        "submitted today": {"submitted_at__gte": f"{today} 00:00:00+07:00"},
        "submitted this year": {"submitted_at__gte": f"{today.year}-01-01 00:00:00+07:00"},
        "search by code": {"q": "H26.08.04-260105-0007"},
    }
    for label, params in pages.items():
        client.get(CHANGELIST, params)
        best, queries, status = float("inf"), [], 0
        for _ in range(3):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                status = client.get(CHANGELIST, params).status_code
            best = min(best, (time.perf_counter() - start) * 1000)
            queries = captured.captured_queries
        slowest = max(queries, key=lambda q: float(q["time"]))
        print(
            f"{label:<22} HTTP {status}  {best:6.0f} ms  {len(queries)} queries; "
            f"slowest {float(slowest['time']) * 1000:.0f} ms: {slowest['sql'][:90]}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
