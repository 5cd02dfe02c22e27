"""Delivery from the outbox: after commit only, once per event, retried on SMTP errors, in the right language."""

import smtplib
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import translation

from procedures.domain.workflow import Action, DossierStatus
from procedures.models import OutboxEvent
from procedures.services import notifications
from procedures.services.notifications import outbox_deliver, outbox_relay

MONDAY_10 = datetime(2026, 3, 9, 3, 0, tzinfo=UTC)


@pytest.fixture
def enqueued(monkeypatch):
    """What would be handed to the worker (the broker is not involved in these tests)."""
    sent: list[int] = []
    monkeypatch.setattr(notifications, "_enqueue", lambda ids: sent.extend(ids))
    return sent


def applicant_emails():
    return OutboxEvent.objects.filter(channel=OutboxEvent.Channel.EMAIL)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transition_sends_nothing_a_committed_one_once(world, enqueued):
    world.citizen.email = "dan@example.vn"
    world.citizen.save()
    dossier = world.submit()
    with pytest.raises(RuntimeError), transaction.atomic():
        world.act(world.desk, dossier, Action.RECEIVE)
        assert applicant_emails().count() == 1  # written in the transaction…
        raise RuntimeError("the caller fails after the transition")
    assert not applicant_emails().exists() and enqueued == []  # …and gone with it, never handed over

    world.act(world.desk, dossier, Action.RECEIVE)
    (event,) = applicant_emails()
    assert enqueued == [event.pk] and event.recipient == world.citizen and event.kind == "receive"
    assert outbox_deliver(event_id=event.pk) == "sent"
    assert outbox_deliver(event_id=event.pk) == "already"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dan@example.vn"] and dossier.code in message.subject
    assert "Hồ sơ" in message.subject  # Vietnamese, the default language
    assert message.extra_headers["X-Motcua-Idempotency-Key"] == event.idempotency_key


def test_staff_get_no_mail_for_hand_overs_and_applicants_none_for_flags(world):
    for user in (world.citizen, world.specialist, world.leader):
        user.email = f"{user.username}@example.vn"
        user.save()
    with time_machine.travel(MONDAY_10, tick=False):
        dossier = world.to_status(DossierStatus.IN_PROGRESS)
    emails = applicant_emails().filter(dossier=dossier)
    assert list(emails.values_list("kind", "recipient_id")) == [("receive", world.citizen.pk)]
    from procedures.services.deadline_sweep import deadline_sweep

    with time_machine.travel(datetime(2026, 3, 12, 4, 0, tzinfo=UTC), tick=False):
        deadline_sweep()
    escalations = emails.filter(kind="escalate")
    assert sorted(escalations.values_list("recipient_id", flat=True)) == sorted([world.specialist.pk, world.leader.pk])


def test_smtp_errors_leave_the_event_undelivered_for_a_retry(world, monkeypatch):
    world.citizen.email = "dan@example.vn"
    world.citizen.save()
    with time_machine.travel(MONDAY_10, tick=False):
        world.to_status(DossierStatus.RECEIVED)
    event = applicant_emails().get()

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.EmailMessage.send", refuse)
        with pytest.raises(smtplib.SMTPServerDisconnected):
            outbox_deliver(event_id=event.pk)
    event.refresh_from_db()
    assert event.delivered_at is None and event.attempts == 1 and mail.outbox == []
    assert outbox_deliver(event_id=event.pk) == "sent" and len(mail.outbox) == 1


def test_each_recipient_gets_mail_in_their_own_language(world, settings):
    assert settings.LANGUAGE_CODE == "vi"
    world.citizen.email, world.citizen.language = "dan@example.vn", "en"
    world.citizen.save()
    world.specialist.email = "chuyenvien@example.vn"  # language left at the default: Vietnamese
    world.specialist.save()
    with time_machine.travel(MONDAY_10, tick=False):
        world.to_status(DossierStatus.IN_PROGRESS)
    with translation.override("en"):  # whatever the worker's own language
        outbox_deliver(event_id=applicant_emails().get(recipient=world.citizen).pk)
    english = mail.outbox[-1]
    assert english.to == ["dan@example.vn"]
    assert english.subject.startswith("Dossier ") and "Hello" in english.body
    from procedures.services.deadline_sweep import deadline_sweep

    with time_machine.travel(datetime(2026, 3, 12, 4, 0, tzinfo=UTC), tick=False):
        deadline_sweep()
    with translation.override("en"):
        outbox_deliver(event_id=applicant_emails().get(recipient=world.specialist, kind="escalate").pk)
    vietnamese = mail.outbox[-1]
    assert vietnamese.to == ["chuyenvien@example.vn"]
    assert "Hồ sơ" in vietnamese.subject and "Dossier " not in vietnamese.subject


def test_the_relay_re_enqueues_old_undelivered_mail_only(world, enqueued):
    world.citizen.email = "dan@example.vn"
    world.citizen.save()
    with time_machine.travel(MONDAY_10, tick=False):
        world.to_status(DossierStatus.RECEIVED)
    event = applicant_emails().get()
    assert outbox_relay(now=MONDAY_10 + timedelta(seconds=30)) == 0  # the on-commit hand-off's turn
    assert outbox_relay(now=MONDAY_10 + timedelta(minutes=5)) == 1 and enqueued == [event.pk]
    outbox_deliver(event_id=event.pk)
    assert outbox_relay(now=MONDAY_10 + timedelta(minutes=10)) == 0
    assert outbox_deliver(event_id=10**9) == "gone"


def test_the_relay_gives_up_on_a_row_that_keeps_failing(world, enqueued, settings):
    world.citizen.email = "dan@example.vn"
    world.citizen.save()
    with time_machine.travel(MONDAY_10, tick=False):
        world.to_status(DossierStatus.RECEIVED)
    applicant_emails().update(attempts=settings.OUTBOX_MAX_ATTEMPTS)
    assert outbox_relay(now=MONDAY_10 + timedelta(minutes=5)) == 0 and enqueued == []
