"""Writes on the desk queue: check-in, walk-in tickets, call next, recall, start/finish, no-show, transfer.

- One number sequence per counter and (Vietnam) day, shared by checked-in bookings and walk-ins: a
  `QueueDay` row incremented with `INSERT … ON CONFLICT DO UPDATE … RETURNING` in the ticket's transaction.
- Calling locks the counter's `QueueDay` row, so two officers at one counter never call the same ticket,
  and picks by procedures.domain.booking.choose_next (officers call next, they never pick from the list).
- Times kept per ticket: issued, called (first and last), started, finished → wait, walk-to-counter,
  service and total.
"""

from __future__ import annotations

from datetime import datetime

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from procedures.domain.booking import Waiting, choose_next
from procedures.models import Booking, BookingStatus, Counter, Procedure, QueueDay, Ticket, TicketStatus
from procedures.permissions import can_work_desk
from procedures.selectors.booking import booking_rules, display_cache_key, local_day, serving_counters

from .dossiers import _unit_offers, dossier_receive_in_person
from .no_wait import dossier_no_wait_receive

UPSERT_QUEUE_DAY = (
    "INSERT INTO procedures_queueday (counter_id, day, last_number, priority_streak) VALUES (%s, %s, 1, 0) "
    "ON CONFLICT (counter_id, day) DO UPDATE SET last_number = procedures_queueday.last_number + 1 "
    "RETURNING last_number"
)


def _refresh_display(unit_id: int, now: datetime) -> None:
    """The display's cached data is dropped once the change commits (the next poll recomputes it)."""
    key = display_cache_key(unit_id, local_day(now))
    transaction.on_commit(lambda: cache.delete(key))


class QueueError(ValidationError):
    """A desk action that cannot be done now, with a message the officer can act on."""


def _check_desk(actor, unit) -> None:
    if not can_work_desk(actor, unit):
        raise PermissionDenied


def _issue(
    *,
    counter: Counter,
    priority: bool,
    now: datetime,
    procedure: Procedure | None = None,
    booking: Booking | None = None,
    actor=None,
) -> Ticket:
    day = local_day(now)
    _refresh_display(counter.unit_id, now)
    with connection.cursor() as cursor:
        cursor.execute(UPSERT_QUEUE_DAY, [counter.pk, day])
        (number,) = cursor.fetchone()
    return Ticket.objects.create(
        unit_id=counter.unit_id,
        counter=counter,
        issued_counter=counter,
        day=day,
        number=number,
        booking=booking,
        procedure=procedure or (booking.procedure if booking else None),
        priority=priority,
        issued_at=now,
        queued_at=now,
    )


@transaction.atomic
def ticket_check_in(*, actor, code: str, priority: bool = False, now: datetime | None = None) -> Ticket:
    """Turn today's booking into a ticket at its counter; a wrong, expired or future code says why."""
    now = now or timezone.now()
    _check_desk(actor, actor.unit)
    code = (code or "").strip().upper()[:12]
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("counter")
        .filter(code=code, unit=actor.unit)
        .first()
    )
    if booking is None:
        message = _("No booking at this unit has the code “%(code)s”; check it with the citizen.")
        raise QueueError(message % {"code": code})
    today = local_day(now)
    if booking.status == BookingStatus.CHECKED_IN:
        message = _("This booking was already checked in (ticket %(ticket)s).")
        raise QueueError(message % {"ticket": booking.ticket.label})
    if booking.status in (BookingStatus.CANCELLED, BookingStatus.LAPSED, BookingStatus.RELEASED) or booking.day < today:
        raise QueueError(_("This booking has expired or was cancelled; issue a walk-in ticket instead."))
    if booking.status != BookingStatus.CONFIRMED:
        raise QueueError(_("This booking was never confirmed; issue a walk-in ticket instead."))
    if booking.day > today:
        raise QueueError(
            _("This booking is for %(day)s, not today.") % {"day": formats.date_format(booking.day, "d/m/Y")}
        )
    booking.status = BookingStatus.CHECKED_IN
    booking.checked_in_at = now
    booking.save(update_fields=["status", "checked_in_at"])
    return _issue(counter=booking.counter, priority=priority, now=now, booking=booking, actor=actor)


