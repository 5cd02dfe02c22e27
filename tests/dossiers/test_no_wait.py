"""The no-wait fast track: arrival → receipt → result returned in one visit, elapsed minutes against the target."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from portal.units.calendar.domain.working_time import VIETNAM_TZ
from procedures.domain.workflow import Action, DossierStatus
from procedures.models import ControlSlipEntry, Dossier, DossierHistory
from procedures.services.dossiers import Conflict
from procedures.services.no_wait import dossier_no_wait_complete, dossier_no_wait_receive
from tests.factories import ProcedureFactory, RequiredDocumentFactory

pytestmark = pytest.mark.django_db
FRIDAY_9 = datetime(2026, 11, 20, 9, 0, tzinfo=VIETNAM_TZ)


@pytest.fixture
def quick(world):
    procedure = ProcedureFactory(quick=True)
    document = RequiredDocumentFactory(procedure=procedure, position=1, name="Bản chính giấy tờ")
    return procedure, document


@pytest.fixture
def english(client):
    client.cookies["motcua_language"] = "en"


def receive(world, quick, arrived_at=None):
    procedure, document = quick
    return dossier_no_wait_receive(
        actor=world.desk,
        applicant=world.citizen,
        procedure=procedure,
        documents_checked=[document],
        arrived_at=arrived_at,
    )


def test_arrival_receipt_and_return_in_one_flow(world, quick):
    with time_machine.travel(FRIDAY_9, tick=False) as clock:
        d = receive(world, quick, arrived_at=FRIDAY_9 - timedelta(minutes=4))
        assert d.status == DossierStatus.RECEIVED and d.arrived_at == FRIDAY_9 - timedelta(minutes=4)
        assert d.target_at == FRIDAY_9 + timedelta(minutes=15)
        clock.shift(timedelta(minutes=9))
        d = dossier_no_wait_complete(actor=world.desk, dossier=d, expected_status=DossierStatus.RECEIVED)
    d.refresh_from_db()
    assert d.status == DossierStatus.RETURNED
    assert d.elapsed_minutes == 13
    assert d.timeliness == "early"
    actions = list(DossierHistory.objects.filter(dossier=d).values_list("action", flat=True))
    assert actions == [Action.RECEIVE_IN_PERSON, Action.FINISH, Action.RETURN_RESULT]
    assert ControlSlipEntry.objects.filter(dossier=d).count() == 3


def test_complete_is_both_or_neither(world, quick):
    d = receive(world, quick)
    with pytest.raises(Conflict):  # a stale page: the finish is refused, nothing changes
        dossier_no_wait_complete(actor=world.desk, dossier=d, expected_status=DossierStatus.IN_PROGRESS)
    d.refresh_from_db()
    assert d.status == DossierStatus.RECEIVED and d.finished_at is None


def test_arrival_time_is_checked(world, quick):
    with time_machine.travel(FRIDAY_9, tick=False):
        with pytest.raises(ValidationError):
            receive(world, quick, arrived_at=FRIDAY_9 + timedelta(minutes=1))
        with pytest.raises(ValidationError):
            receive(world, quick, arrived_at=FRIDAY_9 - timedelta(hours=13))
        with pytest.raises(ValidationError):
            receive(world, quick, arrived_at=FRIDAY_9.replace(tzinfo=None))  # naive
    assert not Dossier.objects.exists()


def test_only_a_no_wait_procedure(world):
    with pytest.raises(ValidationError):
        dossier_no_wait_receive(
            actor=world.desk,
            applicant=world.citizen,
            procedure=world.procedure,
            documents_checked=[world.mandatory],
        )


def test_the_database_refuses_an_arrival_after_the_receipt(world, quick):
    d = receive(world, quick)
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.filter(pk=d.pk).update(arrived_at=d.received_at + timedelta(seconds=1))


# --- the pages ---------------------------------------------------------------------------------------------


def test_the_page_flow_with_elapsed_time_over_target(world, quick, client, english):
    procedure, document = quick
    client.force_login(world.desk)
    with time_machine.travel(FRIDAY_9, tick=False) as clock:
        listing = client.get(reverse("dossier_no_wait"))
        assert procedure in listing.context["page_obj"].object_list
        assert world.procedure not in listing.context["page_obj"].object_list  # not a no-wait procedure
        response = client.post(
            reverse("dossier_no_wait"),
            {
                "procedure": procedure.code,
                "intent": "receive",
                "applicant-identifier": world.citizen.phone,
                "arrival-arrived_at": "2026-11-20T08:50",
                f"doc_{document.pk}": "on",
            },
        )
        d = Dossier.objects.get(procedure=procedure)
        assert response.status_code == 302 and response["Location"] == reverse("dossier_no_wait_detail", args=[d.code])
        assert d.arrived_at == datetime(2026, 11, 20, 8, 50, tzinfo=VIETNAM_TZ)
        page = client.get(reverse("dossier_no_wait_detail", args=[d.code])).content.decode()
        assert "not returned yet" in page and "no-wait-complete-submit" in page
        clock.shift(timedelta(minutes=20))
        response = client.post(reverse("dossier_no_wait_detail", args=[d.code]), {"expected_status": "received"})
        assert response.status_code == 302
        page = client.get(reverse("dossier_no_wait_detail", args=[d.code])).content.decode()
    d.refresh_from_db()
    assert d.status == DossierStatus.RETURNED and d.elapsed_minutes == 30
    assert 'id="no-wait-over"' in page and "30 minutes" in page
    staff_page = client.get(reverse("staff_dossier_detail", args=[d.code])).content.decode()
    assert 'id="no-wait-elapsed"' in staff_page and "over the target" in staff_page


def test_within_target_is_said_too(world, quick, client, english):
    with time_machine.travel(FRIDAY_9, tick=False) as clock:
        d = receive(world, quick)
        clock.shift(timedelta(minutes=10))
        dossier_no_wait_complete(actor=world.desk, dossier=d, expected_status=DossierStatus.RECEIVED)
    client.force_login(world.desk)
    page = client.get(reverse("dossier_no_wait_detail", args=[d.code])).content.decode()
    assert 'id="no-wait-within"' in page and "10 minutes" in page


def test_a_stale_complete_gets_the_conflict(world, quick, client, english):
    d = receive(world, quick)
    client.force_login(world.desk)
    dossier_no_wait_complete(actor=world.desk, dossier=d, expected_status=DossierStatus.RECEIVED)
    response = client.post(reverse("dossier_no_wait_detail", args=[d.code]), {"expected_status": "received"})
    assert response.status_code == 409
    assert "reload it and try again" in response.content.decode()
    assert DossierHistory.objects.filter(dossier=d).count() == 3


def test_no_wait_pages_reach_and_roles(world, quick, client):
    d = receive(world, quick)
    ordinary = world.to_status(DossierStatus.RECEIVED)
    client.force_login(world.other_desk)
    assert client.get(reverse("dossier_no_wait_detail", args=[d.code])).status_code == 404
    client.force_login(world.specialist)
    assert client.get(reverse("dossier_no_wait")).status_code == 403
    client.force_login(world.desk)
    assert client.get(reverse("dossier_no_wait_detail", args=[ordinary.code])).status_code == 404  # not fast-tracked
    assert client.get(reverse("dossier_no_wait"), {"procedure": world.procedure.code}).status_code == 404
