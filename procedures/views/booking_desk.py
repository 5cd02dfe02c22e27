"""Desk pages: today's bookings and queue per counter (check-in, walk-in, call next, recall, start, finish,
no-show, transfer), the kiosk, the public display screen and the statistics. Thin: one service per POST."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.units.models import Unit
from procedures.forms.booking import (
    BookingSettingsForm,
    CapacityForm,
    CheckInForm,
    CounterForm,
    TransferForm,
    WalkInForm,
)
from procedures.models import BookingSettings, Counter, Procedure, SlotCapacity, Ticket, TicketStatus
from procedures.permissions import can_edit_booking_capacity, can_view_queue_stats, can_work_desk
from procedures.selectors.booking import booking_rules, display_data, local_day, queue_of, queue_stats, unit_bookings_on
from procedures.services import booking_queue as queue
from procedures.services.booking import booking_settings_save, counter_save, slot_capacity_set_day

TICKET_ACTIONS = {
    "recall": queue.ticket_recall,
    "start": queue.ticket_start,
    "finish": queue.ticket_finish,
    "no-show": queue.ticket_no_show,
    "reactivate": queue.ticket_reactivate,
}


def _desk_unit(request) -> Unit:
    unit = getattr(request.user, "unit", None)
    if not can_work_desk(request.user, unit):
        raise PermissionDenied
    return unit


def _procedures(unit: Unit):
    """Active procedures some open counter of the unit serves."""
    counters = Counter.objects.filter(unit=unit, is_active=True)
    if counters.filter(fields__isnull=True).exists():
        return Procedure.objects.filter(is_active=True).order_by("name")
    return Procedure.objects.filter(is_active=True, field__in=counters.values("fields")).order_by("name")


@login_required
@require_GET
def desk_queue(request):
    unit = _desk_unit(request)
    today = local_day(timezone.now())
    counters = list(Counter.objects.filter(unit=unit, is_active=True).order_by("number"))
    active = {
        t.counter_id: t
        for t in Ticket.objects.filter(
            unit=unit, day=today, status__in=[TicketStatus.CALLED, TicketStatus.SERVING]
        ).select_related("issued_counter", "procedure")
    }
    rows = [
        {
            "counter": c,
            "current": active.get(c.pk),
            "waiting": list(queue_of(c, today)[:30]),
            "transfer": TransferForm(counters=Counter.objects.filter(unit=unit, is_active=True).exclude(pk=c.pk)),
        }
        for c in counters
    ]
    no_shows = Ticket.objects.filter(unit=unit, day=today, status=TicketStatus.NO_SHOW).select_related("issued_counter")
    return render(
        request,
        "procedures/booking/desk.html",
        {
            "unit": unit,
            "rows": rows,
            "no_shows": no_shows,
            "bookings": unit_bookings_on(unit, today),
            "check_in": CheckInForm(),
            "walk_in": WalkInForm(procedures=_procedures(unit)),
        },
    )


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@login_required
@require_POST
def desk_check_in(request):
    _desk_unit(request)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Type the booking code shown by the citizen."))
        return redirect("desk_queue")
    try:
        ticket = queue.ticket_check_in(
            actor=request.user, code=form.cleaned_data["code"], priority=form.cleaned_data["priority"]
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request, _("Ticket %(ticket)s issued at %(counter)s.") % {"ticket": ticket.label, "counter": ticket.counter}
        )
    return redirect("desk_queue")


def _walk_in(request, unit):
    form = WalkInForm(request.POST, procedures=_procedures(unit))
    if not form.is_valid():
        return form, None
    try:
        ticket = queue.ticket_walk_in(
            unit=unit,
            procedure=form.cleaned_data["procedure"],
            priority=form.cleaned_data["priority"],
            actor=request.user,
        )
    except ValidationError as exc:
        form.add_error(None, exc.messages[0])
        return form, None
    return form, ticket


@login_required
@require_POST
def desk_walk_in(request):
    unit = _desk_unit(request)
    form, ticket = _walk_in(request, unit)
    if ticket is None:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        messages.success(
            request, _("Ticket %(ticket)s issued at %(counter)s.") % {"ticket": ticket.label, "counter": ticket.counter}
        )
    return redirect("desk_queue")


@login_required
@require_http_methods(["GET", "POST"])
def desk_kiosk(request):
    """A walk-in ticket machine on a tablet by the door (signed in as a desk officer of the unit)."""
    unit = _desk_unit(request)
    ticket = None
    if request.method == "POST":
        form, ticket = _walk_in(request, unit)
        if ticket is not None:
            form = WalkInForm(procedures=_procedures(unit))
    else:
        form = WalkInForm(procedures=_procedures(unit))
    return render(
        request,
        "procedures/booking/kiosk.html",
        {"unit": unit, "form": form, "ticket": ticket},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def desk_call_next(request, counter_id: int):
    unit = _desk_unit(request)
    counter = get_object_or_404(Counter, pk=counter_id, unit=unit)
    try:
        ticket = queue.ticket_call_next(actor=request.user, counter=counter)
    except ValidationError as exc:
        _error(request, exc)
    else:
        if ticket is None:
            messages.info(request, _("Nobody is waiting at %(counter)s.") % {"counter": counter})
        else:
            messages.success(
                request, _("Calling %(ticket)s to %(counter)s.") % {"ticket": ticket.label, "counter": counter}
            )
    return redirect("desk_queue")


@login_required
@require_POST
def desk_ticket(request, ticket_id: int, action: str):
    unit = _desk_unit(request)
    if action not in TICKET_ACTIONS and action != "transfer":
        raise Http404
    try:
        if action == "transfer":
            form = TransferForm(request.POST, counters=Counter.objects.filter(unit=unit, is_active=True))
            if not form.is_valid():
                raise ValidationError(_("Choose an open counter of this unit."))
            queue.ticket_transfer(actor=request.user, ticket_id=ticket_id, to_counter=form.cleaned_data["counter"])
        else:
            TICKET_ACTIONS[action](actor=request.user, ticket_id=ticket_id)
    except Ticket.DoesNotExist:
        raise Http404 from None
    except ValidationError as exc:
        _error(request, exc)
    return redirect("desk_queue")


@require_GET
def queue_display(request, unit_code: str):
    """The public screen: numbers and counters only, refreshed by static/js/queue_display.js."""
    unit = Unit.objects.filter(code=unit_code[:40], is_active=True).first()
    if unit is None:
        raise Http404
    return render(request, "procedures/booking/display.html", {"data": display_data(unit), "unit": unit})


def _day(raw: str, default: date) -> date:
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        return default


@login_required
@require_GET
def desk_stats(request):
    """Average wait and service time per counter and per officer (desk officers: their unit; leaders: theirs
    or, with ?don-vi=, a unit below)."""
    code = request.GET.get("don-vi", "")[:40]
    unit = Unit.objects.filter(code=code).first() if code else getattr(request.user, "unit", None)
    if code and unit is None:
        raise Http404
    if not can_view_queue_stats(request.user, unit):
        raise PermissionDenied
    today = local_day(timezone.now())
    first = _day(request.GET.get("tu", ""), today)
    last = max(_day(request.GET.get("den", ""), today), first)
    return render(
        request,
        "procedures/booking/stats.html",
        {"unit": unit, "first": first, "last": last, "stats": queue_stats(unit, first, last)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def booking_setup(request):
    """The unit admin's counters (fields served, usual places per slot) and slot capacity (closures, extras)."""
    unit = getattr(request.user, "unit", None)
    if not can_edit_booking_capacity(request.user, unit):
        raise PermissionDenied
    counters = Counter.objects.filter(unit=unit).order_by("number")
    counter_form = CounterForm(prefix="counter")
    capacity_form = CapacityForm(prefix="capacity", counters=counters)
    if request.method == "POST":
        try:
            if "counter-number" in request.POST:
                counter_form = CounterForm(request.POST, prefix="counter", instance=Counter(unit=unit))
                if counter_form.is_valid():
                    counter_save(
                        actor=request.user, counter=counter_form.instance, fields=counter_form.cleaned_data["fields"]
                    )
                    messages.success(request, _("Counter saved."))
                    return redirect("booking_setup")
            else:
                capacity_form = CapacityForm(request.POST, prefix="capacity", counters=counters)
                if capacity_form.is_valid():
                    data = capacity_form.cleaned_data
                    count = slot_capacity_set_day(
                        actor=request.user,
                        counter=data["counter"],
                        day=data["day"],
                        first=data["first"],
                        last=data["last"],
                        capacity=data["capacity"],
                    )
                    messages.success(request, _("Capacity set for %(n)s slots.") % {"n": count})
                    return redirect("booking_setup")
        except ValidationError as exc:
            form = counter_form if "counter-number" in request.POST else capacity_form
            form.add_error(None, exc)
    overrides = (
        SlotCapacity.objects.filter(counter__unit=unit, capacity__isnull=False, start__gte=timezone.now())
        .select_related("counter")
        .order_by("start")[:200]
    )
    status = 400 if counter_form.errors or capacity_form.errors else 200
    return render(
        request,
        "procedures/booking/setup.html",
        {
            "unit": unit,
            "counters": counters.prefetch_related("fields"),
            "counter_form": counter_form,
            "capacity_form": capacity_form,
            "overrides": overrides,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def booking_settings_edit(request):
    """The unit admin's booking rules (days ahead, limits, hold, cut-off, no-shows, priority run)."""
    unit = getattr(request.user, "unit", None)
    if not can_edit_booking_capacity(request.user, unit):
        raise PermissionDenied
    rules = booking_rules(unit)
    initial = {name: getattr(rules, name) for name in BookingSettings.EDITABLE}
    if request.method == "POST":
        form = BookingSettingsForm(request.POST, instance=BookingSettings(unit=unit), initial=initial)
        if form.is_valid():
            try:
                booking_settings_save(actor=request.user, unit=unit, values=form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Booking rules saved."))
                return redirect("booking_settings_edit")
    else:
        form = BookingSettingsForm(instance=BookingSettings(unit=unit), initial=initial)
    return render(
        request,
        "procedures/booking/settings.html",
        {"unit": unit, "form": form, "saved": rules.pk is not None},
        status=400 if form.errors else 200,
    )
