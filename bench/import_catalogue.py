"""Times the catalogue import: 2,000 procedures, dry run and real, new and changed, with query counts.

The rows are variants of the shipped procedures (as bench/scenarios/catalogue.py makes them: same
documents and steps, codes `BENCHIMP.0001` …), written in the export format and imported through
`import_catalogue` as the admin and `import_procedures` do. Runs in a throwaway PostgreSQL database
(BENCH_IMPORT_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/motcua_bench_import), created
and migrated if needed; the generated procedures are deleted first, so every run starts alike.

    .venv/bin/python bench/import_catalogue.py [--rows 2000] [--format json|csv]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.bench")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench_import"
PREFIX = "BENCHIMP."


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--format", choices=["json", "csv"], default="json")
    args = parser.parse_args()

    url = os.environ.get("BENCH_IMPORT_DATABASE_URL", DEFAULT_URL)
    os.environ["BENCH_DATABASE_URL"] = url  # read by portal.settings.bench
    os.environ["DATABASE_URL"] = url
    from bench.run import ensure_database

    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from procedures.documents.catalogue_file import write_csv, write_json
    from procedures.models import Procedure
    from procedures.selectors.catalogue_export import export_rows
    from procedures.services.catalogue_import import import_catalogue
    from procedures.services.demo import seed_demo

    call_command("migrate", verbosity=0)
    seed_demo()
    Procedure.objects.filter(code__startswith=PREFIX).delete()
    shipped = export_rows(Procedure.objects.exclude(code__startswith="BENCH"))
    rows = []
    for i in range(args.rows):
        source = shipped[i % len(shipped)]
        rows.append(
            {
                **source,
                "code": f"{PREFIX}{i + 1:04d}",
                "name": f"{source['name']} (biến thể {i + 1})",
                "name_en": f"{source['name_en']} (variant {i + 1})",
                "documents": [{**d, "template": ""} for d in source["documents"]],
            }
        )
    write = write_csv if args.format == "csv" else write_json
    new_file = write(rows).encode()
    changed_file = write([{**r, "source_note": r["source_note"] + " (rev. 2)"} for r in rows]).encode()
    documents = sum(len(r["documents"]) for r in rows)
    steps = sum(len(r["steps"]) for r in rows)
    print(
        f"{args.rows} procedures, {documents} documents, {steps} steps; {args.format} file of "
        f"{len(new_file) / 1e6:.1f} MB; database {url.rsplit('/', 1)[-1]}\n"
    )

    results = []
    for label, data, dry_run in [
        ("dry run, all new", new_file, True),
        ("import, all new", new_file, False),
        ("dry run, all unchanged", new_file, True),
        ("import, all unchanged", new_file, False),
        ("import, all changed", changed_file, False),
    ]:
        with CaptureQueriesContext(connection) as ctx:
            start, cpu = time.perf_counter(), time.process_time()
            report = import_catalogue(data, fmt=args.format, dry_run=dry_run, reason="bench")
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        if not report.ok:
            print(f"{label}: errors {[str(e) for e in report.errors[:5]]}", file=sys.stderr)
            return 1
        counts = f"{len(report.created)}/{len(report.updated)}/{len(report.unchanged)}"
        results.append((label, seconds, seconds / args.rows * 1000, cpu, len(ctx.captured_queries), counts))

    # Wall time includes PostgreSQL's work; "Python CPU" is this process only (meaningful on a busy machine).
    print(
        f"| {'what':<24} | {'seconds':>7} | {'ms/row':>6} | Python CPU s | {'queries':>7} | created/updated/unchanged |"
    )
    print(f"|{'-' * 26}|{'-' * 9}|{'-' * 8}|{'-' * 14}|{'-' * 9}|{'-' * 27}|")
    for label, seconds, per_row, cpu, queries, counts in results:
        print(f"| {label:<24} | {seconds:>7.2f} | {per_row:>6.2f} | {cpu:>12.2f} | {queries:>7} | {counts:<25} |")
    Procedure.objects.filter(code__startswith=PREFIX).delete()
    slowest = max(r[1] for r in results)
    print(f"\nslowest: {slowest:.2f} s (target: under 10 s for {args.rows} rows)")
    return 0 if slowest < 10 or args.rows != 2000 else 1


if __name__ == "__main__":
    sys.exit(main())
