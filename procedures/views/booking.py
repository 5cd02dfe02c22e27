"""Citizen booking pages: choose a day and a free slot, confirm within the hold, see the code and QR,
"my bookings" with reschedule and cancel. Thin: one selector or service per request."""

from __future__ import annotations

from datetime import date, timedelta

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.units.calendar.selectors import default_unit, unit_calendar
from procedures.forms.booking import SlotForm
from procedures.models import Booking
from procedures.permissions import can_book
from procedures.selectors.booking import bookable_days, bookings_of, free_slots
from procedures.selectors.catalogue import procedure_for_detail
from procedures.services.booking import (
    BookingError,
    booking_cancel,
    booking_confirm,
    booking_hold,
    booking_no_wait_note,
    booking_reschedule,
)


def _citizen(request):
    if not can_book(request.user):
        raise PermissionDenied(_("Only a citizen account can book a visit."))


def _own(request, code: str) -> Booking:
    booking = bookings_of(request.user).filter(code=str(code)[:12].upper()).first()
    if booking is None:
        raise Http404
    return booking


def _days(unit) -> list[date]:
    first, last = bookable_days(unit, now=timezone.now())
    calendar = unit_calendar(unit)
    return [
        first + timedelta(days=i)
        for i in range((last - first).days + 1)
        if calendar.is_working_day(first + timedelta(days=i))
    ]


def _chosen_day(request, days: list[date]) -> date | None:
    raw = request.GET.get("ngay", "")[:10]
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        day = None
    if raw and day not in days:
        messages.warning(request, _("That day cannot be booked; choose one of the days shown."))
    if day in days:
        return day
    return days[0] if days else None


def _slot_page(request, *, procedure, unit, template, context, submit):
    """GET: the days and the chosen day's free slots; POST: `submit(start)` or the form with its error."""
    days = _days(unit)
    day = _chosen_day(request, days)
    if request.method == "POST":
        try:
            day = date.fromisoformat(request.POST.get("day", "")[:10])
        except ValueError:
            day = day
    slots = free_slots(unit, procedure, day) if day else []
    form = SlotForm(request.POST or None, slots=slots)
    alternatives = []
    if request.method == "POST" and form.is_valid():
        try:
            return submit(form.cleaned_data["start"])
        except BookingError as exc:
            form.add_error("start", exc.messages[0])
            alternatives = exc.alternatives
    status = 400 if form.errors else 200
    context |= {
        "procedure": procedure,
        "unit": unit,
        "days": days,
        "day": day,
        "form": form,
        "alternatives": alternatives,
        "no_wait_note": booking_no_wait_note(procedure),
    }
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def booking_new(request, code: str):
    _citizen(request)
    procedure = procedure_for_detail(code, user=request.user)
    unit = default_unit()
    if unit is None:
        raise Http404

    def submit(start):
        booking = booking_hold(citizen=request.user, procedure=procedure, unit=unit, start=start)
        return redirect("booking_confirm", code=booking.code)

    return _slot_page(
        request, procedure=procedure, unit=unit, template="procedures/booking/new.html", context={}, submit=submit
    )


@login_required
@require_http_methods(["GET", "POST"])
def booking_confirm_page(request, code: str):
    _citizen(request)
    booking = _own(request, code)
    if request.method == "POST":
        try:
            booking = booking_confirm(citizen=request.user, code=booking.code)
        except BookingError as exc:
            messages.error(request, exc.messages[0])
            return redirect("booking_new", code=booking.procedure.code)
        messages.success(request, _("Your booking is confirmed. A confirmation e-mail is on its way."))
        return redirect("booking_detail", code=booking.code)
    if booking.status != "held":
        return redirect("booking_detail", code=booking.code)
    return render(
        request,
        "procedures/booking/confirm.html",
        {"booking": booking, "note": booking_no_wait_note(booking.procedure)},
    )


def _qr_svg(code: str) -> str:
    return mark_safe(segno.make(code, error="m").svg_inline(scale=6, title=code))  # noqa: S308 — our own SVG


@login_required
def booking_detail(request, code: str):
    _citizen(request)
    booking = _own(request, code)
    return render(
        request,
        "procedures/booking/detail.html",
        {"booking": booking, "qr": _qr_svg(booking.code), "note": booking_no_wait_note(booking.procedure)},
    )


@login_required
def booking_list(request):
    _citizen(request)
    return render(request, "procedures/booking/list.html", {"bookings": bookings_of(request.user)[:100]})


@login_required
@require_http_methods(["GET", "POST"])
def booking_reschedule_page(request, code: str):
    _citizen(request)
    booking = _own(request, code)

    def submit(start):
        booking_reschedule(citizen=request.user, code=booking.code, start=start)
        messages.success(request, _("Your booking has been moved."))
        return redirect("booking_detail", code=booking.code)

    return _slot_page(
        request,
        procedure=booking.procedure,
        unit=booking.unit,
        template="procedures/booking/reschedule.html",
        context={"booking": booking},
        submit=submit,
    )


@login_required
@require_POST
def booking_cancel_page(request, code: str):
    _citizen(request)
    booking = _own(request, code)
    try:
        booking_cancel(citizen=request.user, code=booking.code)
    except BookingError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Your booking %(code)s is cancelled.") % {"code": booking.code})
    return redirect("booking_list")
