"""A called desk ticket becomes a desk receipt: the dossier of its procedure, linked to the ticket, which ends."""

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from procedures.domain.workflow import DossierStatus
from procedures.models import Dossier, Ticket, TicketStatus
from procedures.services.booking import booking_create
from procedures.services.booking_queue import (
    QueueError,
    ticket_call_next,
    ticket_check_in,
    ticket_receive_dossier,
    ticket_start,
    ticket_walk_in,
)
from tests.factories import RequiredDocumentFactory

from .conftest import at

CHECK_IN = at("2026-03-10 07:50")


@pytest.fixture
def documents(desk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return {
        desk.civil: RequiredDocumentFactory(procedure=desk.civil, position=1, name="Tờ khai"),
        desk.certify: RequiredDocumentFactory(procedure=desk.certify, position=1, name="Bản chính"),
    }


def _called(desk, procedure, counter):
    """A booking for `procedure` checked in at 07:50 and called at 08:05 (its ticket)."""
    with time_machine.travel(at("2026-03-09 10:00"), tick=False):
        booking = booking_create(
            citizen=desk.citizen, procedure=procedure, unit=desk.unit, start=at("2026-03-10 08:00")
        )
    with time_machine.travel(CHECK_IN, tick=False):
        ticket = ticket_check_in(actor=desk.desk, code=booking.code)
    with time_machine.travel(at("2026-03-10 08:05"), tick=False):
        assert ticket_call_next(actor=desk.desk, counter=counter).pk == ticket.pk
    return booking, ticket


def test_a_checked_in_booking_becomes_the_dossier_of_its_ticket(desk, documents):
    booking, ticket = _called(desk, desk.civil, desk.counter1)
    assert ticket.procedure == desk.civil
    with time_machine.travel(at("2026-03-10 08:06"), tick=False):
        ticket_start(actor=desk.desk, ticket_id=ticket.pk)
    with time_machine.travel(at("2026-03-10 08:15"), tick=False):
        dossier = ticket_receive_dossier(
            actor=desk.desk, ticket_id=ticket.pk, applicant=desk.citizen, documents_checked=[documents[desk.civil]]
        )
    ticket.refresh_from_db()
    assert dossier.status == DossierStatus.RECEIVED and dossier.applicant == desk.citizen
    assert dossier.arrived_at is None  # an ordinary dossier: no fast-track arrival
    assert ticket.dossier == dossier and ticket.status == TicketStatus.DONE
    assert ticket.finished_at == at("2026-03-10 08:15") and ticket.started_at == at("2026-03-10 08:06")
    assert booking.ticket.dossier == dossier and dossier.desk_ticket == ticket


def test_a_no_wait_booking_arrived_when_it_was_checked_in(desk, documents):
    _, ticket = _called(desk, desk.certify, desk.counter2)
    with time_machine.travel(at("2026-03-10 08:10"), tick=False):
        dossier = ticket_receive_dossier(
            actor=desk.desk, ticket_id=ticket.pk, applicant=desk.citizen, documents_checked=[documents[desk.certify]]
        )
    assert dossier.arrived_at == CHECK_IN  # the check-in time, not the call or the receipt
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DONE and ticket.started_at == at("2026-03-10 08:10")


def test_a_walk_in_ticket_keeps_its_procedure_and_can_be_received(desk, documents):
    with time_machine.travel(at("2026-03-10 09:00"), tick=False):
        ticket = ticket_walk_in(unit=desk.unit, procedure=desk.certify, actor=desk.desk)
        ticket_call_next(actor=desk.desk, counter=desk.counter2)
    with time_machine.travel(at("2026-03-10 09:20"), tick=False):
        dossier = ticket_receive_dossier(
            actor=desk.desk,
            ticket_id=ticket.pk,
            applicant=desk.other_citizen,
            documents_checked=[documents[desk.certify]],
        )
    assert ticket.procedure == desk.certify and dossier.arrived_at == at("2026-03-10 09:00")
    assert Ticket.objects.get(pk=ticket.pk).dossier == dossier


def test_what_cannot_be_received_leaves_the_ticket_as_it_was(desk, documents):
    booking, ticket = _called(desk, desk.civil, desk.counter1)
    with time_machine.travel(at("2026-03-10 08:10"), tick=False):
        with pytest.raises(Ticket.DoesNotExist):  # another unit's officer
            ticket_receive_dossier(
                actor=desk.other_desk, ticket_id=ticket.pk, applicant=desk.citizen, documents_checked=[]
            )
        with pytest.raises(ValidationError):  # the mandatory document is missing
            ticket_receive_dossier(actor=desk.desk, ticket_id=ticket.pk, applicant=desk.citizen, documents_checked=[])
        ticket.refresh_from_db()
        assert ticket.status == TicketStatus.CALLED and ticket.dossier is None
        assert not Dossier.objects.exists()
        ticket_receive_dossier(
            actor=desk.desk, ticket_id=ticket.pk, applicant=desk.citizen, documents_checked=[documents[desk.civil]]
        )
        with pytest.raises(QueueError):  # already finished with its dossier
            ticket_receive_dossier(
                actor=desk.desk, ticket_id=ticket.pk, applicant=desk.citizen, documents_checked=[documents[desk.civil]]
            )
    assert Dossier.objects.count() == 1


def test_a_waiting_ticket_is_not_received(desk, documents):
    with time_machine.travel(at("2026-03-10 09:00"), tick=False):
        ticket = ticket_walk_in(unit=desk.unit, procedure=desk.civil, actor=desk.desk)
        with pytest.raises(QueueError):
            ticket_receive_dossier(
                actor=desk.desk, ticket_id=ticket.pk, applicant=desk.citizen, documents_checked=[documents[desk.civil]]
            )


def test_the_desk_opens_the_receipt_prefilled_and_receiving_finishes_the_ticket(desk, documents, client):
    client.cookies["motcua_language"] = "en"
    booking, ticket = _called(desk, desk.certify, desk.counter2)
    client.force_login(desk.desk)
    with time_machine.travel(at("2026-03-10 08:10"), tick=False):
        page = client.get(reverse("desk_queue")).content.decode()
        link = f"{reverse('dossier_no_wait')}?ticket={ticket.pk}"
        assert f'id="receive-{ticket.pk}"' in page and link in page
        # The ordinary receipt page sends a no-wait ticket to the fast track.
        assert client.get(f"{reverse('dossier_receive_in_person')}?ticket={ticket.pk}")["Location"] == link
        response = client.get(link)
        assert response.context["procedure"] == desk.certify
        assert response.context["applicant_form"]["identifier"].value() == desk.citizen.phone
        assert response.context["arrival"] is None  # the check-in time is the arrival
        assert "the citizen arrived at 07:50" in response.content.decode()
        response = client.post(
            reverse("dossier_no_wait"),
            {
                "ticket": ticket.pk,
                "intent": "receive",
                "applicant-identifier": desk.citizen.phone,
                f"doc_{documents[desk.certify].pk}": "on",
            },
        )
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "dossier_no_wait_detail", args=[dossier.code]
    )
    ticket.refresh_from_db()
    assert ticket.dossier == dossier and ticket.status == TicketStatus.DONE and dossier.arrived_at == CHECK_IN
    with time_machine.travel(at("2026-03-10 08:11"), tick=False):
        assert client.get(link).status_code == 404  # received: no second dossier from this ticket
        assert f'id="receive-{ticket.pk}"' not in client.get(reverse("desk_queue")).content.decode()


