"""The dossier services: receipt and due time, codes, the clock around a supplement, re-dating, timeliness,
the control slip, the outbox, idempotent submission and the desk's in-person receipt."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from portal.units.models import ClockPolicy
from procedures.domain.workflow import Action, DossierStatus
from procedures.models import (
    ControlSlipEntry,
    DailyCounter,
    Dossier,
    DossierDocument,
    DossierHistory,
    OutboxEvent,
    UnitProcedure,
)
from procedures.selectors.deadlines import procedure_due_at
from procedures.services.dossiers import Conflict, dossier_receive, dossier_receive_in_person, dossier_submit_online
from tests.factories import ProcedureFactory, RequiredDocumentFactory

from .conftest import png_bytes, upload

S = DossierStatus


def local(text: str) -> datetime:
    """A Hanoi wall-clock time (UTC+7) as an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC) - timedelta(hours=7)


def test_submission_gets_a_code_of_the_local_day_and_no_clock(world):
    # 18:30 UTC on 9 March is 01:30 on 10 March in Hanoi: the code carries the local date.
    with time_machine.travel(datetime(2026, 3, 9, 18, 30, tzinfo=UTC), tick=False):
        first = world.submit()
        second = world.submit()
    assert (first.code, second.code) == ("H26.08.04-260310-0001", "H26.08.04-260310-0002")
    assert first.status == S.SUBMITTED and first.channel == "online"
    assert first.received_at is None and first.due_at is None
    assert DailyCounter.objects.get(unit=world.unit).last_value == 2


@pytest.mark.parametrize(
    "received",
    [
        "2026-03-09 09:00",  # Monday morning: 3 working days → Thursday 09:00
        "2026-03-13 16:30",  # Friday afternoon → Wednesday 16:30
        "2026-03-14 10:00",  # Saturday: counts from Monday 08:00 → Thursday 08:00
        "2026-03-09 12:30",  # lunch: counts from 13:00
    ],
)
def test_receive_sets_the_due_time_procedure_due_at_gives(world, received):
    dossier = world.submit()
    with time_machine.travel(local(received), tick=False):
        dossier = dossier_receive(actor=world.desk, dossier=dossier.code)
    assert dossier.received_at == local(received)
    assert dossier.due_at == procedure_due_at(world.procedure, received_at=local(received), unit=world.unit)
    stored = Dossier.objects.get(pk=dossier.pk)
    assert (stored.status, stored.received_at, stored.due_at) == (S.RECEIVED, dossier.received_at, dossier.due_at)
    assert stored.target_at is None


def test_receive_due_time_examples(world):
    dossier = world.submit()
    with time_machine.travel(local("2026-03-13 16:30"), tick=False):
        dossier = dossier_receive(actor=world.desk, dossier=dossier)
    assert dossier.due_at == local("2026-03-18 16:30")


def test_no_wait_procedure_gets_its_target_and_the_statutory_due_time(world):
    quick = ProcedureFactory(online_level="full", quick=True, deadline_amount=1)
    document = RequiredDocumentFactory(procedure=quick)
    with time_machine.travel(local("2026-03-09 11:50"), tick=False):
        dossier = dossier_submit_online(
            applicant=world.citizen, procedure=quick, unit=world.unit, files=[(document, upload())]
        )
        dossier = dossier_receive(actor=world.desk, dossier=dossier)
    # 15 working minutes from 11:50: 10 before lunch, 5 after.
    assert dossier.target_at == local("2026-03-09 13:05")
    assert dossier.due_at == local("2026-03-10 11:50")


