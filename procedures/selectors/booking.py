"""Reads for booking and the desk queue: a unit's rules, free slots, a day's queue, the display, statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone

from portal.units.calendar.domain.working_time import VIETNAM_TZ
from portal.units.calendar.selectors import unit_calendar
from portal.units.models import Unit
from procedures.domain.booking import day_slots
from procedures.models import Booking, BookingSettings, BookingStatus, Counter, Procedure, SlotCapacity, Ticket
from procedures.models.booking import TicketStatus
from procedures.permissions import can_work_desk

LIVE_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN)


def booking_rules(unit: Unit) -> BookingSettings:
    """The unit's settings row, or the Hanoi defaults (an unsaved row) when the unit has none; read once per
    unit object (a request asks several times)."""
    rules = getattr(unit, "_booking_rules", None)
    if rules is None:
        rules = BookingSettings.objects.filter(unit=unit).first() or BookingSettings(unit=unit)
        unit._booking_rules = rules
    return rules


def live_bookings(now: datetime) -> Q:
    """Bookings that take a place: confirmed, checked in, or held and still within their hold."""
    return Q(status__in=LIVE_STATUSES) | Q(status=BookingStatus.HELD, hold_until__gt=now)


def local_day(moment: datetime) -> date:
    return moment.astimezone(VIETNAM_TZ).date()


def serving_counters(unit: Unit, procedure: Procedure) -> list[Counter]:
    """Open counters of `unit` that serve the procedure's field (a counter with no field ticked serves all),
    in id order (the lock order). One query."""
    serves = Q(fields=None) | Q(fields=procedure.field_id) if procedure.field_id else Q(fields=None)
    return list(Counter.objects.filter(serves, unit=unit, is_active=True).distinct().order_by("id"))


@dataclass(frozen=True)
class FreeSlot:
    start: datetime
    end: datetime
    capacity: int
    available: int


def slots_between(unit: Unit, counters: list[Counter], first: date, last: date, *, now: datetime) -> list[FreeSlot]:
    """Every slot from `first` to `last` (inclusive) with its capacity over `counters` and places left; slots
    already started are left out. Three queries whatever the span."""
    if not counters:
        return []
    rules = booking_rules(unit)
    calendar = unit_calendar(unit)
    slots = []
    day = first
    while day <= last:
        slots += [s for s in day_slots(calendar, day, rules.slot_minutes) if s.start > now]
        day += timedelta(days=1)
    if not slots:
        return []
    span = (slots[0].start, slots[-1].start)
    ids = [c.pk for c in counters]
    overrides = dict(
        ((counter_id, start), capacity)
        for counter_id, start, capacity in SlotCapacity.objects.filter(
            counter_id__in=ids, start__range=span, capacity__isnull=False
        ).values_list("counter_id", "start", "capacity")
    )
    taken = {
        (row["counter_id"], row["start"]): row["n"]
        for row in Booking.objects.filter(live_bookings(now), counter_id__in=ids, start__range=span)
        .values("counter_id", "start")
        .annotate(n=Count("id"))
    }
    result = []
    for slot in slots:
        capacity = available = 0
        for counter in counters:
            cap = overrides.get((counter.pk, slot.start), counter.slot_capacity)
            capacity += cap
            available += max(cap - taken.get((counter.pk, slot.start), 0), 0)
        result.append(FreeSlot(slot.start, slot.end, capacity, available))
    return result


def bookable_days(unit: Unit, *, now: datetime) -> tuple[date, date]:
    """Today (Vietnam time) and the last day a booking may be made for."""
    today = local_day(now)
    return today, today + timedelta(days=booking_rules(unit).days_ahead)


def free_slots(unit: Unit, procedure: Procedure, day: date, *, now: datetime | None = None) -> list[FreeSlot]:
    now = now or timezone.now()
    return slots_between(unit, serving_counters(unit, procedure), day, day, now=now)


def nearest_free_starts(unit: Unit, procedure: Procedure, wanted: datetime, *, now=None, count=3) -> list[datetime]:
    """The free slot starts nearest to `wanted` within the bookable days: the alternatives an error offers."""
    now = now or timezone.now()
    first, last = bookable_days(unit, now=now)
    slots = [s for s in slots_between(unit, serving_counters(unit, procedure), first, last, now=now) if s.available]
    slots.sort(key=lambda s: (abs((s.start - wanted).total_seconds()), s.start))
    return sorted(s.start for s in slots[:count])


def bookings_of(user, *, upcoming_only: bool = False):
    qs = Booking.objects.filter(citizen=user).select_related("procedure", "unit", "counter").order_by("-start")
    if upcoming_only:
        qs = qs.filter(status__in=[BookingStatus.CONFIRMED, BookingStatus.HELD], end__gt=timezone.now())
    return qs


def unit_bookings_on(unit: Unit, day: date):
    """A day's bookings at the desk, by time and counter."""
    return (
        Booking.objects.filter(unit=unit, day=day)
        .exclude(status__in=[BookingStatus.RELEASED, BookingStatus.HELD])
        .select_related("procedure", "counter", "citizen")
        .order_by("start", "counter__number")
    )