def test_another_units_ticket_or_junk_is_not_found(desk, documents, client):
    _, ticket = _called(desk, desk.civil, desk.counter1)
    url = reverse("dossier_receive_in_person")
    with time_machine.travel(at("2026-03-10 08:10"), tick=False):
        client.force_login(desk.other_desk)
        assert client.get(f"{url}?ticket={ticket.pk}").status_code == 404
        client.force_login(desk.desk)
        assert client.get(f"{url}?ticket=abc").status_code == 404
        assert client.get(f"{url}?ticket={ticket.pk}").status_code == 200
        assert client.get(f"{url}?ticket={ticket.pk}").context["ticket"] == ticket


def test_a_refused_receipt_on_the_page_keeps_the_ticket_and_says_why(desk, documents, client):
    client.cookies["motcua_language"] = "en"
    _, ticket = _called(desk, desk.civil, desk.counter1)
    client.force_login(desk.desk)
    url = reverse("dossier_receive_in_person")
    with time_machine.travel(at("2026-03-10 08:10"), tick=False):
        response = client.post(
            url, {"ticket": ticket.pk, "intent": "receive", "applicant-identifier": desk.citizen.phone}
        )
        assert response.status_code == 400 and response.context["ticket"] == ticket
        assert 'name="ticket"' in response.content.decode()
        ticket.refresh_from_db()
        assert ticket.status == TicketStatus.CALLED and ticket.dossier is None and not Dossier.objects.exists()
        response = client.post(
            url,
            {
                "ticket": ticket.pk,
                "intent": "receive",
                "applicant-identifier": desk.citizen.phone,
                f"doc_{documents[desk.civil].pk}": "on",
            },
        )
    dossier = Dossier.objects.get()
    assert response["Location"] == reverse("staff_dossier_detail", args=[dossier.code])
    assert dossier.arrived_at is None and Ticket.objects.get(pk=ticket.pk).dossier == dossier
