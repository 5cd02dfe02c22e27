"""The deadline sweep flags open feedback due soon and overdue exactly once per due time, and tells the
assignee (or the unit's leaders) in-app and by e-mail in their language."""

import pytest
import time_machine
from django.core import mail

from procedures.models import Feedback, FeedbackNotice
from procedures.services.deadline_sweep import deadline_sweep
from procedures.services.feedback import feedback_answer, feedback_assign
from procedures.services.feedback_mail import feedback_notice_send

from .conftest import hanoi, submit

pytestmark = pytest.mark.django_db


def sweep_at(moment):
    with time_machine.travel(moment, tick=False):
        return deadline_sweep()


def test_unassigned_overdue_feedback_is_flagged_once_and_the_leaders_hear(world):
    feedback = submit(world)  # due Monday 30 March 10:00
    assert sweep_at(hanoi(3, 20, 10))["feedback_due_soon"] == 0  # six working days left
    counts = sweep_at(hanoi(3, 26, 11))  # within two working days
    assert (counts["feedback_due_soon"], counts["feedback_overdue"]) == (1, 0)
    assert sweep_at(hanoi(3, 26, 12))["feedback_due_soon"] == 0  # same due time: not again
    counts = sweep_at(hanoi(3, 30, 10, 5))
    assert (counts["feedback_due_soon"], counts["feedback_overdue"]) == (0, 1)
    assert sweep_at(hanoi(3, 31, 9))["feedback_overdue"] == 0
    feedback.refresh_from_db()
    assert feedback.overdue_for == feedback.due_at == feedback.due_soon_for
    notices = FeedbackNotice.objects.filter(feedback=feedback).order_by("pk")
    assert [(n.kind, n.recipient_id) for n in notices] == [
        ("due_soon", world.leader.pk),
        ("overdue", world.leader.pk),
    ]
    assert feedback.version == 1  # flags are not a change an officer could conflict with


def test_the_assignee_alone_hears_and_answered_feedback_is_never_flagged(world):
    held = feedback_assign(actor=world.desk, feedback=submit(world), assignee=world.specialist)
    answered = feedback_answer(actor=world.leader, feedback=submit(world).code, answer="Đã xử lý.")
    sweep_at(hanoi(3, 30, 11))
    assert list(FeedbackNotice.objects.values_list("feedback_id", "recipient_id")) == [(held.pk, world.specialist.pk)]
    assert Feedback.objects.get(pk=answered.pk).overdue_for is None


def test_the_notice_email_is_in_the_recipients_language_and_sent_once(world):
    world.specialist.language = "en"
    world.specialist.email = "cb@example.vn"
    world.specialist.save()
    world.leader.language = "vi"
    world.leader.email = "ld@example.vn"
    world.leader.save()
    feedback_assign(actor=world.desk, feedback=submit(world), assignee=world.specialist)
    submit(world)  # unassigned: its leaders
    sweep_at(hanoi(3, 30, 11))
    mail.outbox.clear()
    for notice in FeedbackNotice.objects.order_by("pk"):
        assert feedback_notice_send(notice_id=notice.pk) is True
        assert feedback_notice_send(notice_id=notice.pk) is False  # once
    subjects = sorted(m.subject for m in mail.outbox)
    assert len(mail.outbox) == 2
    assert subjects[0].startswith("Feedback PA-H26.08.04-260309-0001 is overdue")
    assert subjects[1].startswith("Phản ánh PA-H26.08.04-260309-0002")
    assert "/can-bo/phan-anh/PA-H26.08.04-260309-0001/" in [m for m in mail.outbox if m.to == ["cb@example.vn"]][0].body


def test_the_dossier_sweep_is_unchanged_with_no_feedback(world):
    counts = sweep_at(hanoi(3, 30, 11))
    assert counts["feedback_due_soon"] == counts["feedback_overdue"] == 0
    assert set(counts.values()) == {0}


def test_a_notice_whose_email_was_lost_is_handed_to_the_worker_again(world, monkeypatch):
    world.leader.email = "ld@example.vn"
    world.leader.save()
    submit(world)
    enqueued = []
    monkeypatch.setattr(
        "procedures.services.feedback_mail.feedback_notices_enqueue", lambda ids: enqueued.append(sorted(ids))
    )
    sweep_at(hanoi(3, 30, 11))
    notice = FeedbackNotice.objects.get()
    sweep_at(hanoi(3, 30, 11, 30))  # not sent yet (the worker lost it): offered again
    feedback_notice_send(notice_id=notice.pk)
    sweep_at(hanoi(3, 30, 12))  # sent: left alone
    assert enqueued == [[notice.pk], [notice.pk]]


def test_each_flag_leaves_one_system_event(world):
    feedback = submit(world)
    for moment in (hanoi(3, 26, 11), hanoi(3, 26, 12), hanoi(3, 30, 11), hanoi(3, 31, 9)):
        sweep_at(moment)
    assert list(feedback.events.exclude(action="submit").values_list("action", "actor_id", "to_status")) == [
        ("due_soon", None, "received"),
        ("overdue", None, "received"),
    ]
