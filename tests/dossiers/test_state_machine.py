"""Property: no sequence of actions through the transition service breaks a dossier's invariants.

Random actions (allowed or not, by the actor the table names) at random moments on a few dossiers; after
each step: a received dossier has its due time, the history has one row per successful change and chains
from status to status, timeliness is set exactly when finished, every change has its outbox event, the
clock is stopped only while a supplement is awaited, slip rows are contiguous, and codes are gap-free.
"""

from collections import defaultdict
from datetime import UTC, datetime, timedelta

import time_machine
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from procedures.domain.workflow import FINISHED_STATUSES, RECEIVED_STATUSES, TRANSITIONS, Action, DossierStatus
from procedures.models import ControlSlipEntry, Dossier, DossierHistory, OutboxEvent
from procedures.services.dossiers import Conflict

from .conftest import actor_for

S = DossierStatus
START = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)  # Monday 09:00 in Hanoi


def test_transitions_keep_the_invariants(world):
    class DossierMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.traveller = time_machine.travel(START, tick=False)
            self.clock = self.traveller.start()
            self.dossiers: list[Dossier] = []
            self.changes: dict[int, int] = defaultdict(int)  # successful status changes per dossier

        def teardown(self):
            self.traveller.stop()

        @rule()
        def submit(self):
            dossier = world.submit()
            self.dossiers.append(dossier)
            self.changes[dossier.pk] = 1

        @precondition(lambda self: self.dossiers)
        @rule(
            pick=st.integers(0, 10),
            action=st.sampled_from(list(TRANSITIONS)),
            minutes=st.integers(0, 3 * 24 * 60),
        )
        def act(self, pick, action, minutes):
            self.clock.shift(timedelta(minutes=minutes))
            dossier = Dossier.objects.get(pk=self.dossiers[pick % len(self.dossiers)].pk)
            before = DossierHistory.objects.filter(dossier=dossier).count()
            extra = {"assignee": world.specialist} if action == Action.ASSIGN else {}
            if action == Action.REDATE and dossier.due_at:
                extra["new_due_at"] = max(dossier.due_at, datetime.now(UTC)) + timedelta(days=2)
            try:
                after = world.act(
                    actor_for(world, action, dossier.status, redate_by=world.leader), dossier, action, **extra
                )
            except Conflict as exc:
                assert exc.current_status == dossier.status
                assert Dossier.objects.get(pk=dossier.pk).version == dossier.version
            except ValidationError:
                # Only a second re-dating is refused as bad input here.
                assert action == Action.REDATE and dossier.redated_at is not None
            else:
                self.changes[dossier.pk] += 1
                target = TRANSITIONS[action].target or dossier.status
                assert after.status == target
                assert DossierHistory.objects.filter(dossier=dossier).count() == before + 1

        @invariant()
        def dossiers_are_consistent(self):
            for dossier in Dossier.objects.filter(pk__in=[d.pk for d in self.dossiers]):
                if dossier.status in RECEIVED_STATUSES:
                    assert dossier.received_at is not None and dossier.due_at is not None
                assert (dossier.received_at is None) == (dossier.due_at is None)
                finished = dossier.status in FINISHED_STATUSES
                assert bool(dossier.timeliness) == finished == (dossier.finished_at is not None)
                waiting = dossier.status == S.SUPPLEMENT_REQUESTED and dossier.received_at is not None
                assert (dossier.stopped_at is not None) == waiting
                history = list(DossierHistory.objects.filter(dossier=dossier).order_by("pk"))
                assert len(history) == self.changes[dossier.pk]
                assert history[0].from_status == "" and history[-1].to_status == dossier.status
                for earlier, later in zip(history, history[1:], strict=False):
                    assert later.from_status == earlier.to_status
                for row in history:
                    assert OutboxEvent.objects.filter(history=row, recipient=dossier.applicant).count() == 1
                positions = list(
                    ControlSlipEntry.objects.filter(dossier=dossier)
                    .order_by("position")
                    .values_list("position", "step_finished_at")
                )
                assert [p for p, _f in positions] == list(range(1, len(positions) + 1))
                assert all(f is not None for _p, f in positions[:-1])

        @invariant()
        def codes_are_gap_free(self):
            by_day = defaultdict(list)
            for code in Dossier.objects.values_list("code", flat=True):
                prefix, number = code.rsplit("-", 1)
                by_day[prefix].append(int(number))
            for numbers in by_day.values():
                assert sorted(numbers) == list(range(1, len(numbers) + 1))

    run_state_machine_as_test(
        DossierMachine,
        settings=settings(
            max_examples=20,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
