"""Receiving in person at the desk: choose the procedure, find (or open) the citizen's account, tick the
checklist, optional scans; and the no-wait fast track, which adds the arrival time and returns in one visit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.accounts.services import AccountExists, citizen_create_at_desk
from procedures.domain.workflow import DossierStatus
from procedures.forms.staff import ApplicantForm, ArrivalForm, ChecklistForm
from procedures.models import Dossier, Ticket
from procedures.permissions import can_receive_in_person_page
from procedures.selectors.booking import ticket_to_receive
from procedures.selectors.work_queues import find_citizen, procedures_received_by, staff_dossier
from procedures.services.booking_queue import ticket_receive_dossier
from procedures.services.dossiers import Conflict, dossier_receive_in_person
from procedures.services.no_wait import dossier_no_wait_complete, dossier_no_wait_receive

from .staff_common import page_of, staff_only


def _procedure_choice(request, *, no_wait: bool | None):
    """The procedure named by ?procedure= (or the POST), among those the unit receives; None when not chosen."""
    code = (request.POST.get("procedure") or request.GET.get("procedure") or "").strip()[:40]
    if not code:
        return None
    procedure = procedures_received_by(request.user.unit, no_wait=no_wait).filter(code=code).first()
    if procedure is None:
        raise Http404
    return procedure


def _desk_ticket(request):
    """The desk ticket (?ticket=<id>) whose dossier this receipt is, or None; 404 when it is not one to receive."""
    raw = (request.POST.get("ticket") or request.GET.get("ticket") or "").strip()[:12]
    if not raw:
        return None
    try:
        return ticket_to_receive(request.user, int(raw))
    except (ValueError, Ticket.DoesNotExist):
        raise Http404 from None


def _ticket_initial(ticket) -> dict:
    """The booking's citizen, found by phone (or CCCD) when the page opens."""
    citizen = ticket.booking.citizen if ticket and ticket.booking_id else None
    return {"identifier": (citizen.phone or citizen.cccd or "")} if citizen else {}


def _applicant(request, form: ApplicantForm):
    """The chosen citizen: found by phone or CCCD, else a new account from the form (inside the receipt's
    transaction, so a refused receipt opens no account). None, with the form's error, when neither."""
    data = form.cleaned_data
    if data.get("identifier"):
        citizen = find_citizen(data["identifier"])
        if citizen is not None:
            return citizen
        if not data.get("full_name"):
            form.add_error("identifier", _("No citizen's account has this phone or CCCD; open one below."))
            return None
    try:
        return citizen_create_at_desk(
            actor=request.user, full_name=data["full_name"], phone=data["phone"], cccd=data["cccd"], email=data["email"]
        )
    except AccountExists as exc:
        form.add_error(None, exc.message)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
    return None


