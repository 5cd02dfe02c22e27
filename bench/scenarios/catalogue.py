"""The public catalogue with 2,000 procedures: search (API and page), browse, and the procedure page.

load() tops the 44 shipped procedures up to 2,000 with generated variants of them ("BENCH.0001" …),
each with its documents and steps, so searches match realistic numbers of rows. Idempotent. It also
prints how many queries each endpoint makes, cold (catalogue and calendar caches just invalidated) and warm.
"""

from __future__ import annotations

TARGET = 2000
PREFIX = "BENCH."
DETAIL = "/thu-tuc/2.000884/"

ENDPOINTS = [
    ("catalogue API search 'chung thuc'", "/api/procedures/?search=chung+thuc"),
    ("catalogue API search+filters", "/api/procedures/?search=dang+ky&no_wait=false&online_level=partial"),
    ("catalogue API no-wait page 2", "/api/procedures/?no_wait=true&page=2"),
    ("catalogue page search 'dang ky khai'", "/thu-tuc/?search=dang+ky+khai"),
    ("catalogue page browse", "/thu-tuc/"),
    ("catalogue page field filter", "/thu-tuc/?field=ho-tich&page=3"),
    ("procedure page (detail)", DETAIL),
    ("procedure API detail", "/api/procedures/2.000884/"),
]


def load() -> None:
    from django.core.cache import cache
    from django.db import transaction

    from procedures.catalogue_cache import invalidate_catalogue
    from procedures.models import Procedure, ProcessStep, RequiredDocument
    from procedures.models.catalogue import FIELD_COUNTS_CACHE_KEY

    real = list(
        Procedure.objects.exclude(code__startswith=PREFIX)
        .select_related("field")
        .prefetch_related("documents", "steps")
    )
    wanted = TARGET - len(real)
    if Procedure.objects.filter(code__startswith=PREFIX).count() != wanted:
        with transaction.atomic():
            Procedure.objects.filter(code__startswith=PREFIX).delete()
            clones = []
            for i in range(wanted):
                source = real[i % len(real)]
                clone = Procedure(
                    **{
                        f.attname: getattr(source, f.attname)
                        for f in Procedure._meta.concrete_fields
                        if f.attname not in ("id", "code", "search_text", "updated_at")
                    },
                )
                clone.code = f"{PREFIX}{i + 1:04d}"
                clone.name = f"{source.name} (biến thể {i + 1})"
                clone.name_en = f"{source.name_en} (variant {i + 1})"
                clone.search_text = clone.build_search_text(source.field)
                clones.append(clone)
            Procedure.objects.bulk_create(clones, batch_size=500)
            by_code = dict(Procedure.objects.filter(code__startswith=PREFIX).values_list("code", "pk"))
            documents, steps = [], []
            for i, clone in enumerate(clones):
                source = real[i % len(real)]
                pk = by_code[clone.code]
                documents += [
                    RequiredDocument(
                        procedure_id=pk,
                        position=d.position,
                        name=d.name,
                        name_en=d.name_en,
                        form=d.form,
                        count=d.count,
                        note=d.note,
                        note_en=d.note_en,
                    )
                    for d in source.documents.all()
                ]
                steps += [
                    ProcessStep(
                        procedure_id=pk,
                        position=s.position,
                        description=s.description,
                        description_en=s.description_en,
                        responsible=s.responsible,
                        responsible_en=s.responsible_en,
                        allotment_minutes=s.allotment_minutes,
                    )
                    for s in source.steps.all()
                ]
            RequiredDocument.objects.bulk_create(documents, batch_size=1000)
            ProcessStep.objects.bulk_create(steps, batch_size=1000)
        # bulk_create sends no signals: drop the side menu's counts and replace the catalogue's cache token.
        cache.delete(FIELD_COUNTS_CACHE_KEY)
        invalidate_catalogue()
    print(
        f"  catalogue: {Procedure.objects.count()} procedures, {RequiredDocument.objects.count()} documents, "
        f"{ProcessStep.objects.count()} steps",
        flush=True,
    )
    _print_queries()


def _print_queries() -> None:
    """Queries per endpoint: cold (catalogue and calendar tokens just replaced) and warm (cached)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from portal.units.calendar.cache import invalidate_calendars
    from procedures.catalogue_cache import invalidate_catalogue
    from procedures.models.catalogue import FIELD_COUNTS_CACHE_KEY

    client = Client(HTTP_HOST="localhost")
    for _label, path in ENDPOINTS:
        invalidate_calendars()  # cold: the working calendar must be loaded from the database
        invalidate_catalogue()
        cache.delete(FIELD_COUNTS_CACHE_KEY)
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as ctx:
                status = client.get(path, HTTP_ACCEPT_LANGUAGE="vi").status_code
            counts.append(len(ctx.captured_queries))
        print(f"  {path}: HTTP {status}, {counts[0]} queries cold, {counts[1]} warm", flush=True)
