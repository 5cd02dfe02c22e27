"""The deadline sweep on real PostgreSQL: what it flags, once per state, and who hears of it."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procedures.domain.workflow import SWEEP_ACTIONS, TRANSITIONS, Action, DossierStatus
from procedures.models import ApologyDraft, ControlSlipEntry, DossierHistory, OutboxEvent, SweepRun
from procedures.services.deadline_sweep import deadline_sweep
from tests.factories import ProcedureFactory, RequiredDocumentFactory

from ..dossiers.conftest import upload
from ..dossiers.test_concurrency import run_together

MONDAY_10 = datetime(2026, 3, 9, 3, 0, tzinfo=UTC)  # Monday 9 March 2026, 10:00 in Hanoi
SWEEP_FLAGS = [a.value for a in (Action.DUE_SOON, Action.OVERDUE, Action.ESCALATE, Action.TARGET_MISSED)]


def hanoi(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour - 7, minute, tzinfo=UTC)


def in_progress(world, at=MONDAY_10):
    with time_machine.travel(at, tick=False):
        return world.to_status(DossierStatus.IN_PROGRESS)


def sweep_at(moment):
    with time_machine.travel(moment, tick=False):
        return deadline_sweep()


def flags(dossier, *, steps=False):
    kinds = [*SWEEP_FLAGS, "step_due_soon", "step_overdue"] if steps else SWEEP_FLAGS
    return list(
        DossierHistory.objects.filter(dossier=dossier, action__in=kinds)
        .order_by("pk")
        .values_list("action", "actor_id", "from_status", "to_status")
    )


def test_a_dossier_is_flagged_due_soon_then_escalated_each_once(world):
    dossier = in_progress(world)  # 3 working days: due Thursday 12 March 10:00
    assert dossier.due_at == hanoi(12, 10)

    assert sweep_at(hanoi(10, 16))["due_soon"] == 0  # more than a working day left
    counts = sweep_at(hanoi(11, 10, 30))  # less than one working day left
    assert counts["due_soon"] == 1
    assert flags(dossier) == [("due_soon", None, "in_progress", "in_progress")]
    notified = OutboxEvent.objects.filter(dossier=dossier, kind="due_soon")
    assert all(e.payload["due"] == dossier.due_at.isoformat() for e in notified)
    assert sorted(notified.values_list("recipient_id", flat=True)) == sorted([world.specialist.pk, world.leader.pk])
    draft = ApologyDraft.objects.get(dossier=dossier)
    assert draft.officer == world.specialist and draft.issued_at is None

    # Run again, and again later in the same state: nothing changes.
    before = (DossierHistory.objects.count(), OutboxEvent.objects.count(), ApologyDraft.objects.count())
    assert set(sweep_at(hanoi(11, 10, 30)).values()) == {0}
    assert sweep_at(hanoi(11, 15))["due_soon"] == 0
    assert (DossierHistory.objects.count(), OutboxEvent.objects.count(), ApologyDraft.objects.count()) == before

    # Past the due time without an apology letter: escalated to the leader, once.
    counts = sweep_at(hanoi(12, 10, 5))
    assert counts["escalate"] == 1 and counts["overdue"] == 0
    assert sweep_at(hanoi(13, 9))["escalate"] == 0
    assert [f[0] for f in flags(dossier)] == ["due_soon", "escalate"]
    assert set(OutboxEvent.objects.filter(kind="escalate").values_list("recipient_id", flat=True)) == {
        world.specialist.pk,
        world.leader.pk,
    }
    # The status and the version are untouched: an officer's concurrent action still succeeds.
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.IN_PROGRESS and dossier.version == 3


def test_a_new_due_time_may_be_flagged_again_the_same_one_never(world):
    dossier = in_progress(world)
    sweep_at(hanoi(11, 10, 30))
    with time_machine.travel(hanoi(11, 11), tick=False):
        dossier = world.act(world.specialist, dossier, Action.REDATE, new_due_at=hanoi(16, 10))
    assert sweep_at(hanoi(12, 10, 5))["overdue"] == 0  # the new date is what counts
    assert sweep_at(hanoi(13, 11))["due_soon"] == 1  # due soon again, for the new date
    counts = sweep_at(hanoi(16, 11))
    assert counts["overdue"] == 1 and counts["escalate"] == 0  # it has its apology letter
    assert [f[0] for f in flags(dossier)] == ["due_soon", "due_soon", "overdue"]
    assert ApologyDraft.objects.filter(dossier=dossier).count() == 1


def test_same_day_procedures_are_due_soon_one_working_hour_ahead(world):
    procedure = ProcedureFactory(online_level="full", same_day=True)
    document = RequiredDocumentFactory(procedure=procedure, position=1)
    with time_machine.travel(hanoi(9, 9), tick=False):
        from procedures.services.dossiers import dossier_submit_online

        dossier = dossier_submit_online(
            applicant=world.citizen, procedure=procedure, unit=world.unit, files=[(document, upload())]
        )
        dossier = world.act(world.desk, dossier, Action.RECEIVE)
    assert dossier.due_at == hanoi(9, 17)
    assert sweep_at(hanoi(9, 15, 30))["due_soon"] == 0
    assert sweep_at(hanoi(9, 16, 5))["due_soon"] == 1
    # Received but not handed over yet: the desk officer who received it is responsible.
    assert ApologyDraft.objects.get(dossier=dossier).officer == world.desk


def test_no_wait_target_and_control_slip_steps_are_flagged(world):
    world.procedure.no_wait, world.procedure.no_wait_minutes = True, 15
    world.procedure.save()
    dossier = in_progress(world)  # step 2 (the specialist's) started at 10:00 with 240 working minutes
    step = ControlSlipEntry.objects.get(dossier=dossier, position=2)
    assert step.step_due_at == hanoi(9, 15)
    counts = sweep_at(hanoi(9, 14, 30))
    assert counts["target_missed"] == 1 and counts["step_due_soon"] == 1
    counts = sweep_at(hanoi(9, 15, 1))
    assert counts["step_overdue"] == 1 and counts["target_missed"] == 0
    assert [f[0] for f in flags(dossier, steps=True)] == ["target_missed", "step_due_soon", "step_overdue"]
    event = OutboxEvent.objects.get(dossier=dossier, kind="step_overdue")
    assert event.recipient == world.specialist and event.payload["step"] == 2
    assert set(sweep_at(hanoi(9, 16)).values()) == {0}


def test_stopped_finished_and_unreceived_dossiers_are_left_alone(world):
    with time_machine.travel(MONDAY_10, tick=False):
        waiting = world.to_status(DossierStatus.SUPPLEMENT_REQUESTED)
        done = world.to_status(DossierStatus.DONE)
        submitted = world.to_status(DossierStatus.SUBMITTED)
    counts = sweep_at(hanoi(20, 10))
    assert counts["escalate"] == 0 and counts["due_soon"] == 0
    for dossier in (waiting, done, submitted):
        assert flags(dossier) == []


def test_two_sweeps_at_once_flag_each_dossier_once(world, transactional_db):
    dossiers = [in_progress(world) for _ in range(5)]
    with time_machine.travel(hanoi(12, 11), tick=False):
        results = run_together(deadline_sweep, deadline_sweep, deadline_sweep)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r.get("escalate", 0) for r in results) == 5
    for dossier in dossiers:
        assert [f[0] for f in flags(dossier)] == ["escalate"]


def test_query_count_does_not_grow_with_the_dossiers(world):
    def queries_for_sweep(day):
        with CaptureQueriesContext(connection) as ctx:
            sweep_at(hanoi(day, 11))
        return len(ctx.captured_queries)

    in_progress(world)
    small = queries_for_sweep(12)
    for _ in range(8):
        in_progress(world, at=MONDAY_10 + timedelta(days=7))  # due Thursday 19 March
    assert queries_for_sweep(19) == small
    assert SweepRun.objects.count() == 2


def test_the_command_runs_the_same_sweep(world, capsys):
    from django.core.management import call_command

    in_progress(world)
    with time_machine.travel(hanoi(12, 11), tick=False):
        call_command("sweep_deadlines")
    assert '"escalate": 1' in capsys.readouterr().out


def test_sweep_flags_are_history_actions_never_transitions():
    assert SWEEP_ACTIONS <= set(Action)
    assert not SWEEP_ACTIONS & set(TRANSITIONS)
