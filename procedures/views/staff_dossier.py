"""The staff dossier page: everything about one dossier, and a form for each action the user may take now.

Every view by staff is written to the access log (procedures.services.access_log). The transitions go through
dossier_transition only: the page passes the status it showed, so a stale page gets the Conflict message.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from procedures.documents.download import dossier_document_response
from procedures.domain.workflow import Action, allowed_actions
from procedures.forms.staff import ACTION_FORMS
from procedures.models import AccessKind, Dossier, DossierDocument
from procedures.permissions import (
    can_act_on_dossier,
    can_record_paper_rating,
    can_see_access_log,
    can_use_staff_dossier_pages,
)
from procedures.selectors.deadline_watch import my_open_apologies
from procedures.selectors.documents import may_print_control_slip, slips_for
from procedures.selectors.ratings import rating_of, rating_view
from procedures.selectors.work_queues import dossier_access_log, staff_document, staff_dossier
from procedures.services.access_log import dossier_access_record
from procedures.services.dossiers import Conflict, dossier_transition
from procedures.services.ratings import is_open_for_rating

from .staff_common import staff_only


def action_forms(user, dossier: Dossier, bound=None) -> list:
    """A form for each action the table allows now and the user may take (`bound` replaces its own)."""
    forms = []
    for action in allowed_actions(dossier.status, received=dossier.is_received):
        if action not in ACTION_FORMS or not can_act_on_dossier(user, dossier, action):
            continue
        if action == Action.REDATE and dossier.redated_at is not None:
            continue
        if bound is not None and bound.action == action:
            forms.append(bound)
        else:
            forms.append(ACTION_FORMS[action](dossier=dossier))
    return forms


def _load(user, code: str) -> Dossier:
    try:
        return staff_dossier(user, code)
    except Dossier.DoesNotExist:
        raise Http404 from None


def _render(request, dossier: Dossier, *, bound=None, problem: str = "", status: int = 200):
    rating = rating_of(dossier)
    context = {
        "rating": rating_view(rating),
        "may_record_rating": rating is None
        and is_open_for_rating(dossier)
        and can_record_paper_rating(request.user, dossier),
        "dossier": dossier,
        "documents": dossier.documents.all(),
        "history": dossier.history.all(),
        "control_slip": dossier.control_slip.all(),
        "slips": slips_for(dossier, request.user),
        "may_print_control_slip": may_print_control_slip(request.user, dossier),
        "forms": action_forms(request.user, dossier, bound),
        "problem": problem,
        "apology": my_open_apologies(request.user).filter(dossier=dossier).first(),
        "access_log": dossier_access_log(dossier) if can_see_access_log(request.user) else None,
    }
    return render(request, "procedures/staff/dossier_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_only(can_use_staff_dossier_pages)
def staff_dossier_detail(request, code: str):
    dossier = _load(request.user, code)
    if request.method == "GET":
        dossier_access_record(user=request.user, dossier=dossier, kind=AccessKind.PAGE)
        return _render(request, dossier)
    try:
        action = Action(request.POST.get("action", ""))
        form_class = ACTION_FORMS[action]
    except (ValueError, KeyError):
        return _render(request, dossier, problem=_("Unknown action."), status=400)
    if not can_act_on_dossier(request.user, dossier, action):
        raise PermissionDenied
    form = form_class(request.POST, dossier=dossier)
    if not form.is_valid():
        return _render(request, dossier, bound=form, status=400)
    try:
        dossier_transition(
            actor=request.user,
            dossier=dossier.code,
            action=action,
            expected_status=form.cleaned_data["expected_status"],
            **form.transition_kwargs(),
        )
    except Conflict as exc:
        return _render(request, _load(request.user, code), problem=str(exc), status=409)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return _render(request, dossier, bound=form, status=400)
    messages.success(request, _("Done: %(action)s.") % {"action": action.label})
    return redirect("staff_dossier_detail", code=dossier.code)


@require_GET
@staff_only(can_use_staff_dossier_pages)
def staff_dossier_document(request, code: str, document_id: int):
    """A submitted file, as an attachment with nosniff; the download is logged."""
    try:
        document = staff_document(request.user, code, document_id)
    except DossierDocument.DoesNotExist:
        raise Http404 from None
    dossier_access_record(user=request.user, dossier=document.dossier, kind=AccessKind.FILE, document=document)
    return dossier_document_response(document)
