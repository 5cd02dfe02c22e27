"""Dashboard speed with a million dossiers across 14 wards over 3 years (issue 13).

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_h35_bench \\
        .venv/bin/python bench/dashboard.py [--count 1000000] [--years 3] [--requests 300] [--load-only]

Loads the data once (migrate, seed_demo, each ward's staff, then `generate_dossiers --years 3` up to --count
dossiers with their documents and ratings; a re-run on the same database loads nothing), then serves the portal
under gunicorn (bench.lib.serve) and measures, with the client on the same two cores, each endpoint in blocks
alternating with the floor (bench/urls.py: full middleware, one indexed query):
(a) GET /api/dashboard/?unit=<busiest ward>&preset=year as that ward's leader (token): p95 < 300 ms;
(b) GET /api/dashboard/ranking/?unit=<district>&preset=year as the district's leader: p95 < 500 ms;
(c) the ward dashboard page (URL name `dashboard_ward`, /can-bo/bang-dieu-khien/) the same way, or "skipped";
and the number of SQL queries of each request (in-process, CaptureQueriesContext) on this database and on a
small one (--small-url, default: the same server's <name>_small, loaded with --small-count dossiers): the
same number on both is the target. Prints the load (`uptime`) before and after.
Exit status 1 if a target is missed or a request failed.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.bench")
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/motcua_bench")

from bench import lib  # noqa: E402
from bench.run import ensure_database  # noqa: E402

FLOOR = "/bench/floor/"
BENCH_LEADER = "bench-ward-leader"
BENCH_DISTRICT = "bench-district-leader"
DISTRICT_CODE = "H26.08"


def load(count: int, years: int, seed: int) -> None:
    """Migrate, demo data and every ward's staff, then dossiers up to `count` over `years` (once)."""
    from django.core.management import call_command
    from django.db import connection

    from portal.units.models import Unit
    from procedures.models import Dossier
    from procedures.services.demo import seed_demo, seed_ward_staff
    from procedures.services.dossier_generator import generate_dossiers

    call_command("migrate", verbosity=0)
    seed_demo()
    seed_ward_staff(list(Unit.objects.filter(parent__code=DISTRICT_CODE, kind=Unit.Kind.WARD).order_by("code")))
    have = Dossier.objects.count()
    if have < count:
        print(f"generating {count - have:,} dossiers over {years} years (have {have:,}) …", flush=True)
        t0 = time.perf_counter()
        result = generate_dossiers(count=count - have, seed=seed, years=years)
        print(
            f"generated in {time.perf_counter() - t0:.0f} s: {result['history rows']:,} history rows, "
            f"{result['documents']:,} documents, {result['ratings']:,} ratings",
            flush=True,
        )
        with connection.cursor() as cur:  # fresh statistics and visibility map, as autovacuum would leave them
            cur.execute("VACUUM ANALYZE")
    else:
        print(f"{have:,} dossiers already loaded", flush=True)


def uptime() -> str:
    env = {**os.environ, "TZ": "UTC"}  # Django sets TZ to the portal's zone for this process
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False, env=env).stdout.strip()


def busiest_ward():
    from django.db.models import Sum

    from portal.units.models import Unit
    from procedures.models import DailyCounter

    # The counters hold every code handed out: the same ranking as counting dossiers, without the scan.
    row = DailyCounter.objects.values("unit").annotate(n=Sum("last_value")).order_by("-n").first()
    unit = Unit.objects.get(pk=row["unit"])
    return unit, unit.dossiers.count()


def leader(username: str, unit):
    """A leader of `unit` with an API token (created once)."""
    from rest_framework.authtoken.models import Token

    from portal.accounts.models import Role, User

    user = User.objects.filter(username=username).first()
    if user is None:  # the password only once: a new one would log out the sessions made for the pages
        user = User(username=username, full_name="Bench Leader")
        user.set_unusable_password()
    user.role, user.unit, user.is_active = Role.LEADER, unit, True
    user.save()
    token, _ = Token.objects.get_or_create(user=user)
    return user, token.key


