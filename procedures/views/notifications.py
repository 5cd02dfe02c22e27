"""In-app notifications for any signed-in user: their outbox rows of the in-app channel, newest first, one
sentence each in the reader's language, a link to the dossier page meant for them, and "mark as read"."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_POST

from procedures.domain.workflow import Action
from procedures.permissions import can_use_citizen_pages
from procedures.selectors.dossiers import CITIZEN_COMMENTS, notifications_for
from procedures.services.notifications import notifications_mark_read

PAGE_SIZE = 20

# For the applicant: what happened to their dossier.
APPLICANT_SENTENCES = {
    Action.SUBMIT: gettext_noop("Your dossier %(code)s was submitted online; the desk will check it."),
    Action.RECEIVE: gettext_noop("Your dossier %(code)s was received; result due %(due)s."),
    Action.RECEIVE_IN_PERSON: gettext_noop("Your dossier %(code)s was received at the desk; result due %(due)s."),
    Action.RETURN_FOR_GUIDANCE: gettext_noop("Your dossier %(code)s needs more documents before it can be received."),
    Action.RESUBMIT: gettext_noop("Your dossier %(code)s was sent again to the desk."),
    Action.REFUSE: gettext_noop("Your dossier %(code)s was not accepted."),
    Action.ASSIGN: gettext_noop("Your dossier %(code)s is being processed."),
    Action.REQUEST_SUPPLEMENT: gettext_noop(
        "Your dossier %(code)s needs a supplement; the clock is stopped until you send it."
    ),
    Action.SUPPLEMENT: gettext_noop("The supplement to your dossier %(code)s arrived; result due %(due)s."),
    Action.SUBMIT_FOR_APPROVAL: gettext_noop("Your dossier %(code)s is awaiting approval."),
    Action.APPROVE: gettext_noop("The result of your dossier %(code)s is ready."),
    Action.SEND_BACK: gettext_noop("Your dossier %(code)s is being processed."),
    Action.FINISH: gettext_noop("The result of your dossier %(code)s is ready."),
    Action.RETURN_RESULT: gettext_noop("The result of your dossier %(code)s was handed over to you."),
    Action.WITHDRAW: gettext_noop("Your dossier %(code)s was withdrawn."),
    Action.REDATE: gettext_noop("Your dossier %(code)s will be late; we apologise. New due time: %(due)s."),
}
# For staff: a dossier handed to them.
STAFF_SENTENCES = {
    Action.ASSIGN: gettext_noop("Dossier %(code)s was handed to you for processing; due %(due)s."),
    Action.SUBMIT_FOR_APPROVAL: gettext_noop("Dossier %(code)s awaits your approval; due %(due)s."),
    Action.SEND_BACK: gettext_noop("Dossier %(code)s was sent back to you."),
}


def _due_text(dossier) -> str:
    due = dossier.effective_due_at
    if due is None:
        return _("not set yet")
    return date_format(timezone.localtime(due), "H:i d/m/Y")


def notification_sentence(event, *, for_applicant: bool) -> str:
    """One sentence for `event`, in the active language."""
    action = Action(event.kind)
    template = (APPLICANT_SENTENCES if for_applicant else STAFF_SENTENCES).get(action)
    if template is None:
        template = gettext_noop("Dossier %(code)s: %(action)s.")
    return _(template) % {"code": event.dossier.code, "due": _due_text(event.dossier), "action": action.label}


def _reason(event, *, for_applicant: bool) -> str:
    if for_applicant and event.kind not in CITIZEN_COMMENTS:
        return ""
    return event.history.comment


def _link(event, *, for_applicant: bool, citizen: bool) -> str | None:
    if for_applicant and citizen:
        return reverse("my_dossier_detail", kwargs={"code": event.dossier.code})
    return reverse("staff_dossier_detail", kwargs={"code": event.dossier.code})


@login_required
@require_GET
def notifications(request):
    page = Paginator(notifications_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    citizen = can_use_citizen_pages(request.user)
    rows = []
    for event in page.object_list:
        for_applicant = event.dossier.applicant_id == request.user.pk
        rows.append(
            {
                "event": event,
                "sentence": notification_sentence(event, for_applicant=for_applicant),
                "reason": _reason(event, for_applicant=for_applicant),
                "link": _link(event, for_applicant=for_applicant, citizen=citizen),
            }
        )
    return render(request, "notifications/list.html", {"page_obj": page, "rows": rows})


@login_required
@require_POST
def notifications_read(request):
    """POST `event` (one id) marks that one read; without it, all of the user's notifications."""
    raw = request.POST.get("event", "")
    event_ids = [int(raw)] if raw.isdigit() else None
    notifications_mark_read(user=request.user, event_ids=event_ids)
    page = request.POST.get("page", "")
    return redirect(reverse("notifications") + (f"?page={int(page)}" if page.isdigit() else ""))
