"""The citizen's dossier pages: submit online (form → review → confirmation), "my dossiers", a dossier's
page with its files, answering a supplement request, withdrawing. Thin: one selector or service each.

Anonymous visitors go to the login page (and come back); staff get 403 (their pages are /can-bo/…);
another citizen's dossier or file is a 404 (procedures.permissions.dossiers_of_applicant).
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portal.units.calendar.selectors import default_unit
from portal.units.models import Unit
from procedures.domain.workflow import Action, DossierStatus, allowed_actions
from procedures.forms.dossiers import (
    MyDossiersFilterForm,
    SubmissionForm,
    SupplementForm,
    WithdrawForm,
    upload_rules_text,
)
from procedures.models import Dossier, DossierDocument, OnlineLevel, Procedure
from procedures.permissions import can_act_on_dossier, can_use_citizen_pages, procedures_visible_to
from procedures.selectors.dossiers import (
    citizen_history,
    my_dossier,
    my_dossier_by_key,
    my_dossier_document,
    my_dossiers,
    units_offering,
)
from procedures.services.dossier_drafts import (
    dossier_draft_get,
    dossier_draft_save,
    dossier_draft_submit,
    new_draft_key,
)
from procedures.services.dossiers import Conflict, dossier_transition

from ..documents.download import dossier_document_response
from ..selectors.documents import slips_for
from ..selectors.ratings import rating_of, rating_view
from ..services.ratings import is_open_for_rating

PAGE_SIZE = 20
# Where a dossier waiting for the citizen's documents says why: the desk's guidance or the specialist's request.
REQUEST_ACTIONS = frozenset({Action.REQUEST_SUPPLEMENT, Action.RETURN_FOR_GUIDANCE})


def citizen_page(view):
    """Signed in (else the login page, back here after), and a citizen's account (else 403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_use_citizen_pages(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _messages_of(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


# --- online submission ----------------------------------------------------------------------------------


def _procedure(request, code: str) -> Procedure:
    try:
        return procedures_visible_to(request.user).prefetch_related("documents").get(code=code)
    except Procedure.DoesNotExist:
        raise Http404 from None


def _units(procedure: Procedure):
    """Wards and communes receiving the procedure; the portal's own ward first in the select's default."""
    return units_offering(procedure).filter(kind__in=[Unit.Kind.WARD, Unit.Kind.COMMUNE]).order_by("name")


def _unavailable(request, procedure: Procedure, reason: str):
    return render(
        request,
        "procedures/dossiers/citizen_submit_unavailable.html",
        {"procedure": procedure, "reason": reason},
    )


@citizen_page
@require_http_methods(["GET", "POST"])
def dossier_submit(request, code: str):
    procedure = _procedure(request, code)
    if procedure.online_level == OnlineLevel.NONE:
        return _unavailable(
            request, procedure, _("This procedure cannot be submitted online; bring the documents to the desk.")
        )
    units = _units(procedure)
    home = default_unit()  # the API's default unit when none is named
    initial_unit = home if home is not None and units.filter(pk=home.pk).exists() else units.first()
    if initial_unit is None:
        return _unavailable(request, procedure, _("No ward or commune receives this procedure online at the moment."))
    documents = procedure.documents.all()
    if request.method == "POST":
        form = SubmissionForm(request.POST, request.FILES, documents=documents, units=units)
        if form.is_valid():
            key = form.cleaned_data["key"]
            try:
                dossier_draft_save(
                    applicant=request.user,
                    procedure=procedure,
                    unit=form.cleaned_data["unit"],
                    files=form.files_given(),
                    key=key,
                )
            except ValidationError as exc:
                for message in _messages_of(exc):
                    form.add_error(None, message)
            else:
                return redirect("dossier_submit_review", code=procedure.code, key=key)
        status = 400
    else:
        form = SubmissionForm(documents=documents, units=units, initial={"key": new_draft_key(), "unit": initial_unit})
        status = 200
    context = {
        "procedure": procedure,
        "form": form,
        "single_unit": units.count() == 1,
        "upload_rules": upload_rules_text(),
    }
    return render(request, "procedures/dossiers/citizen_submit.html", context, status=status)


@citizen_page
@require_http_methods(["GET", "POST"])
def dossier_submit_review(request, code: str, key: str):
    """What will be submitted; POST submits it. A second POST (double click) lands on the same dossier."""
    procedure = _procedure(request, code)
    draft = dossier_draft_get(applicant=request.user, key=key)
    if draft is None or draft.procedure_id != procedure.pk:
        done = my_dossier_by_key(request.user, key)
        if done is not None:
            return redirect("dossier_submitted", code=done.code)
        messages.warning(request, _("Your draft has expired or was already used; please choose the files again."))
        return redirect("dossier_submit", code=procedure.code)
    unit = Unit.objects.get(pk=draft.unit_id)
    documents = {d.pk: d for d in procedure.documents.all()}
    problems: list[str] = []
    if request.method == "POST":
        try:
            dossier = dossier_draft_submit(applicant=request.user, key=key, procedure=procedure, unit=unit)
        except ValidationError as exc:
            problems = _messages_of(exc)
        else:
            return redirect("dossier_submitted", code=dossier.code)
    context = {
        "procedure": procedure,
        "unit": unit,
        "key": key,
        "files": [(documents.get(f.document_id), f) for f in draft.files],
        "total_size": draft.total_size,
        "problems": problems,
    }
    return render(request, "procedures/dossiers/citizen_review.html", context, status=400 if problems else 200)


