"""Dossier speed with a million dossiers: public lookup vs the floor, the staff list, the desk queue, receipt.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench \\
        .venv/bin/python bench/dossiers.py [--count 1000000] [--requests 1000] [--receives 300]

Loads the data once (migrate, seed_demo, then `generate_dossiers` up to --count dossiers, filed by a quarter as
many new synthetic citizens; a re-run on the same database loads nothing), then serves the portal under
gunicorn (bench.lib.serve, portal.settings.bench: the lookup's rate limit raised) and measures, with the client
on the same two cores:
(a) GET /api/lookup/?code&phone and /tra-cuu/?code&phone over 500 sampled dossiers, --lookup-requests each
    (5,000) in blocks of --lookup-block (500) alternating with the floor (bench/urls.py: full middleware, one
    indexed query): p95 ratio (≤ 1.5) and throughput ratio (≥ 0.67) to the floor measured alongside;
(b) GET /api/dossiers/ as a desk officer of the busiest ward (token), and filtered by status: p95 < 150 ms,
    and the number of queries on the first and on a deep page, counted in-process (CaptureQueriesContext);
(c) the desk work-queue page (URL name dossier_desk_queue) the same way, or "skipped: page not built";
(d) POST /api/dossiers/{code}/receive/ on --receives fresh online submissions, one client per gunicorn worker
    by default (--receive-concurrency): p95 < 100 ms.
Exit status 1 if a target is missed or a request failed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.bench")

from bench import lib  # noqa: E402
from bench.run import HOST, PORT, ensure_database  # noqa: E402

FLOOR = "/bench/floor/"
BENCH_DESK = "bench-desk"
SAMPLE = 500  # dossiers sampled for the lookup


def load(count: int, seed: int) -> None:
    """Migrate, demo data, then dossiers up to `count` (nothing when the database already holds them)."""
    import time

    from django.core.management import call_command
    from django.db import connection

    from procedures.models import Dossier
    from procedures.services.demo import seed_demo

    call_command("migrate", verbosity=0)
    seed_demo()
    have = Dossier.objects.count()
    if have < count:
        print(f"generating {count - have:,} dossiers (have {have:,}) …", flush=True)
        t0 = time.perf_counter()
        # A quarter as many residents as dossiers file them, as in a ward (not the demo's two citizens).
        call_command("generate_dossiers", count=count - have, seed=seed, citizens=(count - have) // 4)
        print(f"generated in {time.perf_counter() - t0:.0f} s", flush=True)
        with connection.cursor() as cur:  # fresh statistics and visibility map, as autovacuum would leave them
            cur.execute("VACUUM ANALYZE")
    else:
        print(f"{have:,} dossiers already loaded", flush=True)


def busiest_ward():
    from django.db.models import Count

    from procedures.models import Dossier

    row = Dossier.objects.values("unit").annotate(n=Count("pk")).order_by("-n").first()
    from portal.units.models import Unit

    return Unit.objects.get(pk=row["unit"]), row["n"]


def desk_officer(unit):
    """A desk officer of `unit` with an API token (created once)."""
    from rest_framework.authtoken.models import Token

    from portal.accounts.models import Role, User

    user = User.objects.filter(username=BENCH_DESK).first() or User(username=BENCH_DESK, full_name="Bench Desk")
    user.role, user.unit, user.is_active = Role.DESK_OFFICER, unit, True
    user.set_unusable_password()
    user.save()
    token, _ = Token.objects.get_or_create(user=user)
    return user, token.key


def lookup_sample() -> list[tuple[str, str]]:
    """(code, applicant phone) of SAMPLE dossiers spread over the table (a block sample, then random)."""
    from django.db import connection

    from portal.accounts.models import User
    from procedures.models import Dossier

    with connection.cursor() as cur:
        cur.execute(
            f"SELECT d.code, u.phone FROM {Dossier._meta.db_table} d TABLESAMPLE SYSTEM (1) REPEATABLE (7) "  # noqa: S608
            f"JOIN {User._meta.db_table} u ON u.id = d.applicant_id WHERE u.phone <> '' "
            "ORDER BY md5(d.code) LIMIT %s",
            [SAMPLE],
        )
        return cur.fetchall()


def fresh_submissions(unit, n: int) -> list[str]:
    """`n` new online submissions at `unit` (status submitted), through the service like the API's POST."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.accounts.models import Role, User
    from procedures.models import Dossier, Procedure
    from procedures.services.dossiers import dossier_submit_online

    procedure_id = (
        Dossier.objects.filter(unit=unit, channel="online", procedure__online_level__in=["full", "partial"])
        .values_list("procedure_id", flat=True)
        .first()
    )
    procedure = Procedure.objects.get(pk=procedure_id)
    citizen = User.objects.filter(role=Role.CITIZEN, is_active=True).order_by("pk").first()
    documents = list(procedure.documents.all())
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    codes = []
    for _ in range(n):
        files = [(d, SimpleUploadedFile("to-khai.pdf", pdf, content_type="application/pdf")) for d in documents]
        codes.append(dossier_submit_online(applicant=citizen, procedure=procedure, unit=unit, files=files).code)
    return codes


