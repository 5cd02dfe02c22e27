"""Feedback services: the lifecycle, the working-time deadline, codes, bad input, the dossier check, conflicts."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from portal.units.models import CalendarException
from procedures.domain.deadlines import Timeliness
from procedures.models import Feedback, FeedbackCounter
from procedures.services.feedback import (
    FeedbackConflict,
    feedback_answer,
    feedback_assign,
    feedback_log,
    feedback_reject,
    feedback_start,
    feedback_timeliness,
)

from .conftest import MONDAY_10, hanoi, submit

pytestmark = pytest.mark.django_db


def test_online_feedback_gets_a_code_and_a_due_time_fifteen_working_days_on(world):
    feedback = submit(world)
    assert feedback.code == "PA-H26.08.04-260309-0001"
    assert feedback.status == "received" and feedback.channel == "online"
    # 15 working days from Monday 9 March 10:00: Monday 30 March 10:00 (weekends skipped).
    assert feedback.due_at == hanoi(3, 30, 10)
    assert submit(world).code == "PA-H26.08.04-260309-0002"


def test_a_day_off_in_between_moves_the_due_time_one_working_day(world):
    CalendarException.objects.create(
        unit=world.unit, date=date(2026, 3, 16), kind="day_off", reason="Bầu cử", legal_document="TB 1"
    )
    assert submit(world).due_at == hanoi(3, 31, 10)


def test_received_after_hours_counts_from_the_next_working_morning(world):
    # Friday 13 March 20:00 → counted from Monday 16 March 08:00; 15 full working days → the close of
    # Friday 3 April (16–20, 23–27 March, 30 March–3 April).
    assert submit(world, at=hanoi(3, 13, 20)).due_at == hanoi(4, 3, 17)


def test_the_feedback_sequence_is_separate_from_the_dossiers(world):
    with time_machine.travel(MONDAY_10, tick=False):
        dossier = world.submit()
    assert dossier.code.endswith("-0001")
    assert submit(world).code.endswith("-0001")
    assert FeedbackCounter.objects.get(unit=world.unit).last_value == 1


def test_lifecycle_log_assign_start_answer_on_time(world):
    with time_machine.travel(MONDAY_10, tick=False):
        feedback = feedback_log(
            actor=world.desk,
            kind="proposal",
            channel="phone",
            subject="Thêm quầy",
            content="Nên thêm một quầy vào sáng thứ Hai.",
            sender_name="Trần Thị B",
            sender_phone="0987 654 321",
        )
    assert feedback.logged_by == world.desk and feedback.sender_phone == "0987654321"
    feedback = feedback_assign(actor=world.desk, feedback=feedback, assignee=world.specialist)
    assert feedback.assigned_to == world.specialist and feedback.version == 2
    feedback = feedback_start(actor=world.specialist, feedback=feedback.code)
    assert feedback.status == "in_progress"
    with time_machine.travel(hanoi(3, 20, 9), tick=False):
        feedback = feedback_answer(actor=world.specialist, feedback=feedback, answer="Đã bổ sung quầy.")
    assert feedback.status == "answered" and feedback.answered_by == world.specialist
    assert feedback_timeliness(feedback) == Timeliness.EARLY


def test_an_answer_after_the_due_time_is_late(world):
    feedback = submit(world)
    feedback_assign(actor=world.desk, feedback=feedback, assignee=world.specialist)
    with time_machine.travel(hanoi(3, 30, 10, 1), tick=False):
        feedback = feedback_answer(actor=world.leader, feedback=feedback.code, answer="Xin lỗi vì chậm trả lời.")
    assert feedback_timeliness(feedback) == Timeliness.LATE
    with time_machine.travel(hanoi(3, 30, 9), tick=False):
        on_time = feedback_answer(actor=world.leader, feedback=submit(world).code, answer="Đúng hạn.")
    assert feedback_timeliness(on_time) == Timeliness.EARLY or feedback_timeliness(on_time) == Timeliness.ON_TIME


def test_reject_keeps_the_reason_as_the_answer_and_does_not_publish(world):
    feedback = feedback_reject(actor=world.leader, feedback=submit(world).code, reason="Không thuộc thẩm quyền.")
    assert (feedback.status, feedback.answer, feedback.published) == ("rejected", "Không thuộc thẩm quyền.", False)


def test_two_officers_answering_the_same_version_one_gets_a_conflict(world):
    feedback = submit(world)
    feedback_answer(actor=world.leader, feedback=feedback.code, answer="Trả lời 1", version=1)
    with pytest.raises(FeedbackConflict) as caught:
        feedback_answer(actor=world.leader, feedback=feedback.code, answer="Trả lời 2", version=1)
    assert caught.value.current_status == "answered"
    assert "Reload" in str(caught.value) or "tải lại" in str(caught.value)
    assert Feedback.objects.get(pk=feedback.pk).answer == "Trả lời 1"


def test_a_stale_version_cannot_answer_after_a_hand_over(world):
    feedback = submit(world)
    feedback_assign(actor=world.desk, feedback=feedback.code, assignee=world.specialist, version=1)
    with pytest.raises(FeedbackConflict):
        feedback_answer(actor=world.leader, feedback=feedback.code, answer="Trả lời", version=1)


def test_only_the_assignee_or_a_leader_answers_and_other_units_see_nothing(world):
    feedback = submit(world)
    feedback_assign(actor=world.desk, feedback=feedback, assignee=world.specialist)
    with pytest.raises(PermissionDenied):
        feedback_answer(actor=world.specialist2, feedback=feedback.code, answer="x")
    with pytest.raises(PermissionDenied):
        feedback_assign(actor=world.specialist, feedback=feedback.code, assignee=world.specialist2)
    with pytest.raises(Feedback.DoesNotExist):
        feedback_answer(actor=world.other_desk, feedback=feedback.code, answer="x")
    with pytest.raises(Feedback.DoesNotExist):
        feedback_answer(actor=world.citizen, feedback=feedback.code, answer="x")
    with pytest.raises(PermissionDenied):  # a district leader sees it but does not act for the ward
        feedback_answer(actor=world.district_leader, feedback=feedback.code, answer="x")


def test_bad_input_gives_field_messages_and_saves_nothing(world, english):
    with pytest.raises(ValidationError) as caught:
        submit(world, subject=" ", content="", sender_phone="12", sender_email="not-an-address", kind="x")
    errors = caught.value.message_dict
    assert set(errors) >= {"subject", "content", "sender_phone", "sender_email", "kind"}
    assert "e-mail" in errors["sender_email"][0]
    with pytest.raises(ValidationError) as caught:
        submit(world, sender_phone="", sender_email="")
    assert "phone number or an e-mail" in caught.value.message_dict["sender_phone"][0]
    with pytest.raises(ValidationError) as caught:
        feedback_log(
            actor=world.desk,
            kind="report",
            channel="online",
            subject="a",
            content="b",
            sender_name="c",
            sender_phone="0912345678",
        )
    assert "channel" in caught.value.message_dict
    assert Feedback.objects.count() == 0 and FeedbackCounter.objects.count() == 0


def test_an_empty_answer_is_refused_and_the_feedback_stays_open(world, english):
    feedback = submit(world)
    with pytest.raises(ValidationError) as caught:
        feedback_answer(actor=world.leader, feedback=feedback.code, answer="  ")
    assert caught.value.message_dict == {"answer": ["This field is required."]}
    feedback.refresh_from_db()
    assert feedback.status == "received" and feedback.version == 1


def test_feedback_about_a_dossier_needs_its_code_and_the_applicants_phone(world, english):
    with time_machine.travel(MONDAY_10, tick=False):
        dossier = world.submit()
    feedback = submit(world, unit=None, dossier_code=dossier.code, dossier_phone=world.citizen.phone)
    assert feedback.dossier == dossier and feedback.unit == dossier.unit and feedback.procedure == dossier.procedure
    messages = []
    for code, phone in ((dossier.code, "0999999999"), ("H26.08.04-260309-0099", world.citizen.phone)):
        with pytest.raises(ValidationError) as caught:
            submit(world, dossier_code=code, dossier_phone=phone)
        messages.append(caught.value.message_dict["dossier_code"])
    assert messages[0] == messages[1]  # a wrong phone and an unknown code look the same
    # The signed-in applicant needs no phone for their own dossier; another citizen gets the same refusal.
    own = submit(world, unit=None, dossier_code=dossier.code, sender=world.citizen, sender_phone="")
    assert own.dossier == dossier and own.sender == world.citizen
    with pytest.raises(ValidationError):
        submit(world, dossier_code=dossier.code, sender=world.other_citizen, sender_phone="")


def test_feedback_about_a_procedure_of_the_catalogue(world, english):
    feedback = submit(world, procedure=world.procedure.code)
    assert feedback.procedure == world.procedure
    with pytest.raises(ValidationError) as caught:
        submit(world, procedure="9.999999")
    assert "procedure" in caught.value.message_dict


def test_every_change_leaves_an_event_and_a_conflict_leaves_none(world):
    feedback = submit(world)
    feedback_assign(actor=world.desk, feedback=feedback.code, assignee=world.specialist)
    feedback_start(actor=world.specialist, feedback=feedback.code)
    feedback_answer(actor=world.specialist, feedback=feedback.code, answer="Đã xử lý.", version=3)
    with pytest.raises(FeedbackConflict):
        feedback_reject(actor=world.leader, feedback=feedback.code, reason="Muộn", version=3)
    trail = list(feedback.events.values_list("action", "actor_id", "from_status", "to_status", "assignee_id"))
    assert trail == [
        ("submit", None, "", "received", None),
        ("assign", world.desk.pk, "received", "received", world.specialist.pk),
        ("start", world.specialist.pk, "received", "in_progress", None),
        ("answer", world.specialist.pk, "in_progress", "answered", None),
    ]
