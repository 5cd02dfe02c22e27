"""Writes on bookings: hold, confirm, reschedule, cancel, lapse; capacity edits (issue 12).

No over-booking: a booking locks the `SlotCapacity` rows of the counters that could serve it
(`SELECT … FOR UPDATE`, in counter order so two bookings never deadlock) and counts the live bookings of
that slot under the lock. A second request for the last place waits for the first to commit, then counts
it. The citizen's own row is locked first, so their per-day limits hold under double clicks too.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.units.calendar.domain.working_time import VIETNAM_TZ
from portal.units.calendar.selectors import unit_calendar
from procedures.domain.booking import day_slots
from procedures.models import Booking, BookingSettings, BookingStatus, Counter, Procedure, SlotCapacity
from procedures.permissions import can_book, can_edit_booking_capacity
from procedures.selectors.booking import (
    bookable_days,
    booking_rules,
    live_bookings,
    local_day,
    nearest_free_starts,
    serving_counters,
)

from .dossiers import _unit_offers

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud at the desk
CODE_LENGTH = 8


class BookingError(ValidationError):
    """Bad input for a booking (400), with the nearest free starts the citizen could take instead."""

    def __init__(self, message, alternatives: list[datetime] | None = None):
        super().__init__(message)
        self.alternatives = alternatives or []


class SlotFull(BookingError):
    """The slot has no place left (409)."""


def local_text(moment: datetime) -> str:
    """A moment as the citizen reads it: Vietnam time, always."""
    return formats.date_format(moment.astimezone(VIETNAM_TZ), "H:i d/m/Y")


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _check_start(unit, procedure: Procedure, start: datetime, now: datetime):
    """The slot that begins at `start`, or a BookingError saying why there is none (with alternatives)."""
    if timezone.is_naive(start):
        raise BookingError(_("Give the time with its time zone, e.g. 2026-03-09T08:00:00+07:00."))

    def fail(message):
        raise BookingError(message, nearest_free_starts(unit, procedure, start, now=now))

    rules = booking_rules(unit)
    first, last = bookable_days(unit, now=now)
    day = local_day(start)
    if start <= now:
        fail(_("This time has already passed."))
    if day > last:
        fail(
            _("Bookings open at most %(days)s days ahead (until %(last)s).")
            % {"days": rules.days_ahead, "last": formats.date_format(last, "d/m/Y")}
        )
    calendar = unit_calendar(unit)
    if not calendar.is_working_day(day):
        fail(_("%(day)s is not a working day at this unit (holiday or weekend).") % {"day": f"{day:%d/%m/%Y}"})
    for slot in day_slots(calendar, day, rules.slot_minutes):
        if slot.start == start:
            return slot
    message = _("%(time)s is not the start of a bookable slot (outside office hours or in a break).")
    fail(message % {"time": local_text(start)})


def _check_citizen(citizen: User, unit, procedure: Procedure, day: date, now: datetime, *, ignore=None):
    """Twice, over the per-day and per-field limits, or too many recent no-shows: one query over the
    citizen's own bookings (a handful of rows through the citizen index)."""
    rules = booking_rules(unit)
    mine = Booking.objects.filter(citizen=citizen)
    if ignore is not None:
        mine = mine.exclude(pk=ignore.pk)
    that_day = live_bookings(now) & Q(day=day)
    counts = mine.aggregate(
        total=Count("id", filter=that_day),
        same=Count("id", filter=that_day & Q(procedure=procedure)),
        field=Count("id", filter=that_day & Q(procedure__field_id=procedure.field_id)),
        code=Max("code", filter=that_day & Q(procedure=procedure)),
        missed=Count(
            "id",
            filter=Q(
                unit=unit,
                status=BookingStatus.LAPSED,
                start__gte=now - timedelta(days=rules.no_show_window_days),
            ),
        ),
    )
    if counts["same"]:
        message = _("You already have a booking for this procedure on that day (%(code)s).")
        raise BookingError(message % {"code": counts["code"]})
    if counts["total"] >= rules.per_day_limit:
        raise BookingError(_("At most %(n)s bookings per person per day.") % {"n": rules.per_day_limit})
    if counts["field"] >= rules.per_field_limit:
        raise BookingError(_("At most %(n)s booking per person per field and day.") % {"n": rules.per_field_limit})
    if rules.no_show_limit and counts["missed"] >= rules.no_show_limit:
        raise BookingError(
            _("You missed %(n)s bookings in the last %(days)s days; please come without a booking this time.")
            % {"n": counts["missed"], "days": rules.no_show_window_days}
        )


