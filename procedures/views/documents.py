"""A dossier's printed papers: the list page, the PDF (first print or reprint), a control slip on demand.

Thin: the selectors decide what the caller may reach (outside it: 404), the services render and count.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from procedures.models import Dossier, IssuedDocument
from procedures.selectors.documents import (
    dossier_for_slips,
    issued_document_for_download,
    may_print_control_slip,
    slips_for,
)
from procedures.services.documents import control_slip_issue, issued_document_pdf


def _dossier(request, code: str) -> Dossier:
    try:
        return dossier_for_slips(request.user, code)
    except Dossier.DoesNotExist:
        raise Http404(_("No dossier with code %(code)s.") % {"code": code[:40]}) from None


@require_GET
@login_required
def slip_list(request, code: str):
    dossier = _dossier(request, code)
    context = {
        "dossier": dossier,
        "slips": slips_for(dossier, request.user),
        "can_print_control_slip": may_print_control_slip(request.user, dossier),
    }
    return render(request, "procedures/documents/slip_list.html", context)


@require_GET
@login_required
def slip_download(request, code: str, document_id: int):
    """The PDF, shown inline so the browser's print button prints it; `?reprint=1` adds the reprint line."""
    try:
        document = issued_document_for_download(request.user, code, document_id)
    except IssuedDocument.DoesNotExist:
        raise Http404(_("No such document.")) from None
    reprint = request.GET.get("reprint") == "1"
    response = HttpResponse(issued_document_pdf(document=document, reprint=reprint), content_type="application/pdf")
    suffix = "-ban-in-lai" if reprint else ""
    response["Content-Disposition"] = f'inline; filename="{code}-{document.kind}-{document.pk}{suffix}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def control_slip_print(request, code: str):
    """Staff of the unit print the control slip as it stands now; then the PDF opens."""
    try:
        document = control_slip_issue(actor=request.user, dossier=code)
    except Dossier.DoesNotExist:
        raise Http404(_("No dossier with code %(code)s.") % {"code": code[:40]}) from None
    messages.success(request, _("The control slip was issued."))
    return redirect("slip_download", code=code, document_id=document.pk)