def queue_of(counter: Counter, day: date):
    return (
        Ticket.objects.filter(counter=counter, day=day, status=TicketStatus.WAITING)
        .select_related("issued_counter")
        .order_by("-priority", "queued_at", "id")
    )


DISPLAY_CACHE_SECONDS = 30


def ticket_to_receive(user, ticket_id) -> Ticket:
    """A called or served ticket of the officer's desk with a procedure and no dossier yet (else DoesNotExist):
    the one whose dossier the receipt page receives."""
    ticket = (
        Ticket.objects.select_related("unit", "issued_counter", "procedure", "booking__citizen")
        .filter(
            pk=ticket_id,
            status__in=[TicketStatus.CALLED, TicketStatus.SERVING],
            procedure__isnull=False,
            dossier__isnull=True,
        )
        .first()
    )
    if ticket is None or not can_work_desk(user, ticket.unit):
        raise Ticket.DoesNotExist
    return ticket


def display_cache_key(unit_id: int, day: date) -> str:
    return f"booking:display:{unit_id}:{day.isoformat()}"


def display_data(unit: Unit, *, now: datetime | None = None) -> dict:
    """What the public screen shows, from the cache: every ticket write deletes the unit's entry after commit
    (procedures.services.booking_queue), so 20 screens polling cost one computation per change, not per poll."""
    now = now or timezone.now()
    key = display_cache_key(unit.pk, local_day(now))
    data = cache.get(key)
    if data is None:
        data = _display_data(unit, now)
        cache.set(key, data, DISPLAY_CACHE_SECONDS)
    return {**data, "at": now.astimezone(VIETNAM_TZ)}


def _display_data(unit: Unit, now: datetime, recent: int = 8) -> dict:
    """Per counter the number being served and the last numbers called. Ticket numbers and counters only,
    never a name. Three queries."""
    today = local_day(now)
    counters = list(Counter.objects.filter(unit=unit, is_active=True).order_by("number"))
    called = list(
        Ticket.objects.filter(unit=unit, day=today, last_called_at__isnull=False)
        .select_related("issued_counter", "counter")
        .order_by("-last_called_at")[:200]
    )
    current = {}
    for ticket in called:
        if ticket.counter_id not in current and ticket.status in (TicketStatus.CALLED, TicketStatus.SERVING):
            current[ticket.counter_id] = ticket
    waiting = dict(
        Ticket.objects.filter(unit=unit, day=today, status=TicketStatus.WAITING)
        .values_list("counter_id")
        .annotate(n=Count("id"))
        .values_list("counter_id", "n")
    )
    return {
        "unit": unit.code,
        "unit_name": unit.name,
        "counters": [
            {
                "number": c.number,
                "name": c.name,
                "serving": current[c.pk].label if c.pk in current else None,
                "waiting": waiting.get(c.pk, 0),
            }
            for c in counters
        ],
        "recent": [
            {"ticket": t.label, "counter": t.counter.number, "called_at": t.last_called_at.astimezone(VIETNAM_TZ)}
            for t in called[:recent]
        ],
    }


def _avg(expression):
    return Avg(ExpressionWrapper(expression, output_field=DurationField()))


def queue_stats(unit: Unit, first: date, last: date) -> dict:
    """Average wait (issue → first call) and service (start → finish) per counter and per officer."""
    tickets = Ticket.objects.filter(unit=unit, day__range=(first, last))
    measures = {
        "served": Count("id", filter=Q(status=TicketStatus.DONE)),
        "avg_wait": _avg(F("called_at") - F("issued_at")),
        "avg_walk": _avg(F("started_at") - F("called_at")),
        "avg_service": _avg(F("finished_at") - F("started_at")),
        "avg_total": _avg(F("finished_at") - F("issued_at")),
    }
    return {
        "counters": list(tickets.values("counter__number").annotate(**measures).order_by("counter__number")),
        "officers": list(
            tickets.filter(officer__isnull=False)
            .values("officer__full_name", "officer__username")
            .annotate(**measures)
            .order_by("officer__full_name")
        ),
    }