def _lock_place(unit, procedure: Procedure, start: datetime, now: datetime) -> Counter:
    """Lock the slot's capacity rows and return a counter with a free place, or raise SlotFull."""
    counters = serving_counters(unit, procedure)
    if not counters:
        raise BookingError(_("This unit takes no bookings for this procedure."))
    locked = SlotCapacity.objects.select_for_update().filter(counter__in=counters, start=start).order_by("counter_id")
    rows = list(locked)
    if len(rows) < len(counters):  # the slot's first booking: create its lock rows, then lock them all
        SlotCapacity.objects.bulk_create(
            [SlotCapacity(counter=c, start=start) for c in counters], ignore_conflicts=True
        )
        rows = list(locked.all())
    taken = dict(
        Booking.objects.filter(live_bookings(now), counter__in=counters, start=start)
        .values_list("counter_id")
        .annotate(n=Count("id"))
        .values_list("counter_id", "n")
    )
    by_id = {c.pk: c for c in counters}
    best, best_free = None, 0
    for row in rows:
        capacity = row.capacity if row.capacity is not None else by_id[row.counter_id].slot_capacity
        free = capacity - taken.get(row.counter_id, 0)
        if free > best_free:
            best, best_free = by_id[row.counter_id], free
    if best is None:
        raise SlotFull(
            _("The slot at %(time)s is full.") % {"time": local_text(start)},
            nearest_free_starts(unit, procedure, start, now=now),
        )
    return best


def _resolve_unit(procedure: Procedure, unit):
    if not _unit_offers(procedure, unit):
        raise BookingError(_("This unit does not receive this procedure."))
    return unit


def _place(*, citizen: User, procedure: Procedure, unit, start: datetime, now: datetime, confirm: bool) -> Booking:
    if not can_book(citizen):
        raise PermissionDenied(_("Only a citizen account can book a visit."))
    _resolve_unit(procedure, unit)
    slot = _check_start(unit, procedure, start, now)
    User.objects.select_for_update().filter(pk=citizen.pk).first()
    _check_citizen(citizen, unit, procedure, local_day(slot.start), now)
    counter = _lock_place(unit, procedure, slot.start, now)
    rules = booking_rules(unit)
    booking = Booking.objects.create(
        code=_new_code(),
        citizen=citizen,
        unit=unit,
        procedure=procedure,
        counter=counter,
        status=BookingStatus.CONFIRMED if confirm else BookingStatus.HELD,
        start=slot.start,
        end=slot.end,
        day=local_day(slot.start),
        hold_until=None if confirm else now + timedelta(minutes=rules.hold_minutes),
        confirmed_at=now if confirm else None,
    )
    if confirm:
        transaction.on_commit(lambda: _enqueue_confirmation(booking.pk))
    return booking


@transaction.atomic
def booking_hold(*, citizen: User, procedure: Procedure, unit, start: datetime, now: datetime | None = None) -> Booking:
    """Hold a place for `hold_minutes` while the citizen confirms; unconfirmed, it frees itself."""
    return _place(
        citizen=citizen, procedure=procedure, unit=unit, start=start, now=now or timezone.now(), confirm=False
    )


def _own(citizen: User, code: str, *, lock=True) -> Booking:
    qs = Booking.objects.select_related("unit", "procedure", "counter")
    if lock:
        qs = qs.select_for_update(of=("self",))
    return qs.get(citizen=citizen, code=str(code)[:12])


@transaction.atomic
def booking_confirm(*, citizen: User, code: str, now: datetime | None = None) -> Booking:
    """Confirm a held booking. Past its hold the place is taken again only if it is still free."""
    now = now or timezone.now()
    booking = _own(citizen, code)
    if booking.status == BookingStatus.CONFIRMED:
        return booking
    if booking.status != BookingStatus.HELD:
        raise BookingError(_("This booking can no longer be confirmed; please book again."))
    if booking.hold_until <= now:
        booking.status = BookingStatus.RELEASED
        booking.save(update_fields=["status"])
        if booking.start <= now:
            raise BookingError(_("This time has already passed."))
        booking.counter = _lock_place(booking.unit, booking.procedure, booking.start, now)
    booking.status = BookingStatus.CONFIRMED
    booking.confirmed_at = now
    booking.hold_until = None
    booking.save(update_fields=["status", "confirmed_at", "hold_until", "counter"])
    transaction.on_commit(lambda: _enqueue_confirmation(booking.pk))
    return booking


def _enqueue_confirmation(booking_id: int) -> None:
    from procedures.tasks import send_booking_confirmation

    send_booking_confirmation.delay(booking_id)


@transaction.atomic
def booking_create(*, citizen: User, procedure: Procedure, unit, start: datetime, now: datetime | None = None):
    """Book and confirm in one step (the API): no hold, the confirmation e-mail after commit."""
    return _place(citizen=citizen, procedure=procedure, unit=unit, start=start, now=now or timezone.now(), confirm=True)


def _check_changeable(booking: Booking, now: datetime) -> None:
    if booking.status not in (BookingStatus.CONFIRMED, BookingStatus.HELD):
        message = _("This booking is %(status)s and can no longer be changed.")
        raise BookingError(message % {"status": booking.get_status_display()})
    cutoff = booking_rules(booking.unit).change_cutoff_minutes
    if booking.start - timedelta(minutes=cutoff) <= now:
        raise BookingError(
            _("Bookings can be changed or cancelled up to %(minutes)s minutes before their time.") % {"minutes": cutoff}
        )


