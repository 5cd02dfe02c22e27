"""The public lookup page /tra-cuu/: the same form, limits and answers as GET /api/lookup/."""

from __future__ import annotations

from django.views.decorators.http import require_GET

from portal.layout import render_in_layout
from procedures.api.lookup import not_found_message, too_many_message
from procedures.forms.lookup import LookupForm
from procedures.lookup_limit import lookup_retry_after
from procedures.rating_links import rating_link_path
from procedures.selectors.dossiers import dossier_public_status
from procedures.services.ratings import RATEABLE_STATUSES


def checked_lookup(request, form: LookupForm) -> tuple[int, dict, dict]:
    """The code + phone check the lookup page and the rating page share: the rate limits, then the same 404 for
    a wrong phone and an unknown code. Returns (status, context, headers); ``context["found"]`` on success."""
    if not form.is_valid():
        return 400, {}, {}
    code, phone = form.cleaned_data["code"], form.cleaned_data["phone"]
    retry_after = lookup_retry_after(request, code)
    if retry_after is not None:
        return 429, {"problem": too_many_message(retry_after)}, {"Retry-After": str(retry_after)}
    found = dossier_public_status(code, phone)
    if found is None:
        return 404, {"problem": not_found_message()}, {}
    return 200, {"found": found}, {}


@require_GET
def lookup(request):
    """Without a phone the form is shown, its code prefilled from ``?code=`` (the receipt's QR code opens it)."""
    # Every name the content template reads is given: a missing one costs the template engine an exception.
    status, context, headers = 200, {"found": None, "problem": "", "rating_link": ""}, {}
    if "phone" in request.GET:
        form = LookupForm(request.GET)
        status, answer, headers = checked_lookup(request, form)
        context.update(answer)
        found = context["found"]
        if found is not None and found.status in RATEABLE_STATUSES:
            # Code and phone are the proof /danh-gia/ asks for: hand over a signed rating link.
            context["rating_link"] = rating_link_path(found.code)
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