@transaction.atomic
def ticket_walk_in(*, unit, procedure: Procedure, priority: bool = False, actor=None, now=None) -> Ticket:
    """A ticket without a booking (desk or kiosk) at the serving counter with the shortest queue."""
    now = now or timezone.now()
    _check_desk(actor, unit)
    if not _unit_offers(procedure, unit):
        raise QueueError(_("This unit does not receive this procedure."))
    counters = serving_counters(unit, procedure)
    if not counters:
        raise QueueError(_("No open counter serves this procedure."))
    waiting = dict(
        Ticket.objects.filter(counter__in=counters, day=local_day(now), status=TicketStatus.WAITING)
        .values_list("counter_id")
        .annotate(n=Count("id"))
        .values_list("counter_id", "n")
    )
    counter = min(counters, key=lambda c: (waiting.get(c.pk, 0), c.number))
    return _issue(counter=counter, priority=priority, now=now, procedure=procedure, actor=actor)


def _lock_day(counter: Counter, day) -> QueueDay:
    QueueDay.objects.bulk_create([QueueDay(counter=counter, day=day)], ignore_conflicts=True)
    return QueueDay.objects.select_for_update().get(counter=counter, day=day)


@transaction.atomic
def ticket_call_next(*, actor, counter: Counter, now: datetime | None = None) -> Ticket | None:
    """Finish the ticket being served at `counter` and call the next one by the fairness rule (None: empty)."""
    now = now or timezone.now()
    _check_desk(actor, counter.unit)
    day = local_day(now)
    state = _lock_day(counter, day)
    current = Ticket.objects.filter(counter=counter, day=day, status__in=[TicketStatus.CALLED, TicketStatus.SERVING])
    if current.filter(status=TicketStatus.CALLED).exists():
        raise QueueError(
            _("The called ticket has not come to the counter yet: start serving it, recall it, or mark it a no-show.")
        )
    if current.update(status=TicketStatus.DONE, finished_at=now):
        _refresh_display(counter.unit_id, now)
    waiting = Ticket.objects.filter(counter=counter, day=day, status=TicketStatus.WAITING).order_by("queued_at", "id")
    heads = [t for t in (waiting.filter(priority=True).first(), waiting.filter(priority=False).first()) if t]
    heads.sort(key=lambda t: (t.queued_at, t.pk))
    run = booking_rules(counter.unit).priority_run
    chosen = choose_next([Waiting(t.pk, t.priority) for t in heads], state.priority_streak, run)
    if chosen is None:
        return None
    _refresh_display(counter.unit_id, now)
    picked, state.priority_streak = chosen
    state.save(update_fields=["priority_streak"])
    ticket = next(t for t in heads if t.pk == picked.id)
    ticket.status = TicketStatus.CALLED
    ticket.called_at = ticket.called_at or now
    ticket.last_called_at = now
    ticket.officer = actor
    ticket.save(update_fields=["status", "called_at", "last_called_at", "officer"])
    return ticket


def _ticket(actor, ticket_id: int, *statuses: str) -> Ticket:
    locked = Ticket.objects.select_for_update(of=("self",)).select_related("unit", "issued_counter", "counter")
    ticket = locked.filter(pk=ticket_id).first()
    if ticket is None or not can_work_desk(actor, ticket.unit):
        raise Ticket.DoesNotExist
    if statuses and ticket.status not in statuses:
        message = _("Ticket %(ticket)s is now “%(status)s”.")
        raise QueueError(message % {"ticket": ticket.label, "status": ticket.get_status_display()})
    _refresh_display(ticket.unit_id, timezone.now())
    return ticket


@transaction.atomic
def ticket_recall(*, actor, ticket_id: int, now=None) -> Ticket:
    ticket = _ticket(actor, ticket_id, TicketStatus.CALLED)
    ticket.recalls += 1
    ticket.last_called_at = now or timezone.now()
    ticket.save(update_fields=["recalls", "last_called_at"])
    return ticket


