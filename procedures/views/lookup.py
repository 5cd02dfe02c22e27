"""The public lookup page /tra-cuu/: the same form, limits and answers as GET /api/lookup/."""

from __future__ import annotations

from django.urls import reverse
from django.views.decorators.http import require_GET

from portal.layout import render_in_layout
from procedures.api.lookup import not_found_message, too_many_message
from procedures.forms.lookup import LookupForm
from procedures.lookup_limit import lookup_retry_after
from procedures.rating_links import rating_token
from procedures.selectors.dossiers import dossier_public_status
from procedures.services.ratings import RATEABLE_STATUSES


@require_GET
def lookup(request):
    """Without a phone the form is shown, its code prefilled from ``?code=`` (the receipt's QR code opens it)."""
    context: dict = {}
    status = 200
    headers = {}
    if "phone" in request.GET:
        form = LookupForm(request.GET)
        if not form.is_valid():
            status = 400
        else:
            code, phone = form.cleaned_data["code"], form.cleaned_data["phone"]
            retry_after = lookup_retry_after(request, code)
            if retry_after is not None:
                status, headers["Retry-After"] = 429, str(retry_after)
                context["problem"] = too_many_message(retry_after)
            else:
                context["found"] = dossier_public_status(code, phone)
                if context["found"] is None:
                    status, context["problem"] = 404, not_found_message()
                elif context["found"].status in RATEABLE_STATUSES:
                    # Code and phone are the proof /danh-gia/ asks for: hand over a signed rating link.
                    context["rating_link"] = f"{reverse('rating_page', args=[code])}?k={rating_token(code)}"
    else:
        form = LookupForm(initial={"code": request.GET.get("code", "")[:40]})
    context["form"] = form
    return render_in_layout(
        request,
        "procedures/lookup.html",
        "procedures/includes/lookup_content.html",
        context,
        status=status,
        headers=headers,
    )
