"""Rating pages: /danh-gia/ (code + phone), /danh-gia/<code>/ (signed link or the signed-in applicant) and the
desk's paper rating /can-bo/ho-so/<code>/danh-gia/. Rules: procedures.services.ratings; who: permissions.

- /danh-gia/ checks the code and the applicant's phone exactly like the public lookup (the same form, the
  same rate limits per client and per code, one answer for an unknown code and a wrong phone), then sends
  the visitor to the rating page with a fresh signed link.
- /danh-gia/<code>/?k=… needs a valid token for that code (a tampered, foreign or expired one: 400 and the
  way back to the code + phone form); without a token only the dossier's applicant, signed in, gets in,
  and anyone else is sent to the code + phone form (nothing said about the dossier).
- A rated dossier shows the rating given, never the form again; after rating, the thank-you page.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from procedures.domain.feedback import RatingChannel
from procedures.forms.lookup import LookupForm
from procedures.forms.ratings import RatingForm
from procedures.permissions import (
    can_rate_as_applicant,
    can_record_paper_rating,
    can_use_paper_rating_page,
    dossiers_visible_to,
)
from procedures.rating_links import BadRatingLink, ExpiredRatingLink, rating_link_path, rating_token_check
from procedures.selectors.ratings import dossier_for_rating, rating_of, rating_view
from procedures.services.ratings import RatingRefused, is_open_for_rating, rating_submit

from .lookup import checked_lookup
from .staff_common import staff_only


def _start_url(code: str = "") -> str:
    return reverse("rating_start") + (f"?{urlencode({'code': code})}" if code else "")


def _page_url(code: str, token: str = "", **extra) -> str:
    query = {"k": token} if token else {}
    query.update(extra)
    return reverse("rating_page", args=[code]) + (f"?{urlencode(query)}" if query else "")


@require_http_methods(["GET", "POST"])
def rating_start(request):
    """The code + phone check; on success a redirect to the rating page with a signed link."""
    status, context, headers = 200, {}, {}
    if request.method == "POST":
        form = LookupForm(request.POST)
        status, context, headers = checked_lookup(request, form)
        if status == 200:
            return HttpResponseRedirect(rating_link_path(context["found"].code))
    else:
        form = LookupForm(initial={"code": request.GET.get("code", "")[:40]})
    context["form"] = form
    response = render(request, "procedures/ratings/start.html", context, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def _bad_link(request, code: str, *, expired: bool):
    message = (
        _("This rating link has expired.")
        if expired
        else _("This rating link is not valid: it may have been copied incompletely or changed.")
    )
    context = {"problem": message, "start_url": _start_url(code)}
    return render(request, "procedures/ratings/bad_link.html", context, status=400)


@require_http_methods(["GET", "POST"])
def rating_page(request, code: str):
    token = request.GET.get("k", "")
    if token:
        try:
            rating_token_check(code, token)
        except ExpiredRatingLink:
            return _bad_link(request, code, expired=True)
        except BadRatingLink:
            return _bad_link(request, code, expired=False)
        dossier = dossier_for_rating(code)
        if dossier is None:
            raise Http404
    else:
        dossier = dossier_for_rating(code)
        if dossier is None or not can_rate_as_applicant(request.user, dossier):
            return redirect(_start_url(code))
    status, problem, form = 200, "", None
    if request.method == "POST":
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                rating_submit(dossier=dossier, channel=RatingChannel.ONLINE, **form.service_kwargs())
            except ValidationError as exc:
                form.add_service_errors(exc)
                status = 400
            except RatingRefused as exc:
                problem, status, form = exc.message, 409, None
            else:
                return HttpResponseRedirect(_page_url(code, token, sent="1"))
        else:
            status = 400
        dossier = dossier_for_rating(code)
    rating = rating_of(dossier)
    if rating is None and form is None and is_open_for_rating(dossier):
        form = RatingForm()
    context = {
        "dossier": dossier,
        "rating": rating_view(rating),
        "form": form if rating is None and is_open_for_rating(dossier) else None,
        "problem": problem,
        "thanks": rating is not None and request.GET.get("sent") == "1",
        "action": _page_url(code, token),
        "is_applicant": can_rate_as_applicant(request.user, dossier),
    }
    return render(request, "procedures/ratings/rate.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_only(can_use_paper_rating_page)
def staff_paper_rating(request, code: str):
    """A desk officer types in the paper rating form the citizen filled in at the desk."""
    dossier = dossiers_visible_to(request.user).filter(code=code).first()
    if dossier is None or not can_record_paper_rating(request.user, dossier):
        raise Http404
    status, problem, form = 200, "", None
    if request.method == "POST":
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                rating_submit(
                    dossier=dossier, channel=RatingChannel.PAPER, recorded_by=request.user, **form.service_kwargs()
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
                status = 400
            except PermissionDenied:
                raise
            except RatingRefused as exc:
                problem, status, form = exc.message, 409, None
            else:
                messages.success(request, _("The paper rating was recorded."))
                return redirect("staff_dossier_detail", code=dossier.code)
        else:
            status = 400
    dossier = dossier_for_rating(code)
    rating = rating_of(dossier)
    open_now = rating is None and is_open_for_rating(dossier)
    context = {
        "dossier": dossier,
        "rating": rating_view(rating),
        "form": (form or RatingForm()) if open_now else None,
        "problem": problem,
    }
    return render(request, "procedures/staff/paper_rating.html", context, status=status)
