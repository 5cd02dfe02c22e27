"""Work queues: the desk's (by section), the specialist's (handed to me) and the leader's (awaiting approval)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from procedures.forms.staff import QueueFilterForm
from procedures.permissions import can_use_desk_queue, can_use_leader_queue, can_use_specialist_queue
from procedures.selectors.work_queues import (
    SECTIONS,
    desk_queue,
    leader_queue,
    queue_procedures,
    specialist_queue,
)

from .staff_common import page_of, staff_only


@require_GET
@staff_only(can_use_desk_queue)
def dossier_desk_queue(request):
    procedures = list(queue_procedures(request.user))
    form = QueueFilterForm(request.GET, procedures=procedures)
    status = 200
    if form.is_valid():
        data = form.cleaned_data
    else:
        status, data = 400, {}
    section = data.get("section") or "all"
    dossiers, counts = desk_queue(
        request.user,
        section=section,
        status=data.get("status", ""),
        procedure=data.get("procedure", ""),
        search=data.get("q", ""),
    )
    filtered = any(data.get(name) for name in ("status", "procedure", "q"))
    query = request.GET.copy()
    query.pop("page", None)
    tabs = request.GET.copy()
    for name in ("page", "section"):
        tabs.pop(name, None)
    return render(
        request,
        "procedures/staff/desk_queue.html",
        {
            "form": form,
            "sections": [(s, counts[s.key]) for s in SECTIONS],
            "section": section,
            # Unfiltered, the section's count is the paginator's: one COUNT less.
            "page_obj": page_of(dossiers, request, count=None if filtered else counts[section]),
            "query_string": query.urlencode(),
            "tab_query": tabs.urlencode(),
            "now": timezone.now(),
        },
        status=status,
    )


@require_GET
@staff_only(can_use_specialist_queue)
def dossier_specialist_queue(request):
    return render(
        request,
        "procedures/staff/simple_queue.html",
        {"page_obj": page_of(specialist_queue(request.user), request), "queue": "specialist", "now": timezone.now()},
    )


@require_GET
@staff_only(can_use_leader_queue)
def dossier_leader_queue(request):
    return render(
        request,
        "procedures/staff/simple_queue.html",
        {"page_obj": page_of(leader_queue(request.user), request), "queue": "leader", "now": timezone.now()},
    )