def walk_to_supplement(world, policy):
    world.unit.clock_policy = policy
    world.unit.save()
    dossier = world.submit()
    with time_machine.travel(local("2026-03-09 09:00"), tick=False):
        dossier = world.act(world.desk, dossier, Action.RECEIVE)
        dossier = world.act(world.desk, dossier, Action.ASSIGN, assignee=world.specialist)
    assert dossier.due_at == local("2026-03-12 09:00")
    with time_machine.travel(local("2026-03-10 09:00"), tick=False):
        dossier = world.act(world.specialist, dossier, Action.REQUEST_SUPPLEMENT)
    assert dossier.stopped_at == local("2026-03-10 09:00")
    assert dossier.remaining_seconds == 16 * 3600  # two working days were left
    with time_machine.travel(local("2026-03-12 09:00"), tick=False):
        return world.act(world.citizen, dossier, Action.SUPPLEMENT)


def test_supplement_restarts_the_clock_by_default(world):
    dossier = walk_to_supplement(world, ClockPolicy.RESTART)
    # The law's rule: a new receipt at the supplement's arrival, the full 3 working days from it.
    assert dossier.status == S.IN_PROGRESS
    assert dossier.received_at == local("2026-03-12 09:00")
    assert dossier.due_at == local("2026-03-17 09:00")
    assert (dossier.stopped_at, dossier.remaining_seconds) == (None, None)
    stored = Dossier.objects.get(pk=dossier.pk)
    assert (stored.received_at, stored.due_at, stored.stopped_at) == (dossier.received_at, dossier.due_at, None)
    assert DossierDocument.objects.filter(dossier=dossier, original_name="bo-sung.pdf").count() == 1


def test_supplement_resumes_a_paused_clock(world):
    dossier = walk_to_supplement(world, ClockPolicy.PAUSE)
    # The two working days left at the stop run again from Thursday 09:00: Friday, Monday.
    assert dossier.received_at == local("2026-03-09 09:00")
    assert dossier.due_at == local("2026-03-16 09:00")


def test_a_supplement_needs_files(world):
    dossier = world.to_status(S.SUPPLEMENT_REQUESTED)
    with pytest.raises(ValidationError):
        world.act(world.citizen, dossier, Action.SUPPLEMENT, files=[])
    assert Dossier.objects.get(pk=dossier.pk).status == S.SUPPLEMENT_REQUESTED


def test_redate_once(world):
    dossier = world.to_status(S.IN_PROGRESS)
    new_due = dossier.due_at + timedelta(days=3)
    with pytest.raises(ValidationError):
        world.act(world.specialist, dossier, Action.REDATE, new_due_at=dossier.due_at)  # not later
    with pytest.raises(ValidationError):
        world.act(world.specialist, dossier, Action.REDATE, new_due_at=new_due, comment="")  # no reason
    dossier = world.act(world.specialist, dossier, Action.REDATE, new_due_at=new_due, comment="Chờ xác minh")
    assert (dossier.status, dossier.redated_due_at, dossier.redate_reason) == (S.IN_PROGRESS, new_due, "Chờ xác minh")
    assert dossier.effective_due_at == new_due
    with pytest.raises(ValidationError):
        world.act(world.leader, dossier, Action.REDATE, new_due_at=new_due + timedelta(days=1))
    assert DossierHistory.objects.filter(dossier=dossier, action=Action.REDATE).count() == 1


def test_the_database_refuses_a_new_date_before_the_due_time(world):
    dossier = world.to_status(S.RECEIVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.filter(pk=dossier.pk).update(
            redated_at=dossier.due_at, redated_due_at=dossier.due_at - timedelta(hours=1), redate_reason="x"
        )


@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        ("2026-03-11 16:00", "early"),  # the day before the due day
        ("2026-03-12 08:30", "on_time"),  # the due day, before the due time
        ("2026-03-12 09:00", "on_time"),  # exactly the due time
        ("2026-03-12 09:01", "late"),
        ("2026-03-16 10:00", "late"),
    ],
)
def test_timeliness_when_finished(world, finished, expected):
    dossier = world.submit()
    with time_machine.travel(local("2026-03-09 09:00"), tick=False):
        dossier = world.act(world.desk, dossier, Action.RECEIVE)
        dossier = world.act(world.desk, dossier, Action.ASSIGN, assignee=world.specialist)
        dossier = world.act(world.specialist, dossier, Action.SUBMIT_FOR_APPROVAL)
    assert dossier.timeliness == ""
    with time_machine.travel(local(finished), tick=False):
        dossier = world.act(world.leader, dossier, Action.APPROVE)
    assert (dossier.finished_at, dossier.timeliness) == (local(finished), expected)
    dossier = world.act(world.desk, dossier, Action.RETURN_RESULT)
    stored = Dossier.objects.get(pk=dossier.pk)
    assert (stored.status, stored.timeliness, stored.finished_at) == (S.RETURNED, expected, local(finished))
    assert stored.returned_at is not None