def ward_page() -> str | None:
    """The ward dashboard page's path, or None while that page is not built."""
    from django.urls import NoReverseMatch, Resolver404, resolve, reverse

    for name in ("dashboard_ward", "ward_dashboard", "dashboard"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    try:
        resolve("/can-bo/bang-dieu-khien/")
    except Resolver404:
        return None
    return "/can-bo/bang-dieu-khien/"


def targets():
    """(ward, its dossiers, ward leader + token, district leader + token, {label: (path, who)})."""
    from portal.units.models import Unit

    ward, in_ward = busiest_ward()
    district = Unit.objects.get(code=DISTRICT_CODE)
    ward_leader = leader(BENCH_LEADER, ward)
    district_leader = leader(BENCH_DISTRICT, district)
    paths = {
        "ward dashboard API, year": (f"/api/dashboard/?unit={ward.code}&preset=year", "ward"),
        "ward dashboard API, month": (f"/api/dashboard/?unit={ward.code}&preset=month", "ward"),
        "district ranking API, year": (f"/api/dashboard/ranking/?unit={district.code}&preset=year", "district"),
    }
    page = ward_page()
    if page:
        paths["ward dashboard page, year"] = (f"{page}?unit={ward.code}&preset=year", "ward")
    return ward, in_ward, ward_leader, district_leader, paths


def query_counts() -> dict[str, tuple[int, int]]:
    """In-process: label -> (number of queries, status code) of one GET (after one warm-up GET)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.run import HOST

    _ward, _n, (ward_user, _t1), (district_user, _t2), paths = targets()
    clients = {}
    for who, user in (("ward", ward_user), ("district", district_user)):
        clients[who] = Client(HTTP_HOST=HOST)
        clients[who].force_login(user)
    counts = {}
    for label, (path, who) in paths.items():
        clients[who].get(path)
        with CaptureQueriesContext(connection) as ctx:
            status = clients[who].get(path).status_code
        counts[label] = (len(ctx.captured_queries), status)
    return counts


def explain(top: int) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of each endpoint's `top` slowest queries, as run in-process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.run import HOST

    _ward, _n, (ward_user, _t1), (district_user, _t2), paths = targets()
    users = {"ward": ward_user, "district": district_user}
    for label, (path, who) in paths.items():
        client = Client(HTTP_HOST=HOST)
        client.force_login(users[who])
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        slowest = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:top]
        print(f"\n=== {label}: {path} ({len(ctx.captured_queries)} queries; the {len(slowest)} slowest) ===")
        for q in slowest:
            print(f"\n--- {float(q['time']) * 1000:.0f} ms: {q['sql'][:3000]}")
            with connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                print("\n".join(r[0] for r in cur.fetchall()))


def small_query_counts(url: str, count: int, seed: int) -> dict[str, list[int]]:
    """The same query counts on a small database (this script in a child process, loading it once)."""
    env = {**os.environ, "BENCH_DATABASE_URL": url}
    out = subprocess.run(
        [sys.executable, __file__, "--queries-only", "--count", str(count), "--seed", str(seed)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--small-url", default=None, help="database for the small data set (default: <name>_small)")
    parser.add_argument("--small-count", type=int, default=5_000)
    parser.add_argument("--load-only", action="store_true", help="load the data and stop")
    parser.add_argument("--queries-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--explain", type=int, default=0, metavar="N", help="EXPLAIN ANALYZE the N slowest queries")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    ensure_database()
    import django

    django.setup()
    from django.conf import settings

    from procedures.models import Dossier

    if args.queries_only:  # the child process of small_query_counts
        with contextlib.redirect_stdout(sys.stderr):
            load(args.count, args.years, args.seed)
        print(json.dumps(query_counts()))
        return 0
    load(args.count, args.years, args.seed)
    if args.load_only:
        return 0
    if args.explain:
        explain(args.explain)
        return 0
    total = Dossier.objects.count()
    ward, in_ward, (_wu, ward_token), (_du, district_token), paths = targets()
    counts = query_counts()
    small_url = args.small_url or os.environ["BENCH_DATABASE_URL"].rstrip("/") + "_small"
    print(f"query counts on the small database ({args.small_count:,} dossiers, {small_url}) …", flush=True)
    ensure_database_url(small_url)
    small = small_query_counts(small_url, args.small_count, args.seed)
    tokens = {"ward": ward_token, "district": district_token}
    sessions = {}
    from django.test import Client

    from bench.run import HOST, PORT

    for who, user in (("ward", _wu), ("district", _du)):
        client = Client(HTTP_HOST=HOST)
        client.force_login(user)
        sessions[who] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    def headers(label, who):
        if "page" in label:
            return {"Cookie": sessions[who]}
        return {"Authorization": f"Token {tokens[who]}"}

    load_before = uptime()
    opts = {"concurrency": args.concurrency, "requests": args.requests}
    with lib.serve(HOST, PORT, workers=args.workers):
        for label, (path, who) in paths.items():  # each path answers 200 over HTTP (not a login redirect)
            status = http_status(HOST, PORT, path, headers(label, who))
            if status != 200:
                print(f"{label}: HTTP {status} for {path}", file=sys.stderr)
                return 1
        for label, (path, who) in paths.items():  # warm every worker on every path
            lib.measure(
                HOST,
                PORT,
                "warm-up",
                path,
                concurrency=args.concurrency,
                requests=20,
                warmup=0,
                headers=headers(label, who),
            )
        lib.measure(HOST, PORT, "warm-up", FLOOR, concurrency=args.concurrency, requests=100, warmup=0)
        floor = lib.measure(HOST, PORT, "floor (1 indexed query)", FLOOR, **opts)
        results, paired = [], {}
        for label, (path, who) in paths.items():
            result, paired[label] = lib.measure_paired(
                HOST, PORT, label, path, FLOOR, headers=headers(label, who), block=50, **opts
            )
            results.append(result)
    load_after = uptime()

    print(
        f"\n{total:,} dossiers over {args.years} years; busiest ward {ward.code}: {in_ward:,}; "
        f"{args.concurrency} concurrent clients, {args.requests} requests per endpoint, gunicorn -w {args.workers}, "
        f"{os.cpu_count()} cores shared by client, server and database"
    )
    print(f"load before: {load_before}\nload after:  {load_after}\n")
    print(lib.table(results, floor, paired))
    print("\nqueries per request (in-process, CaptureQueriesContext), big / small database:")
    for label, (n, code) in counts.items():
        s_n, s_code = small.get(label, (None, None))
        print(f"  {label:<40} {n:>3} / {s_n!s:>3} queries (HTTP {code} / {s_code})")

    by = {r.label: r for r in results}
    goals = {"ward dashboard API, year": 300, "district ranking API, year": 500, "ward dashboard page, year": 300}
    checks = []
    for label, limit in goals.items():
        if label not in by:
            checks.append((f"{label}: p95", "skipped: not built", f"< {limit} ms", None))
            continue
        p95 = by[label].pct(95)
        checks.append((f"{label}: p95", f"{p95:.1f} ms", f"< {limit} ms", p95 < limit and not by[label].errors))
    for label, (n, _code) in counts.items():
        s_n = small.get(label, (None, None))[0]
        checks.append((f"{label}: queries big / small", f"{n} / {s_n}", "equal", n == s_n))

    print(f"\n{'target':<52} {'measured':>20} {'target':>9}  result")
    for name, value, target, ok in checks:
        verdict = "SKIPPED" if ok is None else ("ok" if ok else "MISSED")
        print(f"{name:<52} {value:>20} {target:>9}  {verdict}")
    failed = [r.label for r in results if r.errors]
    if failed:
        print("\nrequests with errors: " + ", ".join(failed), file=sys.stderr)
    if args.json:
        rows = [lib.summary(r) for r in [floor, *results]]
        for row in rows:
            if row["label"] in paired:
                row["paired_floor_p95_ms"] = paired[row["label"]].pct(95)
                row["paired_floor_rps"] = paired[row["label"]].rps
        data = {"dossiers": total, "unit": ward.code, "in_unit": in_ward, "results": rows}
        data |= {"queries": counts, "queries_small": small, "load": [load_before, load_after]}
        data["checks"] = [{"target": n, "measured": v, "goal": t, "ok": ok} for n, v, t, ok in checks]
        args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    return 1 if failed or any(ok is False for *_x, ok in checks) else 0


def http_status(host: str, port: int, path: str, headers: dict) -> int:
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        conn.request("GET", path, headers={"Accept-Language": "vi", **headers})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def ensure_database_url(url: str) -> None:
    previous = os.environ["BENCH_DATABASE_URL"]
    os.environ["BENCH_DATABASE_URL"] = url
    try:
        ensure_database()
    finally:
        os.environ["BENCH_DATABASE_URL"] = previous


if __name__ == "__main__":
    raise SystemExit(main())
