"""Dossiers written straight into the table with exactly the times a figure depends on (hand-computed
fixtures): the services would compute due times and statuses themselves, which is what these tests must not
depend on."""

from datetime import datetime
from itertools import count

import pytest

from portal.units.calendar.domain.working_time import VIETNAM_TZ
from procedures.domain.deadlines import timeliness as deadline_timeliness
from procedures.domain.feedback import FeedbackStatus
from procedures.domain.workflow import DossierStatus
from procedures.models import Dossier, Feedback, Rating
from tests.factories import ProcedureFactory, UnitFactory, UserFactory

_sequence = count(1)


def local(*args) -> datetime:
    """An aware datetime from Vietnam wall-clock time."""
    return datetime(*args, tzinfo=VIETNAM_TZ)


def make_dossier(
    *,
    unit,
    procedure,
    applicant,
    received_at=None,
    due_at=None,
    status=None,
    finished_at=None,
    timeliness="",
    returned_at=None,
    channel="desk",
    assigned_to=None,
    arrived_at=None,
    redated_due_at=None,
):
    if status is None:
        if returned_at is not None:
            status = DossierStatus.RETURNED
        elif finished_at is not None:
            status = DossierStatus.DONE
        elif received_at is not None:
            status = DossierStatus.IN_PROGRESS
        else:
            status = DossierStatus.SUBMITTED
    if received_at is not None and due_at is None:
        due_at = received_at.replace(year=received_at.year + 1)
    if finished_at is not None and not timeliness:
        timeliness = deadline_timeliness(finished_at, redated_due_at or due_at).value
    extra = {}
    if redated_due_at is not None:
        extra = {"redated_at": received_at, "redated_due_at": redated_due_at, "redate_reason": "test"}
    return Dossier.objects.create(
        code=f"{unit.code}-260101-{next(_sequence) % 10000:04d}",
        procedure=procedure,
        unit=unit,
        applicant=applicant,
        channel=channel,
        status=status,
        submitted_at=received_at or local(2026, 1, 1, 8),
        received_at=received_at,
        due_at=due_at,
        finished_at=finished_at,
        timeliness=timeliness,
        returned_at=returned_at,
        assigned_to=assigned_to,
        arrived_at=arrived_at,
        **extra,
    )


@pytest.fixture
def district(db):
    return UnitFactory(kind="district", code="D1", name="District One")


@pytest.fixture
def ward_a(district):
    return UnitFactory(kind="ward", code="D1.01", name="Ward A", parent=district)


@pytest.fixture
def ward_b(district):
    return UnitFactory(kind="ward", code="D1.02", name="Ward B", parent=district)


@pytest.fixture
def procedure(db):
    return ProcedureFactory(online_level="full")


@pytest.fixture
def applicant(db):
    return UserFactory(role="citizen")


def make_rating(dossier, level, rated_at):
    return Rating.objects.create(
        dossier=dossier,
        unit=dossier.unit,
        level=level,
        reason="slow" if level == "dissatisfied" else "",
        channel="online",
        rated_at=rated_at,
    )


def make_feedback(*, unit, received_at, due_at, answered_at=None, answered_by=None, assigned_to=None):
    answered = answered_at is not None
    return Feedback.objects.create(
        code=f"PA-{next(_sequence):06d}",
        unit=unit,
        kind="report",
        channel="online",
        status=FeedbackStatus.ANSWERED if answered else FeedbackStatus.RECEIVED,
        sender_name="Nguyễn Văn A",
        sender_phone="0912345678",
        subject="Thái độ",
        content="Nội dung",
        received_at=received_at,
        due_at=due_at,
        answer="Đã trả lời" if answered else "",
        answered_at=answered_at,
        answered_by=answered_by,
        assigned_to=assigned_to,
    )