@transaction.atomic
def ticket_start(*, actor, ticket_id: int, now=None) -> Ticket:
    """The citizen reached the counter: the walk ends, the service begins."""
    ticket = _ticket(actor, ticket_id, TicketStatus.CALLED)
    ticket.status = TicketStatus.SERVING
    ticket.started_at = now or timezone.now()
    ticket.officer = actor
    ticket.save(update_fields=["status", "started_at", "officer"])
    return ticket


@transaction.atomic
def ticket_finish(*, actor, ticket_id: int, now=None) -> Ticket:
    ticket = _ticket(actor, ticket_id, TicketStatus.SERVING)
    ticket.status = TicketStatus.DONE
    ticket.finished_at = now or timezone.now()
    ticket.save(update_fields=["status", "finished_at"])
    return ticket


@transaction.atomic
def ticket_no_show(*, actor, ticket_id: int, now=None) -> Ticket:
    ticket = _ticket(actor, ticket_id, TicketStatus.CALLED)
    ticket.status = TicketStatus.NO_SHOW
    ticket.save(update_fields=["status"])
    return ticket


@transaction.atomic
def ticket_reactivate(*, actor, ticket_id: int, now=None) -> Ticket:
    """A no-show who turns up after all goes back in line (at the end: the others waited)."""
    ticket = _ticket(actor, ticket_id, TicketStatus.NO_SHOW)
    ticket.status = TicketStatus.WAITING
    ticket.queued_at = now or timezone.now()
    ticket.save(update_fields=["status", "queued_at"])
    return ticket


@transaction.atomic
def ticket_transfer(*, actor, ticket_id: int, to_counter: Counter, now=None) -> Ticket:
    """Send a ticket to another counter of the unit; it keeps its number and waits there."""
    ticket = _ticket(actor, ticket_id, TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING)
    if to_counter.unit_id != ticket.unit_id or not to_counter.is_active:
        raise QueueError(_("Choose an open counter of this unit."))
    if to_counter.pk == ticket.counter_id:
        raise QueueError(_("The ticket is already at this counter."))
    ticket.counter = to_counter
    ticket.status = TicketStatus.WAITING
    ticket.queued_at = now or timezone.now()
    ticket.save(update_fields=["counter", "status", "queued_at"])
    return ticket


@transaction.atomic
def ticket_receive_dossier(*, actor, ticket_id: int, applicant, documents_checked, files=(), now=None):
    """The called ticket becomes a desk receipt: the dossier of its procedure is received (a no-wait one with
    the ticket's issue time as the arrival: the citizen arrived when checked in), linked to the ticket, and
    the ticket is finished. All or nothing."""
    ticket = _ticket(actor, ticket_id, TicketStatus.CALLED, TicketStatus.SERVING)
    if ticket.dossier_id:
        raise QueueError(_("A dossier was already received for this ticket."))
    procedure = ticket.procedure
    if procedure is None:
        raise QueueError(_("This ticket names no procedure; receive the dossier from the receipt page."))
    if procedure.no_wait:
        dossier = dossier_no_wait_receive(
            actor=actor,
            applicant=applicant,
            procedure=procedure,
            documents_checked=documents_checked,
            files=files,
            arrived_at=ticket.issued_at,
        )
    else:
        dossier = dossier_receive_in_person(
            actor=actor, applicant=applicant, procedure=procedure, documents_checked=documents_checked, files=files
        )
    now = now or timezone.now()
    ticket.dossier = dossier
    ticket.status = TicketStatus.DONE
    ticket.started_at = ticket.started_at or now
    ticket.finished_at = now
    ticket.officer = actor
    ticket.save(update_fields=["dossier", "status", "started_at", "finished_at", "officer"])
    return dossier


__all__ = [
    "QueueError",
    "ticket_call_next",
    "ticket_check_in",
    "ticket_finish",
    "ticket_no_show",
    "ticket_reactivate",
    "ticket_recall",
    "ticket_receive_dossier",
    "ticket_start",
    "ticket_transfer",
    "ticket_walk_in",
]