def test_the_database_refuses_a_finished_dossier_without_timeliness(world):
    dossier = world.to_status(S.IN_PROGRESS)
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.filter(pk=dossier.pk).update(status=S.DONE, finished_at=dossier.due_at)


def test_the_database_refuses_a_received_dossier_without_due_time(world):
    dossier = world.submit()
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.filter(pk=dossier.pk).update(status=S.RECEIVED)


def test_the_database_refuses_a_bad_code(world):
    dossier = world.submit()
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.filter(pk=dossier.pk).update(code="H26.08.04-2603-1")


def test_control_slip_records_each_hand_over_and_its_step_timeliness(world):
    dossier = world.submit()
    with time_machine.travel(local("2026-03-09 09:00"), tick=False):
        dossier = world.act(world.desk, dossier, Action.RECEIVE)
    with time_machine.travel(local("2026-03-09 11:00"), tick=False):  # step 1 (4 h) took 2 h
        dossier = world.act(world.desk, dossier, Action.ASSIGN, assignee=world.specialist)
    with time_machine.travel(local("2026-03-10 11:00"), tick=False):  # step 2 (4 h, due 16:00 Mon) is late
        dossier = world.act(world.specialist, dossier, Action.SUBMIT_FOR_APPROVAL, leader=world.leader)
    with time_machine.travel(local("2026-03-10 14:00"), tick=False):
        dossier = world.act(world.leader, dossier, Action.APPROVE)
        dossier = world.act(world.desk, dossier, Action.RETURN_RESULT)
    rows = list(ControlSlipEntry.objects.filter(dossier=dossier).order_by("position"))
    assert [(r.action, r.from_user, r.to_user) for r in rows] == [
        (Action.RECEIVE, world.citizen, world.desk),
        (Action.ASSIGN, world.desk, world.specialist),
        (Action.SUBMIT_FOR_APPROVAL, world.specialist, world.leader),
        (Action.APPROVE, world.leader, None),
        (Action.RETURN_RESULT, world.desk, world.citizen),
    ]
    assert rows[0].step_due_at == local("2026-03-09 14:00")  # 09:00 + 4 working hours, lunch excluded
    assert [r.step_timeliness for r in rows] == ["on_time", "late", "on_time", "", ""]
    assert rows[1].step_due_at == local("2026-03-09 16:00")
    assert all(r.step_finished_at is not None for r in rows)


def test_each_transition_records_one_outbox_event_for_the_applicant(world):
    dossier = world.to_status(S.RETURNED)
    history = list(DossierHistory.objects.filter(dossier=dossier))
    assert [h.action for h in history] == [
        Action.SUBMIT,
        Action.RECEIVE,
        Action.ASSIGN,
        Action.SUBMIT_FOR_APPROVAL,
        Action.APPROVE,
        Action.RETURN_RESULT,
    ]
    for row in history:
        events = OutboxEvent.objects.filter(history=row, recipient=world.citizen)
        assert events.count() == 1
        event = events.get()
        assert event.payload == {
            "code": dossier.code,
            "action": row.action,
            "from": row.from_status,
            "to": row.to_status,
        }
        assert event.delivered_at is None
    # The specialist handed the dossier is told too.
    assert OutboxEvent.objects.filter(dossier=dossier, kind=Action.ASSIGN, recipient=world.specialist).count() == 1


