"""Feedback pages: public /phan-anh/ (send), /phan-anh/tra-cuu/ (status), /phan-anh/tra-loi/ (published answers);
staff /can-bo/phan-anh/ (list), /can-bo/phan-anh/moi/ (log), /can-bo/phan-anh/<code>/ (assign, start, answer,
reject). Thin: parse, call one service or selector, render."""

from __future__ import annotations

import hashlib
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from portal.accounts.lockout import client_ip
from procedures.forms.feedback import (
    STAFF_STATUS_CHOICES,
    FeedbackActionForm,
    FeedbackForm,
    FeedbackLogForm,
    FeedbackStatusForm,
)
from procedures.lookup_limit import lookup_retry_after
from procedures.models import Feedback
from procedures.permissions import (
    can_answer_feedback,
    can_assign_feedback,
    can_log_feedback,
    can_use_feedback_pages,
    feedback_assignees,
    feedback_visible_to,
)
from procedures.selectors.feedback import (
    STATUS_FILTERS,
    feedback_public_status,
    my_feedback_notices,
    published_answers,
    staff_feedback_list,
)
from procedures.services.feedback import (
    FeedbackConflict,
    feedback_answer,
    feedback_assign,
    feedback_log,
    feedback_reject,
    feedback_start,
    feedback_submit,
    feedback_timeliness,
)

from .staff_common import page_of, staff_only

SENT_KEY = "feedback_sent_code"


