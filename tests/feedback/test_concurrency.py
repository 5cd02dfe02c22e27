"""Real PostgreSQL threads: simultaneous submissions get gap-free PA- codes; two officers answering at once,
one wins and the other gets a conflict; a rolled-back feedback leaves no used code."""

import pytest
import time_machine
from django.db import transaction

from procedures.models import Feedback, FeedbackCounter
from procedures.services.feedback import FeedbackConflict, feedback_answer, feedback_submit

from ..dossiers.test_concurrency import run_together
from .conftest import MONDAY_10, submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_submissions_get_gap_free_codes(world):
    def one(n):
        return feedback_submit(
            kind="report",
            subject=f"Ý kiến {n}",
            content="Nội dung",
            sender_name="A",
            sender_phone="0912345678",
            unit=world.unit,
        )

    with time_machine.travel(MONDAY_10, tick=False):
        with transaction.atomic():  # a rolled-back one first: its number is reused
            submit(world)
            transaction.set_rollback(True)
        results = run_together(*[lambda n=n: one(n) for n in range(16)])
    assert all(isinstance(r, Feedback) for r in results), results
    assert sorted(r.code for r in results) == [f"PA-H26.08.04-260309-{n:04d}" for n in range(1, 17)]
    assert FeedbackCounter.objects.get(unit=world.unit).last_value == 16


def test_two_officers_answering_at_once_one_wins(world):
    feedback = submit(world)
    results = run_together(
        *[
            lambda text=text: feedback_answer(actor=world.leader, feedback=feedback.code, answer=text, version=1)
            for text in ("Trả lời A", "Trả lời B")
        ]
    )
    wins = [r for r in results if isinstance(r, Feedback)]
    conflicts = [r for r in results if isinstance(r, FeedbackConflict)]
    assert (len(wins), len(conflicts)) == (1, 1), results
    assert Feedback.objects.get(pk=feedback.pk).answer == wins[0].answer