def _receipt_page(request, *, no_wait: bool, template: str, receive):
    search = request.GET.get("q", "").strip()[:100]
    ticket = _desk_ticket(request)
    if ticket is not None and ticket.procedure.no_wait != no_wait:
        name = "dossier_no_wait" if ticket.procedure.no_wait else "dossier_receive_in_person"
        return redirect(f"{reverse(name)}?ticket={ticket.pk}")
    procedure = ticket.procedure if ticket else _procedure_choice(request, no_wait=True if no_wait else None)
    context = {"search": search, "procedure": procedure, "no_wait": no_wait, "ticket": ticket}
    if procedure is None:
        context["page_obj"] = page_of(
            procedures_received_by(request.user.unit, search=search, no_wait=True if no_wait else None), request
        )
        return render(request, template, context)
    status = 200
    if request.method == "POST":
        applicant_form = ApplicantForm(request.POST, prefix="applicant")
        checklist = ChecklistForm(request.POST, request.FILES, procedure=procedure)
        arrival = ArrivalForm(request.POST, prefix="arrival") if no_wait and not ticket else None
        valid = applicant_form.is_valid() & checklist.is_valid() & (arrival.is_valid() if arrival else True)
        if valid and request.POST.get("intent") == "find":
            context["found"] = find_citizen(applicant_form.cleaned_data.get("identifier") or "")
            context["searched"] = True
        elif valid:
            try:
                with transaction.atomic():
                    applicant = _applicant(request, applicant_form)
                    if applicant is None:
                        raise _NoApplicant
                    if ticket is not None:
                        dossier = ticket_receive_dossier(
                            actor=request.user,
                            ticket_id=ticket.pk,
                            applicant=applicant,
                            documents_checked=checklist.ticked(),
                            files=checklist.scans(),
                        )
                    else:
                        dossier = receive(
                            request,
                            applicant,
                            procedure,
                            checklist,
                            arrival.cleaned_data["arrived_at"] if arrival else None,
                        )
            except _NoApplicant:
                pass
            except Ticket.DoesNotExist:
                raise Http404 from None
            except ValidationError as exc:
                for message in exc.messages:
                    checklist.add_error(None, message)
            else:
                messages.success(request, _("Received: dossier %(code)s.") % {"code": dossier.code})
                name = "dossier_no_wait_detail" if no_wait else "staff_dossier_detail"
                return redirect(name, code=dossier.code)
        status = 400 if request.POST.get("intent") != "find" or not valid else 200
    else:
        applicant_form = ApplicantForm(prefix="applicant", initial=_ticket_initial(ticket))
        checklist = ChecklistForm(procedure=procedure)
        arrival = ArrivalForm(prefix="arrival") if no_wait and not ticket else None
    context.update(applicant_form=applicant_form, checklist=checklist, arrival=arrival)
    return render(request, template, context, status=status)


class _NoApplicant(Exception):
    """The applicant form has the error; roll back and show it."""


def _receive(request, applicant, procedure, checklist, _arrived_at):
    return dossier_receive_in_person(
        actor=request.user,
        applicant=applicant,
        procedure=procedure,
        documents_checked=checklist.ticked(),
        files=checklist.scans(),
    )


def _receive_no_wait(request, applicant, procedure, checklist, arrived_at):
    return dossier_no_wait_receive(
        actor=request.user,
        applicant=applicant,
        procedure=procedure,
        documents_checked=checklist.ticked(),
        files=checklist.scans(),
        arrived_at=arrived_at,
    )


@require_http_methods(["GET", "POST"])
@staff_only(can_receive_in_person_page)
def dossier_receive_in_person_page(request):
    return _receipt_page(request, no_wait=False, template="procedures/staff/receive.html", receive=_receive)


@require_http_methods(["GET", "POST"])
@staff_only(can_receive_in_person_page)
def dossier_no_wait(request):
    return _receipt_page(request, no_wait=True, template="procedures/staff/receive.html", receive=_receive_no_wait)


@require_http_methods(["GET", "POST"])
@staff_only(can_receive_in_person_page)
def dossier_no_wait_detail(request, code: str):
    """The no-wait dossier while the citizen waits: the elapsed time, and finish-and-return in one click."""
    try:
        dossier = staff_dossier(request.user, code)
    except Dossier.DoesNotExist:
        raise Http404 from None
    if dossier.arrived_at is None:
        raise Http404
    status, problem = 200, ""
    if request.method == "POST":
        try:
            dossier_no_wait_complete(
                actor=request.user, dossier=dossier.code, expected_status=request.POST.get("expected_status", "")
            )
        except Conflict as exc:
            status, problem = 409, str(exc)
        except ValidationError as exc:
            status, problem = 400, " ".join(exc.messages)
        else:
            messages.success(request, _("The result was returned to the citizen."))
            return redirect("dossier_no_wait_detail", code=dossier.code)
        dossier = staff_dossier(request.user, code)
    context = {
        "dossier": dossier,
        "problem": problem,
        "can_complete": dossier.status in (DossierStatus.RECEIVED, DossierStatus.IN_PROGRESS),
    }
    return render(request, "procedures/staff/no_wait_detail.html", context, status=status)