def _too_many(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return ngettext(
        "Too many attempts. Try again in %(minutes)d minute.",
        "Too many attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def _submit_retry_after(request) -> int | None:
    """Count one submission by this client (fixed window, as the lookup's); seconds to wait once over."""
    window = settings.LOOKUP_RATE_WINDOW_SECONDS
    now = time.time()
    index = int(now // window)
    digest = hashlib.sha256((client_ip(request) or "unknown").encode()).hexdigest()[:32]
    key = f"feedback-submit:{index}:{digest}"
    cache.add(key, 0, timeout=window + 1)
    try:
        used = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window + 1)
        used = 1
    if used > settings.FEEDBACK_SUBMIT_RATE_PER_CLIENT:
        return max(1, int((index + 1) * window - now))
    return None


def _with_headers(response, headers):
    for name, value in headers.items():
        response[name] = value
    return response


@require_http_methods(["GET", "POST"])
def feedback_new(request):
    """The public form; after sending, the page shows the code (kept in the session for one view)."""
    status, headers, context = 200, {}, {}
    if request.method == "POST":
        form = FeedbackForm(request.POST, user=request.user)
        valid = form.is_valid()
        # Counted once the input is well-formed: typing mistakes cost nothing, sending (and trying dossier codes
        # and phones, which the dossier check would otherwise let one probe) does — per client and, with a
        # dossier code, per code like the lookup.
        retry_after = _submit_retry_after(request) if valid else None
        if valid and retry_after is None and form.cleaned_data["dossier_code"]:
            retry_after = lookup_retry_after(request, form.cleaned_data["dossier_code"].strip().upper())
        if retry_after is not None:
            status, headers["Retry-After"] = 429, str(retry_after)
            context["problem"] = _too_many(retry_after)
        elif valid:
            data = form.cleaned_data
            try:
                feedback = feedback_submit(
                    kind=data["kind"],
                    subject=data["subject"],
                    content=data["content"],
                    sender_name=data["sender_name"],
                    sender_phone=data["sender_phone"],
                    sender_email=data["sender_email"],
                    unit=data["unit"],
                    dossier_code=data["dossier_code"],
                    dossier_phone=data["dossier_phone"],
                    procedure=data["procedure"],
                    sender=request.user,
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
                status = 400
            else:
                request.session[SENT_KEY] = feedback.code
                return redirect(reverse("feedback_new") + "?gui=1")
        else:
            status = 400
    else:
        initial = {"procedure": request.GET.get("thu-tuc", "")[:20], "dossier_code": request.GET.get("ho-so", "")[:40]}
        form = FeedbackForm(initial=initial, user=request.user)
        if request.GET.get("gui"):
            context["sent_code"] = request.session.pop(SENT_KEY, None)
    context["form"] = form
    return _with_headers(render(request, "procedures/feedback/new.html", context, status=status), headers)


@require_GET
def feedback_status(request):
    """Status by code and the sender's phone or e-mail; one answer for an unknown code and a wrong contact."""
    context: dict = {}
    status, headers = 200, {}
    if "contact" in request.GET:
        form = FeedbackStatusForm(request.GET)
        if not form.is_valid():
            status = 400
        else:
            code = form.cleaned_data["code"].strip().upper()
            retry_after = lookup_retry_after(request, f"feedback:{code}")
            if retry_after is not None:
                status, headers["Retry-After"] = 429, str(retry_after)
                context["problem"] = _too_many(retry_after)
            else:
                context["found"] = feedback_public_status(code, form.cleaned_data["contact"])
                if context["found"] is None:
                    status = 404
                    context["problem"] = _(
                        "No feedback matches this code and contact. Check both against your confirmation."
                    )
    else:
        form = FeedbackStatusForm(initial={"code": request.GET.get("code", "")[:40]})
    context["form"] = form
    return _with_headers(render(request, "procedures/feedback/status.html", context, status=status), headers)


@require_GET
def feedback_answers(request):
    return render(request, "procedures/feedback/answers.html", {"page": page_of(published_answers(), request)})


# --- staff --------------------------------------------------------------------------------------------------


@require_GET
@staff_only(can_use_feedback_pages)
def staff_feedback_list_page(request):
    status = request.GET.get("status", "open")
    status = status if status in STATUS_FILTERS or status == "" else "open"
    overdue = request.GET.get("overdue") == "1"
    sort = request.GET.get("sort", "due")
    rows = staff_feedback_list(request.user, status=status, overdue=overdue, sort=sort)
    return render(
        request,
        "procedures/feedback/staff_list.html",
        {
            "page": page_of(rows, request),
            "status": status,
            "overdue": overdue,
            "sort": sort,
            "status_choices": STAFF_STATUS_CHOICES,
            "notices": my_feedback_notices(request.user),
            "can_log": can_log_feedback(request.user),
            "query_string": urlencode({"status": status, "sort": sort, **({"overdue": "1"} if overdue else {})}),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_only(can_log_feedback)
def staff_feedback_new(request):
    assignees = feedback_assignees(request.user.unit_id)
    status = 200
    if request.method == "POST":
        form = FeedbackLogForm(request.POST, assignees=assignees)
        if form.is_valid():
            data = form.cleaned_data
            try:
                feedback = feedback_log(actor=request.user, **data)
            except ValidationError as exc:
                form.add_service_errors(exc)
                status = 400
            else:
                return redirect("staff_feedback_detail", code=feedback.code)
        else:
            status = 400
    else:
        form = FeedbackLogForm(assignees=assignees)
    return render(request, "procedures/feedback/staff_new.html", {"form": form}, status=status)


ACTIONS = {
    "assign": lambda user, fb, d: feedback_assign(
        actor=user, feedback=fb, assignee=d["assigned_to"], version=d["version"]
    ),
    "start": lambda user, fb, d: feedback_start(actor=user, feedback=fb, version=d["version"]),
    "answer": lambda user, fb, d: feedback_answer(
        actor=user, feedback=fb, answer=d["answer"], published=d["published"], version=d["version"]
    ),
    "reject": lambda user, fb, d: feedback_reject(actor=user, feedback=fb, reason=d["reason"], version=d["version"]),
}


@require_http_methods(["GET", "POST"])
@login_required
def staff_feedback_detail(request, code: str):
    if not can_use_feedback_pages(request.user):
        raise PermissionDenied
    try:
        feedback = (
            feedback_visible_to(request.user)
            .select_related("unit", "assigned_to", "logged_by", "answered_by", "procedure", "dossier")
            .get(code=code)
        )
    except Feedback.DoesNotExist:
        raise Http404 from None
    assignees = feedback_assignees(feedback.unit_id)
    status, problem, failed = 200, None, None
    if request.method == "POST":
        form = FeedbackActionForm(request.POST, assignees=assignees)
        if form.is_valid():
            data = form.cleaned_data
            try:
                ACTIONS[data["action"]](request.user, feedback, data)
            except FeedbackConflict as exc:
                status, problem = 409, str(exc)
            except PermissionDenied:
                raise
            except ValidationError as exc:
                form.add_service_errors(exc)
                status, failed = 400, form
            else:
                return redirect("staff_feedback_detail", code=feedback.code)
        else:
            status, failed = 400, form
        feedback.refresh_from_db()
    fresh = FeedbackActionForm(
        initial={"version": feedback.version, "published": True, "assigned_to": feedback.assigned_to_id},
        assignees=assignees,
    )
    context = {
        "feedback": feedback,
        "events": feedback.events.select_related("actor", "assignee"),
        "form": failed or fresh,
        "fresh": fresh,
        "problem": problem,
        "timeliness": feedback_timeliness(feedback),
        "can_assign": can_assign_feedback(request.user, feedback),
        "can_answer": can_answer_feedback(request.user, feedback),
        "is_open": feedback.status in ("received", "in_progress"),
    }
    return render(request, "procedures/feedback/staff_detail.html", context, status=status)
