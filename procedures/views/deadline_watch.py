"""/can-bo/han-xu-ly/: the unit's (a leader's subtree's) dossiers due soon or overdue, for staff."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from procedures.permissions import can_watch_deadlines
from procedures.selectors.deadline_watch import SORTS, flagged_dossiers, my_open_apologies

PAGE_SIZE = 50


@require_GET
@login_required
def deadline_watch(request):
    if not can_watch_deadlines(request.user):
        raise PermissionDenied
    sort = request.GET.get("sort", "late")
    sort = sort if sort in SORTS else "late"
    page = Paginator(flagged_dossiers(request.user, sort=sort), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "procedures/deadline_watch.html",
        {"page": page, "sort": sort, "apologies": my_open_apologies(request.user)[:PAGE_SIZE]},
    )
