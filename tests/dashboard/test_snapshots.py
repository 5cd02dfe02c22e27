"""Monthly snapshots: a published month never changes; the trend reads frozen months and the live one."""

from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from portal.celery_schedule import beat_schedule
from procedures.domain.periods import PeriodError, month_period
from procedures.models import DashboardSnapshot, Dossier
from procedures.selectors.dashboard import monthly_trend
from procedures.services.dashboard_snapshots import dashboard_snapshot_take, dashboard_snapshots_take
from procedures.tasks import snapshot_dashboards
from tests.dashboard.conftest import local, make_dossier, make_rating

pytestmark = pytest.mark.django_db
JANUARY = month_period(2026, 1)


@pytest.fixture
def january(ward_a, procedure, applicant):
    dossier = make_dossier(
        unit=ward_a, procedure=procedure, applicant=applicant,
        received_at=local(2026, 1, 5, 9), due_at=local(2026, 1, 8, 9), finished_at=local(2026, 1, 7, 9),
    )  # fmt: skip
    return dossier


def test_a_published_month_never_changes_even_if_dossiers_do(ward_a, january, procedure, applicant):
    snapshot, created = dashboard_snapshot_take(unit=ward_a, month=JANUARY, now=local(2026, 2, 1, 8))
    assert created and snapshot.figures["received"] == 1 and snapshot.figures["early"] == 1
    # Afterwards: the dossier is re-classified, another one appears in January, a rating arrives late.
    Dossier.objects.filter(pk=january.pk).update(timeliness="late")
    make_dossier(unit=ward_a, procedure=procedure, applicant=applicant, received_at=local(2026, 1, 20, 9))
    make_rating(january, "dissatisfied", local(2026, 1, 31, 23))
    again, created = dashboard_snapshot_take(unit=ward_a, month=JANUARY, now=local(2026, 3, 1, 8))
    assert not created and again.pk == snapshot.pk
    again.refresh_from_db()
    assert (again.figures["received"], again.figures["early"], again.figures["late"]) == (1, 1, 0)
    assert again.figures["satisfaction"]["dissatisfied"] == 0
    assert again.taken_at == local(2026, 2, 1, 8)
    # The trend shows the published figures for January and the live ones elsewhere.
    trend = monthly_trend(unit=ward_a, months=3, now=local(2026, 3, 10, 9))
    assert [(p.month.label, p.frozen) for p in trend] == [("01/2026", True), ("02/2026", False), ("03/2026", False)]
    assert trend[0].figures["received"] == 1
    assert trend[-1].figures["period"] == {"from": "2026-03-01", "to": "2026-03-10"}  # the current month so far


def test_taking_a_month_for_every_unit_is_idempotent(ward_a, ward_b, january):
    assert dashboard_snapshots_take(now=local(2026, 2, 1, 8)) == DashboardSnapshot.objects.count() >= 2
    assert dashboard_snapshots_take(now=local(2026, 2, 1, 9)) == 0
    assert DashboardSnapshot.objects.get(unit=ward_a, month=JANUARY.start).figures["received"] == 1


def test_a_month_not_over_is_not_snapshotted(ward_a):
    with pytest.raises(PeriodError):
        dashboard_snapshot_take(unit=ward_a, month=month_period(2026, 2), now=local(2026, 2, 28, 23))
    assert not DashboardSnapshot.objects.exists()


def test_the_command_and_the_task(ward_a, january):
    out = StringIO()
    with time_machine.travel(local(2026, 3, 5, 9), tick=False):
        call_command("snapshot_dashboards", "--month", "2026-01", stdout=out)
        assert "snapshot(s) written" in out.getvalue()
        assert DashboardSnapshot.objects.filter(month=JANUARY.start, unit=ward_a).exists()
        assert snapshot_dashboards() >= 1  # last month (February) for every unit
        assert DashboardSnapshot.objects.filter(month=month_period(2026, 2).start, unit=ward_a).exists()
        call_command("snapshot_dashboards", "--since", "2025-12", stdout=out)  # December to February
        assert DashboardSnapshot.objects.filter(month=month_period(2025, 12).start, unit=ward_a).exists()
        with pytest.raises(CommandError, match="YYYY-MM"):
            call_command("snapshot_dashboards", "--month", "2026/01")
        with pytest.raises(CommandError):
            call_command("snapshot_dashboards", "--month", "2026-03")  # not over yet


def test_beat_takes_the_snapshots_on_the_first_of_the_month():
    entry = beat_schedule()["snapshot-dashboards"]
    assert entry["task"] == "procedures.tasks.snapshot_dashboards"
    assert entry["schedule"].day_of_month == {1}
    assert entry["schedule"].hour == {1}  # 08:00 in Hanoi