@citizen_page
@require_GET
def dossier_submitted(request, code: str):
    try:
        dossier = my_dossier(request.user, code)
    except Dossier.DoesNotExist:
        raise Http404 from None
    return render(request, "procedures/dossiers/citizen_submitted.html", {"dossier": dossier})


# --- my dossiers ----------------------------------------------------------------------------------------


@citizen_page
@require_GET
def my_dossiers_page(request):
    form = MyDossiersFilterForm(request.GET)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    page = Paginator(my_dossiers(request.user, status=status or None), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "procedures/dossiers/citizen_list.html",
        {"form": form, "page_obj": page, "query_string": query.urlencode(), "filtered": bool(status)},
        status=200 if form.is_valid() else 400,
    )


def _own(request, code: str) -> Dossier:
    try:
        return my_dossier(request.user, code)
    except Dossier.DoesNotExist:
        raise Http404 from None


def _citizen_actions(user, dossier: Dossier) -> set[str]:
    """What the citizen may do now: the transition table's actions from this status, that they may take."""
    return {
        action
        for action in allowed_actions(dossier.status, received=dossier.is_received)
        if can_act_on_dossier(user, dossier, action)
    }


def _supplement_action(dossier: Dossier) -> Action:
    """Answering a request: a supplement during processing, a resubmission after the desk's guidance."""
    return Action.SUPPLEMENT if dossier.is_received else Action.RESUBMIT


def _open_request(history) -> object | None:
    return next((entry for entry in reversed(history) if entry.action in REQUEST_ACTIONS), None)


@citizen_page
@require_GET
def my_dossier_detail(request, code: str):
    dossier = _own(request, code)
    history = citizen_history(dossier)
    actions = _citizen_actions(request.user, dossier)
    context = {
        "dossier": dossier,
        "history": history,
        "documents": dossier.documents.all(),
        "slips": slips_for(dossier, request.user),
        "can_supplement": bool(actions & {Action.SUPPLEMENT, Action.RESUBMIT}),
        "can_withdraw": Action.WITHDRAW in actions,
        "request_entry": _open_request(history) if dossier.status == DossierStatus.SUPPLEMENT_REQUESTED else None,
        "rating": rating_view(rating_of(dossier)),
        "can_rate": is_open_for_rating(dossier),
    }
    return render(request, "procedures/dossiers/citizen_detail.html", context)


@citizen_page
@require_GET
def my_dossier_file(request, code: str, document_id: int):
    try:
        document = my_dossier_document(request.user, code, document_id)
    except DossierDocument.DoesNotExist:
        raise Http404 from None
    return dossier_document_response(document)


# --- supplement and withdrawal --------------------------------------------------------------------------


def _moved_on(exc: Conflict) -> str:
    return _(
        "The dossier moved on in the meantime (it is now “%(status)s”); nothing was changed. "
        "Check its page before trying again."
    ) % {"status": DossierStatus(exc.current_status).label}


@citizen_page
@require_http_methods(["GET", "POST"])
def dossier_supplement(request, code: str):
    dossier = _own(request, code)
    action = _supplement_action(dossier)
    history = citizen_history(dossier)
    documents = dossier.procedure.documents.all()
    possible = action in _citizen_actions(request.user, dossier)
    status = 200
    problem = ""
    if request.method == "POST":
        form = SupplementForm(request.POST, request.FILES, documents=documents)
        if form.is_valid():
            try:
                dossier_transition(
                    actor=request.user,
                    dossier=dossier.code,
                    action=action,
                    expected_status=form.cleaned_data["expected_status"],
                    files=form.files_given(),
                )
            except Conflict as exc:
                problem, status = _moved_on(exc), 409
            except ValidationError as exc:
                for message in _messages_of(exc):
                    form.add_error(None, message)
                status = 400
            else:
                messages.success(request, _("Thank you: your documents were sent to the desk."))
                return redirect("my_dossier_detail", code=dossier.code)
        else:
            status = 400
    else:
        form = SupplementForm(documents=documents, initial={"expected_status": dossier.status})
    context = {
        "dossier": dossier,
        "form": form,
        "possible": possible,
        "problem": problem,
        "request_entry": _open_request(history),
        "upload_rules": upload_rules_text(),
    }
    return render(request, "procedures/dossiers/citizen_supplement.html", context, status=status)


@citizen_page
@require_http_methods(["GET", "POST"])
def dossier_withdraw(request, code: str):
    dossier = _own(request, code)
    possible = Action.WITHDRAW in _citizen_actions(request.user, dossier)
    status = 200
    problem = ""
    if request.method == "POST":
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                dossier_transition(
                    actor=request.user,
                    dossier=dossier.code,
                    action=Action.WITHDRAW,
                    expected_status=form.cleaned_data["expected_status"],
                    comment=form.cleaned_data["reason"],
                )
            except Conflict as exc:
                problem, status = _moved_on(exc), 409
            except ValidationError as exc:
                for message in _messages_of(exc):
                    form.add_error(None, message)
                status = 400
            else:
                messages.success(request, _("Your dossier was withdrawn."))
                return redirect(reverse("my_dossier_detail", kwargs={"code": dossier.code}))
        else:
            status = 400
    else:
        form = WithdrawForm(initial={"expected_status": dossier.status})
    context = {"dossier": dossier, "form": form, "possible": possible, "problem": problem}
    return render(request, "procedures/dossiers/citizen_withdraw.html", context, status=status)
