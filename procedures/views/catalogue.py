"""Public catalogue pages: browse and search, procedure detail, printable checklist, form templates."""

from __future__ import annotations

from pathlib import PurePath

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from procedures.catalogue_cache import CATALOGUE_CACHE_TTL, catalogue_cache_key, catalogue_cache_scope
from procedures.forms.catalogue import CatalogueFilterForm
from procedures.models import OnlineLevel, Procedure, RequiredDocument
from procedures.models.catalogue import minutes_text
from procedures.selectors.catalogue import (
    catalogue_fields,
    catalogue_search,
    procedure_due_now,
    procedure_for_detail,
    required_document,
    unit_declines,
    unit_local_fee,
)

PAGE_SIZE = 20  # as the API; a phone screen holds a few, and the page stays light
# Pages of later issues; the buttons appear once these URL names exist.
BOOKING_URL_NAME = "booking_new"
ONLINE_SUBMIT_URL_NAME = "dossier_submit"


def _optional_url(name: str, **kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


@require_GET
def catalogue(request):
    """The page's content is the same for everyone with the same URL and language: the template caches
    its rendering under `content_key` (procedures/catalogue_cache.py), and the page of results is lazy,
    so a cached page costs no query and no rendering of the list, only the cached side menu's read."""
    fields = catalogue_fields()
    form = CatalogueFilterForm(request.GET, fields=fields)
    status = 200
    if form.is_valid():
        data = form.cleaned_data

        def results_page():
            procedures = catalogue_search(
                search=data["search"],
                field=data["field"] or None,
                no_wait=data["no_wait"],
                online_level=data["online_level"] or None,
            )
            return Paginator(procedures, PAGE_SIZE).get_page(request.GET.get("page"))

        page = SimpleLazyObject(results_page)  # even building the queryset is skipped when the content is cached
    else:
        status = 400
        page = Paginator(Procedure.objects.none(), PAGE_SIZE).get_page(1)
        data = {}
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "procedures/catalogue.html",
        {
            "form": form,
            "fields": fields,
            "page_obj": page,
            "searching": bool(data.get("search")),
            "selected_field": data.get("field") or "",
            "query_string": query.urlencode(),
            "total_active": sum(f.active_count for f in fields),
            "content_key": catalogue_cache_key("page", request.get_full_path()),
            "content_ttl": CATALOGUE_CACHE_TTL,
        },
        status=status,
    )


def _not_found(request, code: str):
    return render(request, "procedures/procedure_not_found.html", {"code": code[:40]}, status=404)


@require_GET
def procedure_detail(request, code: str):
    scope = catalogue_cache_scope()
    try:
        procedure = procedure_for_detail(code, user=request.user, scope=scope)
    except Procedure.DoesNotExist:
        return _not_found(request, code)
    context = {
        "procedure": procedure,
        "documents": procedure.documents.all(),
        "steps": procedure.steps.all(),
        "units": procedure.units.all(),
        "local_fee": unit_local_fee(procedure),
        "declined_by": unit_declines(procedure),
        "due_at": procedure_due_now(procedure),
        "book_url": _optional_url(BOOKING_URL_NAME, code=procedure.code),
        "submit_url": (
            _optional_url(ONLINE_SUBMIT_URL_NAME, code=procedure.code)
            if procedure.online_level != OnlineLevel.NONE
            else None
        ),
        "steps_total": minutes_text(sum(s.allotment_minutes for s in procedure.steps.all())),
        # Documents, steps and legal basis are the same for every visitor: rendered once per language.
        "sections_key": catalogue_cache_key("detail-sections", procedure.code, scope=scope),
        "sections_ttl": CATALOGUE_CACHE_TTL,
    }
    return render(request, "procedures/procedure_detail.html", context)


@require_GET
def procedure_checklist(request, code: str):
    """A print-first page: what to bring, with boxes to tick."""
    try:
        procedure = procedure_for_detail(code, user=request.user)
    except Procedure.DoesNotExist:
        return _not_found(request, code)
    return render(
        request,
        "procedures/procedure_checklist.html",
        {"procedure": procedure, "documents": procedure.documents.all()},
    )


@require_GET
def document_template(request, code: str, document_id: int):
    """Form templates are public, but uploads live outside the web root: served here, as attachments."""
    try:
        document = required_document(code, document_id, user=request.user)
    except RequiredDocument.DoesNotExist:
        raise Http404 from None
    try:
        handle = document.template.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=PurePath(document.template.name).name)