@transaction.atomic
def booking_reschedule(*, citizen: User, code: str, start: datetime, now: datetime | None = None) -> Booking:
    """Move a booking to another slot of the same unit and procedure; the code stays."""
    now = now or timezone.now()
    User.objects.select_for_update().filter(pk=citizen.pk).first()
    booking = _own(citizen, code)
    _check_changeable(booking, now)
    slot = _check_start(booking.unit, booking.procedure, start, now)
    if slot.start == booking.start:
        return booking
    _check_citizen(citizen, booking.unit, booking.procedure, local_day(slot.start), now, ignore=booking)
    booking.counter = _lock_place(booking.unit, booking.procedure, slot.start, now)
    booking.start, booking.end, booking.day = slot.start, slot.end, local_day(slot.start)
    booking.reminder_sent_at = None
    booking.save(update_fields=["counter", "start", "end", "day", "reminder_sent_at"])
    return booking


@transaction.atomic
def booking_cancel(*, citizen: User, code: str, now: datetime | None = None) -> Booking:
    now = now or timezone.now()
    booking = _own(citizen, code)
    _check_changeable(booking, now)
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.save(update_fields=["status", "cancelled_at"])
    return booking


def bookings_lapse(*, now: datetime | None = None) -> int:
    """End-of-day sweep, safe to run twice: confirmed bookings of a past day that nobody checked in lapse
    (a no-show), and holds past their time are released. Returns how many bookings lapsed."""
    now = now or timezone.now()
    today = local_day(now)
    with transaction.atomic():
        Booking.objects.filter(status=BookingStatus.HELD, hold_until__lte=now).update(status=BookingStatus.RELEASED)
        return Booking.objects.filter(status=BookingStatus.CONFIRMED, day__lt=today).update(status=BookingStatus.LAPSED)


@transaction.atomic
def slot_capacity_set(*, actor, counter: Counter, start: datetime, capacity: int | None) -> SlotCapacity:
    """The unit admin's closure (0) or extra capacity for one slot of one counter; None → the default.

    Lowering capacity below the places already booked is refused: those citizens keep their booking."""
    if not can_edit_booking_capacity(actor, counter.unit):
        raise PermissionDenied
    if capacity is not None and capacity < 0:
        raise ValidationError(_("Capacity cannot be negative."))
    SlotCapacity.objects.bulk_create([SlotCapacity(counter=counter, start=start)], ignore_conflicts=True)
    row = SlotCapacity.objects.select_for_update().get(counter=counter, start=start)
    booked = Booking.objects.filter(live_bookings(timezone.now()), counter=counter, start=start).count()
    if capacity is not None and capacity < booked:
        raise ValidationError(
            _("%(n)s citizens already booked this slot; cancel with them first or keep at least %(n)s places.")
            % {"n": booked}
        )
    row.capacity = capacity
    row.save(update_fields=["capacity"])
    return row


def booking_no_wait_note(procedure: Procedure) -> str:
    """What a booking for a no-wait procedure promises: the result during the visit."""
    if not procedure.no_wait:
        return ""
    return _("No-wait procedure: the result will be ready during your visit (about %(minutes)s minutes).") % {
        "minutes": procedure.no_wait_minutes
    }


@transaction.atomic
def counter_save(*, actor, counter: Counter, fields=()) -> Counter:
    """Add or change a counter of a unit the actor keeps (number unique per unit, checked by the database)."""
    if not can_edit_booking_capacity(actor, counter.unit):
        raise PermissionDenied
    counter.full_clean(exclude=["fields"])
    counter.save()
    counter.fields.set(fields)
    return counter


@transaction.atomic
def booking_settings_save(*, actor, unit, values: dict) -> BookingSettings:
    """The unit admin's booking rules (only BookingSettings.EDITABLE), validated whole: a bad value saves
    nothing. The first save creates the unit's row from the defaults."""
    if not can_edit_booking_capacity(actor, unit):
        raise PermissionDenied
    BookingSettings.objects.get_or_create(unit=unit)  # rolled back with the rest when a value is refused
    rules = BookingSettings.objects.select_for_update().get(unit=unit)
    for name in BookingSettings.EDITABLE:
        if name in values:
            setattr(rules, name, values[name])
    rules.full_clean()
    rules.save()
    unit._booking_rules = rules
    return rules


def slot_capacity_set_day(*, actor, counter: Counter, day: date, first=None, last=None, capacity: int | None) -> int:
    """The same capacity for every slot of `counter` on `day` starting between `first` and `last` (times of
    day, both optional): closing a morning, or opening extra places for a busy afternoon. Returns the count."""
    rules = booking_rules(counter.unit)
    slots = [
        s
        for s in day_slots(unit_calendar(counter.unit), day, rules.slot_minutes)
        if (first is None or s.start.time() >= first) and (last is None or s.start.time() <= last)
    ]
    if not slots:
        raise ValidationError(_("No bookable slot of that counter on that day and in that time range."))
    with transaction.atomic():
        for slot in slots:
            slot_capacity_set(actor=actor, counter=counter, start=slot.start, capacity=capacity)
    return len(slots)
