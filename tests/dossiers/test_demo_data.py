"""seed_demo's dossiers and the generate_dossiers command."""

from collections import defaultdict
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from portal.accounts.models import User
from portal.units.calendar.domain.working_time import VIETNAM_TZ
from portal.units.calendar.selectors import unit_calendar
from portal.units.models import Unit
from procedures.domain import deadlines
from procedures.domain.workflow import FINISHED_STATUSES, RECEIVED_STATUSES, DossierStatus
from procedures.models import ControlSlipEntry, DailyCounter, Dossier, DossierDocument, DossierHistory, OutboxEvent
from procedures.selectors.deadlines import procedure_deadline
from procedures.services.demo import DEMO_PASSWORD, DEMO_WARD_CODE, seed_demo
from procedures.services.dossiers import dossier_code_allocate

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


def test_generate_dossiers_creates_consistent_dossiers(capsys):

    seed_demo()
    demo = list(Dossier.objects.values_list("pk", flat=True))
    call_command("generate_dossiers", "--count", "500", "--seed", "7", "--since", "2026-01-01")
    assert "Created 500 dossiers" in capsys.readouterr().out
    generated = list(Dossier.objects.exclude(pk__in=demo).select_related("procedure", "unit"))
    assert len(generated) == 500
    # Codes gap-free per unit and day, and the counters at the last one.
    sequences = defaultdict(list)
    for d in generated:
        unit_code, day, seq = d.code.rsplit("-", 2)
        assert unit_code == d.unit.code
        sequences[(d.unit, day)].append(int(seq))
    for (unit, day), seqs in sequences.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), (unit, day)
        counter = DailyCounter.objects.get(unit=unit, day=date(2000 + int(day[:2]), int(day[2:4]), int(day[4:])))
        assert counter.last_value == len(seqs)
    # A later receipt on one of those days gets the next code.
    (unit, day), seqs = next(iter(sequences.items()))
    moment = Dossier.objects.filter(code__startswith=f"{unit.code}-{day}-").first().submitted_at
    assert dossier_code_allocate(unit=unit, at=moment) == f"{unit.code}-{day}-{len(seqs) + 1:04d}"
    statuses = {d.status for d in generated}
    assert DossierStatus.RETURNED in statuses
    for d in generated:
        assert d.history.count() >= 1
        if d.status in RECEIVED_STATUSES:
            calendar = unit_calendar(d.unit)
            local = d.received_at.astimezone(VIETNAM_TZ)
            assert any(s <= local.time() <= e for s, e in calendar.sessions_on(local.date())), d.code
            assert d.due_at == deadlines.due_at(calendar, d.received_at, procedure_deadline(d.procedure))
        if d.status in FINISHED_STATUSES:
            assert d.timeliness == deadlines.timeliness(d.finished_at, d.due_at).value
    assert Unit.objects.filter(dossiers__in=[d.pk for d in generated]).distinct().count() > 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--count", "0"], "--count must be a whole number"),
        (["--count", "5", "--units", "H99.99"], "Unknown or inactive unit: H99.99"),
        (["--count", "5", "--since", "hôm qua"], "is not a date"),
    ],
)
def test_generate_dossiers_refuses_bad_options(args, message, english):
    seed_demo()
    before = counts()
    with pytest.raises(CommandError, match=message):
        call_command("generate_dossiers", *args)
    assert counts() == before


def test_generate_dossiers_refuses_production(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="production"):
        call_command("generate_dossiers", "--count", "5")


def test_generate_dossiers_speaks_vietnamese_by_default():
    seed_demo()
    with pytest.raises(CommandError, match="Đơn vị không tồn tại hoặc đã ngừng hoạt động: H99.99"):
        call_command("generate_dossiers", "--count", "5", "--units", "H99.99")