def test_history_is_append_only(world):
    dossier = world.submit()
    row = DossierHistory.objects.get(dossier=dossier)
    row.comment = "sửa"
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        row.delete()
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        DossierHistory.objects.filter(pk=row.pk).update(comment="sửa")
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM procedures_dossierhistory WHERE id = %s", [row.pk])
    assert DossierHistory.objects.get(pk=row.pk).comment == ""


def test_idempotency_key_returns_the_same_dossier(world):
    first = world.submit(idempotency_key="abc-123")
    again = world.submit(idempotency_key="abc-123")
    other = world.submit(idempotency_key="abc-124")
    assert again.pk == first.pk and other.pk != first.pk
    assert Dossier.objects.count() == 2
    # The key is per applicant: another citizen's equal key is another dossier.
    assert world.submit(citizen=world.other_citizen, idempotency_key="abc-123").pk != first.pk


def test_online_submission_refused_where_the_procedure_or_unit_does_not_allow_it(world):
    world.procedure.online_level = "none"
    world.procedure.save()
    with pytest.raises(ValidationError, match="không nộp trực tuyến được"):
        world.submit()
    world.procedure.online_level = "partial"
    world.procedure.save()
    UnitProcedure.objects.create(unit=world.unit, procedure=world.procedure, offered=False)
    with pytest.raises(ValidationError):
        world.submit()
    with pytest.raises(PermissionDenied):
        world.submit(citizen=world.desk)
    assert Dossier.objects.count() == 0


def test_online_submission_needs_every_mandatory_document(world):
    with pytest.raises(ValidationError) as caught:
        world.submit(files=[(world.conditional, upload())])
    assert "Tờ khai" in str(caught.value)
    foreign = RequiredDocumentFactory()
    with pytest.raises(ValidationError):
        world.submit(files=[(world.mandatory, upload()), (foreign, upload())])
    assert Dossier.objects.count() == 0


def test_in_person_receipt(world):
    with time_machine.travel(local("2026-03-09 09:00"), tick=False):
        dossier = dossier_receive_in_person(
            actor=world.desk,
            applicant=world.citizen,
            procedure=world.procedure,
            documents_checked=[world.mandatory],
            files=[(world.conditional, upload("uy-quyen.png", content=png_bytes()))],
        )
    assert dossier.code == "H26.08.04-260309-0001"
    assert (dossier.status, dossier.channel) == (S.RECEIVED, "desk")
    assert dossier.due_at == local("2026-03-12 09:00")
    docs = {d.required_document_id: d for d in DossierDocument.objects.filter(dossier=dossier)}
    assert docs[world.mandatory.pk].file.name == ""
    assert docs[world.conditional.pk].content_type == "image/png"
    history = DossierHistory.objects.get(dossier=dossier)
    assert (history.action, history.from_status, history.to_status) == (Action.RECEIVE_IN_PERSON, "", S.RECEIVED)
    assert ControlSlipEntry.objects.get(dossier=dossier).to_user == world.desk


def test_in_person_receipt_refuses_an_incomplete_dossier_and_other_roles(world):
    with pytest.raises(ValidationError):
        dossier_receive_in_person(
            actor=world.desk, applicant=world.citizen, procedure=world.procedure, documents_checked=[]
        )
    for actor in (world.specialist, world.leader, world.citizen):
        with pytest.raises(PermissionDenied):
            dossier_receive_in_person(
                actor=actor, applicant=world.citizen, procedure=world.procedure, documents_checked=[world.mandatory]
            )
    assert Dossier.objects.count() == 0
    assert not DailyCounter.objects.exists()


def test_conflict_leaves_nothing_written(world):
    dossier = world.to_status(S.RECEIVED)
    with pytest.raises(Conflict):
        world.act(world.desk, dossier, Action.RECEIVE)
    assert DossierHistory.objects.filter(dossier=dossier).count() == 2
    assert OutboxEvent.objects.filter(dossier=dossier).count() == 2
