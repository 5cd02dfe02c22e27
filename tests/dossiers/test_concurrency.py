"""Real PostgreSQL concurrency: threads with their own connections, committed transactions.

- simultaneous submissions in one unit and day get 0001..N, no gap, no duplicate;
- two officers acting on one dossier at once (service and API): exactly one succeeds, the other gets
  Conflict (409);
- a rolled-back transaction leaves no outbox row and no used code.
"""

import threading
from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection, connections, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from procedures.domain.workflow import Action, DossierStatus
from procedures.models import DailyCounter, Dossier, DossierHistory, OutboxEvent
from procedures.services.dossiers import Conflict, dossier_transition
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
NOON = datetime(2026, 3, 9, 5, 0, tzinfo=UTC)  # Monday 12:00 in Hanoi


def run_together(*calls):
    """Run each call in its own thread (own database connection), released at once by a barrier."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 — the test inspects what each thread got
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_simultaneous_submissions_get_gap_free_codes(world):
    citizens = [world.citizen, world.other_citizen] + [UserFactory() for _ in range(18)]
    with time_machine.travel(NOON, tick=False):
        results = run_together(*[lambda c=c: world.submit(citizen=c) for c in citizens])
    assert all(isinstance(r, Dossier) for r in results), results
    codes = sorted(r.code for r in results)
    assert codes == [f"H26.08.04-260309-{n:04d}" for n in range(1, 21)]
    assert DailyCounter.objects.get(unit=world.unit).last_value == 20


def test_two_officers_receiving_at_once_one_wins(world):
    dossier = world.submit()
    second_desk = UserFactory(desk=True, unit=world.unit)
    results = run_together(
        *[
            lambda actor=actor: dossier_transition(
                actor=actor, dossier=dossier.code, action=Action.RECEIVE, expected_status=DossierStatus.SUBMITTED
            )
            for actor in (world.desk, second_desk)
        ]
    )
    wins = [r for r in results if isinstance(r, Dossier)]
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert (len(wins), len(conflicts)) == (1, 1), results
    assert conflicts[0].current_status == DossierStatus.RECEIVED
    assert DossierHistory.objects.filter(dossier=dossier, action=Action.RECEIVE).count() == 1
    assert OutboxEvent.objects.filter(dossier=dossier, kind=Action.RECEIVE).count() == 1


def _waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        # Inside a transaction the activity view is a snapshot taken once: clear it to see B move.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_the_loser_blocked_on_the_row_gets_conflict_from_the_guarded_update(world):
    """B reads the dossier while A's change is uncommitted, then waits on A's row lock; when A commits,
    B's `UPDATE … WHERE status = expected` changes nothing → Conflict, and B writes no history."""
    dossier = world.submit()
    second_desk = UserFactory(desk=True, unit=world.unit)
    a_changed = threading.Event()
    outcome: dict = {}

    def officer_b():
        try:
            a_changed.wait(timeout=30)
            outcome["b"] = dossier_transition(
                actor=second_desk, dossier=dossier.code, action=Action.RECEIVE, expected_status="submitted"
            )
        except Exception as exc:  # noqa: BLE001
            outcome["b"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=officer_b)
    thread.start()
    with transaction.atomic():
        dossier_transition(actor=world.desk, dossier=dossier.code, action=Action.RECEIVE, expected_status="submitted")
        a_changed.set()
        while thread.is_alive() and not _waiting_for_a_lock():
            pass  # B has read the old status and now waits for this row
        assert thread.is_alive(), f"officer B finished without waiting for the row: {outcome}"
    thread.join()
    assert isinstance(outcome["b"], Conflict), outcome
    assert outcome["b"].current_status == DossierStatus.RECEIVED
    assert DossierHistory.objects.filter(dossier=dossier, action=Action.RECEIVE).count() == 1


def test_a_rolled_back_submission_leaves_no_event_and_no_code_gap(world):
    with time_machine.travel(NOON, tick=False):
        with pytest.raises(RuntimeError), transaction.atomic():
            world.submit()
            raise RuntimeError("the request failed after the submission")
        assert not Dossier.objects.exists()
        assert not OutboxEvent.objects.exists()
        assert not DossierHistory.objects.exists()
        assert not DailyCounter.objects.exists()
        assert world.submit().code == "H26.08.04-260309-0001"


def test_a_rolled_back_transition_leaves_no_event(world):
    dossier = world.submit()
    with pytest.raises(RuntimeError), transaction.atomic():
        world.act(world.desk, dossier, Action.RECEIVE)
        raise RuntimeError("rolled back")
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.SUBMITTED
    assert OutboxEvent.objects.filter(dossier=dossier).count() == 1  # the submission's


def test_two_officers_posting_at_once_one_gets_409(world):
    dossier = world.submit()
    second_desk = UserFactory(desk=True, unit=world.unit)

    def post_as(user):
        client = APIClient()
        client.force_authenticate(user)
        return client.post(reverse("api-dossier-receive", args=[dossier.code]), {}, format="json")

    responses = run_together(lambda: post_as(world.desk), lambda: post_as(second_desk))
    assert sorted(r.status_code for r in responses) == [200, 409], responses
    conflict = next(r for r in responses if r.status_code == 409)
    assert conflict.json()["current_status"] == "received"
    assert DossierHistory.objects.filter(dossier=dossier, action=Action.RECEIVE).count() == 1
