"""The apology letter page (phiếu xin lỗi và hẹn lại ngày trả kết quả): the responsible officer fills in the
letter the sweep drafted — reason and new due time — and issues it through apology_issue (the REDATE rule)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from procedures.forms.staff import RedateForm
from procedures.models import ApologyDraft
from procedures.permissions import can_issue_apology, can_use_staff_dossier_pages
from procedures.selectors.deadline_watch import apology_of
from procedures.services.apologies import apology_issue
from procedures.services.dossiers import Conflict

from .staff_common import staff_only


@require_http_methods(["GET", "POST"])
@staff_only(can_use_staff_dossier_pages)
def apology_letter(request, code: str):
    try:
        apology = apology_of(request.user, code)
    except ApologyDraft.DoesNotExist:
        raise Http404 from None
    if not can_issue_apology(request.user, apology):
        raise PermissionDenied
    dossier = apology.dossier
    issued = apology.issued_at is not None or dossier.redated_at is not None
    form = None if issued else RedateForm(request.POST or None, dossier=dossier)
    problem, status = "", 200
    if request.method == "POST":
        if form is None:
            problem, status = _("This dossier has been re-dated already: a dossier may be re-dated only once."), 409
        elif form.is_valid():
            try:
                apology_issue(
                    actor=request.user,
                    apology=apology,
                    reason=form.cleaned_data["comment"],
                    new_due_at=form.cleaned_data["new_due_at"],
                )
            except Conflict as exc:
                problem, status = str(exc), 409
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
                status = 400
            else:
                messages.success(request, _("The apology letter is issued; the applicant is told the new due time."))
                return redirect("staff_dossier_detail", code=dossier.code)
        else:
            status = 400
    context = {"apology": apology, "dossier": dossier, "form": form, "issued": issued, "problem": problem}
    return render(request, "procedures/staff/apology_letter.html", context, status=status)