def query_counts(path_variants: dict[str, str], **client_kwargs) -> dict[str, tuple[int, int]]:
    """In-process: label -> (number of queries, status code) of one GET (after one warm-up GET)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user = client_kwargs.pop("login", None)
    client = Client(HTTP_HOST=HOST, **client_kwargs)
    if user is not None:
        client.force_login(user)
    counts = {}
    for label, path in path_variants.items():
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            status = client.get(path).status_code
        counts[label] = (len(ctx.captured_queries), status)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument(
        "--lookup-requests",
        type=int,
        default=5000,
        help="requests per lookup endpoint, in paired blocks of --lookup-block: a lookup takes 2-4 ms, so 1,000 "
        "requests in blocks of 100 measured blocks of 80 ms, where a scheduling hiccup moved the ratio by 0.1",
    )
    parser.add_argument("--lookup-block", type=int, default=500)
    parser.add_argument("--receives", type=int, default=300)
    parser.add_argument(
        "--receive-concurrency",
        type=int,
        default=None,
        help="clients posting receipts at once (default: one per gunicorn worker, so the figure is a receipt's "
        "latency under full load rather than time queued behind other receipts)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    ensure_database()
    import django

    django.setup()
    from django.conf import settings
    from django.urls import NoReverseMatch, reverse

    from procedures.models import Dossier

    load(args.count, args.seed)
    total = Dossier.objects.count()
    unit, in_unit = busiest_ward()
    desk, token = desk_officer(unit)
    auth = {"Authorization": f"Token {token}"}
    sample = lookup_sample()
    lookup_api = [f"/api/lookup/?code={c}&phone={p}" for c, p in sample]
    lookup_page = [f"/tra-cuu/?code={c}&phone={p}" for c, p in sample]
    page_size = settings.REST_FRAMEWORK["PAGE_SIZE"]
    status = "in_progress"
    in_status = Dossier.objects.filter(unit=unit, status=status).count()
    deep, deep_status = max(1, in_unit // page_size // 2), max(1, in_status // page_size // 2)
    staff = {
        "staff list, page 1": "/api/dossiers/",
        f"staff list, page {deep}": f"/api/dossiers/?page={deep}",
        f"staff list, {status}, page 1": f"/api/dossiers/?status={status}",
        f"staff list, {status}, page {deep_status}": f"/api/dossiers/?status={status}&page={deep_status}",
    }
    counts = query_counts(staff, HTTP_AUTHORIZATION=f"Token {token}")
    counts |= query_counts({"lookup API": lookup_api[0], "lookup page": lookup_page[0]})
    try:
        queue = reverse("dossier_desk_queue")
    except NoReverseMatch:
        queue = None
    if queue:
        counts |= query_counts({"desk queue": queue, "desk queue, page 2": f"{queue}?page=2"}, login=desk)
    print(f"creating {args.receives} fresh online submissions at {unit.code} …", flush=True)
    receive_codes = fresh_submissions(unit, args.receives + 20)
    warm_receives, receive_codes = receive_codes[:20], receive_codes[20:]

    opts = {"concurrency": args.concurrency, "requests": args.requests}
    with lib.serve(HOST, PORT, workers=args.workers):
        cookie = {}
        if queue:
            from django.test import Client

            client = Client(HTTP_HOST=HOST)
            client.force_login(desk)
            cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"}
        gets = [
            ("lookup API (code+phone)", lookup_api, {}),
            ("lookup page /tra-cuu/", lookup_page, {}),
            *[(label, path, auth) for label, path in staff.items()],
        ]
        if queue:
            gets.append(("desk queue page", queue, cookie))
        for _label, path, headers in gets:  # warm every worker on every path
            lib.measure(
                HOST, PORT, "warm-up", path, concurrency=args.concurrency, requests=50, warmup=0, headers=headers
            )
        lib.measure(HOST, PORT, "warm-up", FLOOR, concurrency=args.concurrency, requests=100, warmup=0)
        floor = lib.measure(HOST, PORT, "floor (1 indexed query)", FLOOR, **opts)
        results, paired = [], {}
        for label, path, headers in gets:
            sizes = opts
            if label.startswith("lookup"):
                sizes = {**opts, "requests": args.lookup_requests, "block": args.lookup_block}
            result, paired[label] = lib.measure_paired(HOST, PORT, label, path, FLOOR, headers=headers, **sizes)
            results.append(result)
        post = [("POST", f"/api/dossiers/{c}/receive/", b'{"expected_status": "submitted"}') for c in warm_receives]
        receive_clients = args.receive_concurrency or args.workers
        lib.send_each(HOST, PORT, "warm-up", post, concurrency=receive_clients, headers=auth)
        post = [("POST", f"/api/dossiers/{c}/receive/", b'{"expected_status": "submitted"}') for c in receive_codes]
        receive = lib.send_each(
            HOST,
            PORT,
            f"receive (POST …/receive/, {receive_clients} clients)",
            post,
            concurrency=receive_clients,
            headers=auth,
        )

    print(
        f"\n{total:,} dossiers; busiest ward {unit.code}: {in_unit:,} ({in_status:,} {status}); "
        f"{args.concurrency} concurrent clients, {args.requests} requests per GET endpoint "
        f"({args.lookup_requests} per lookup, in paired blocks of {args.lookup_block}), "
        f"gunicorn -w {args.workers}, {os.cpu_count()} cores shared by client, server and database\n"
    )
    print(lib.table([*results, receive], floor, paired))
    print("\nqueries per request (in-process, CaptureQueriesContext):")
    for label, (n, code) in counts.items():
        print(f"  {label:<40} {n:>3} queries (HTTP {code})")

    by = {r.label: r for r in results}
    checks = []

    def ratio_checks(label):
        r, f = by[label], paired[label]
        checks.append(
            (f"{label}: p95 / floor p95", f"{r.pct(95) / f.pct(95):.2f}", "≤ 1.50", r.pct(95) <= 1.5 * f.pct(95))
        )
        checks.append((f"{label}: req/s / floor req/s", f"{r.rps / f.rps:.2f}", "≥ 0.67", r.rps >= 0.67 * f.rps))

    ratio_checks("lookup API (code+phone)")
    ratio_checks("lookup page /tra-cuu/")
    for label in staff:
        checks.append((f"{label}: p95", f"{by[label].pct(95):.1f} ms", "< 150 ms", by[label].pct(95) < 150))
    staff_counts = {counts[label][0] for label in staff}
    checks.append(
        (
            "staff list: queries, any page or filter",
            "/".join(str(counts[k][0]) for k in staff),
            "constant",
            len(staff_counts) == 1,
        )
    )
    if queue:
        checks.append(
            (
                "desk queue page: p95",
                f"{by['desk queue page'].pct(95):.1f} ms",
                "< 150 ms",
                by["desk queue page"].pct(95) < 150,
            )
        )
        q = [counts["desk queue"][0], counts["desk queue, page 2"][0]]
        checks.append(("desk queue page: queries, pages 1 and 2", f"{q[0]}/{q[1]}", "constant", q[0] == q[1]))
    else:
        checks.append(("desk queue page (dossier_desk_queue)", "skipped: page not built", "< 150 ms", None))
    checks.append(("receive: p95", f"{receive.pct(95):.1f} ms", "< 100 ms", receive.pct(95) < 100))

    print(f"\n{'target':<52} {'measured':>24} {'target':>9}  result")
    for name, value, target, ok in checks:
        verdict = "SKIPPED" if ok is None else ("ok" if ok else "MISSED")
        print(f"{name:<52} {value:>24} {target:>9}  {verdict}")
    failed = [r.label for r in [*results, receive] if r.errors]
    if failed:
        print("\nrequests with errors: " + ", ".join(failed), file=sys.stderr)
    if args.json:
        rows = [lib.summary(r) for r in [floor, *results, receive]]
        for row in rows:
            if row["label"] in paired:
                row["paired_floor_p95_ms"] = paired[row["label"]].pct(95)
                row["paired_floor_rps"] = paired[row["label"]].rps
        data = {"dossiers": total, "unit": unit.code, "in_unit": in_unit, "results": rows, "queries": counts}
        data["checks"] = [{"target": n, "measured": v, "goal": t, "ok": ok} for n, v, t, ok in checks]
        args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    return 1 if failed or any(ok is False for *_x, ok in checks) else 0


if __name__ == "__main__":
    raise SystemExit(main())
