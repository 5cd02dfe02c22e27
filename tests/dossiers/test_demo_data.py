"""seed_demo's dossiers and the generate_dossiers command."""

import pytest
from django.core.management import call_command

from portal.accounts.models import User
from procedures.domain.workflow import DossierStatus
from procedures.models import ControlSlipEntry, DailyCounter, Dossier, DossierDocument, DossierHistory, OutboxEvent
from procedures.services.demo import DEMO_PASSWORD, DEMO_WARD_CODE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def counts():
    return [
        m.objects.count()
        for m in (Dossier, DossierHistory, ControlSlipEntry, OutboxEvent, DossierDocument, DailyCounter, User)
    ]


def test_seed_demo_adds_citizen2_and_a_dossier_in_every_status(client):
    call_command("seed_demo")
    citizen2 = User.objects.get(username="citizen2")
    assert citizen2.phone == "0987654321"
    assert client.post("/accounts/login/", {"username": "citizen2", "password": DEMO_PASSWORD}).status_code == 302
    dossiers = Dossier.objects.filter(unit__code=DEMO_WARD_CODE)
    assert set(dossiers.values_list("status", flat=True)) == set(DossierStatus.values)
    assert dossiers.filter(applicant=citizen2).exists()
    for dossier in dossiers:
        assert dossier.history.exists()
        assert dossier.documents.exists()
        if dossier.received_at:
            assert dossier.control_slip.exists()
    assert OutboxEvent.objects.exists()
    before = counts()
    call_command("seed_demo")
    assert counts() == before
