"""E-mails about bookings: the confirmation (after commit) and the reminder the working day before.

Both are sent at most once: the booking row is locked (skip_locked, so two workers never wait on each
other) and its `…_sent_at` is set in the same transaction as the send. Times are written in Vietnam time.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portal.units.calendar.selectors import unit_calendar
from portal.units.models import Unit
from procedures.models import Booking, BookingStatus
from procedures.selectors.booking import local_day

from .booking import booking_no_wait_note, local_text
from .notifications import recipient_language

# Look this far ahead for the next working day (Tết closes a ward for up to nine days in a row).
REMINDER_HORIZON_DAYS = 15


def _body(booking: Booking, opening: str) -> str:
    lines = [
        opening,
        "",
        _("Booking code: %(code)s") % {"code": booking.code},
        _("Procedure: %(name)s") % {"name": booking.procedure.name},
        _("Place: %(unit)s, %(counter)s") % {"unit": booking.unit.name, "counter": booking.counter},
        _("Time: %(time)s (Vietnam time)") % {"time": local_text(booking.start)},
    ]
    note = booking_no_wait_note(booking.procedure)
    if note:
        lines.append(note)
    lines += ["", _("Show the code at the desk to get your queue number.")]
    return "\n".join(lines)


def _send_once(booking_id: int, field: str, subject: str, opening: str) -> bool:
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("citizen", "procedure", "unit", "counter")
            .filter(pk=booking_id, **{f"{field}__isnull": True})
            .first()
        )
        if booking is None or booking.status != BookingStatus.CONFIRMED or not booking.citizen.email:
            return False
        with translation.override(recipient_language(booking.citizen)):
            send_mail(_(subject) % {"code": booking.code}, _body(booking, _(opening)), None, [booking.citizen.email])
        setattr(booking, field, timezone.now())
        booking.save(update_fields=[field])
        return True


def booking_send_confirmation(*, booking_id: int) -> bool:
    return _send_once(
        booking_id,
        "confirmation_sent_at",
        gettext_noop("Your booking %(code)s is confirmed"),
        gettext_noop("Your visit to the one-stop desk is booked."),
    )


def booking_send_reminder(*, booking_id: int) -> bool:
    return _send_once(
        booking_id,
        "reminder_sent_at",
        gettext_noop("Reminder: your booking %(code)s"),
        gettext_noop("A reminder: your visit to the one-stop desk is on the next working day."),
    )


def _next_working_day(unit_id: int, today: date) -> date:
    calendar = unit_calendar(Unit(pk=unit_id))  # the calendar is keyed by the unit's id alone
    day = today + timedelta(days=1)
    while not calendar.is_working_day(day) and day < today + timedelta(days=REMINDER_HORIZON_DAYS):
        day += timedelta(days=1)
    return day


def bookings_due_for_reminder(*, now: datetime | None = None) -> list[int]:
    """Confirmed bookings whose day is the unit's next working day after today, not yet reminded.

    Set-based: one query for the units with a booking to remind, then one for the bookings on each unit's
    next working day (units grouped by that day); the Python work is per unit, never per booking."""
    now = now or timezone.now()
    today = local_day(now)
    due = Booking.objects.filter(status=BookingStatus.CONFIRMED, reminder_sent_at__isnull=True)
    window = (today + timedelta(days=1), today + timedelta(days=REMINDER_HORIZON_DAYS))
    unit_ids = due.filter(day__range=window).order_by().values_list("unit_id", flat=True).distinct()
    by_day: dict[date, list[int]] = defaultdict(list)
    for unit_id in unit_ids:
        by_day[_next_working_day(unit_id, today)].append(unit_id)
    if not by_day:
        return []
    wanted = Q()
    for day, units in by_day.items():
        wanted |= Q(day=day, unit_id__in=units)
    return list(due.filter(wanted).order_by("pk").values_list("pk", flat=True))
