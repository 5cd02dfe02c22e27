"""The day figures kept by the PostgreSQL triggers agree with counting the dossiers themselves, after inserts,
updates (finishing, re-receiving, moving), deletes and COPY-like bulk inserts."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procedures.domain.periods import Period
from procedures.domain.workflow import DossierStatus
from procedures.models import Dossier, DossierDayFigure
from procedures.selectors import dashboard
from procedures.selectors.dashboard import figures_by_procedure, ward_figures
from tests.dashboard.conftest import local, make_dossier, make_rating
from tests.factories import ProcedureFactory

pytestmark = pytest.mark.django_db
FEBRUARY = Period(date(2026, 2, 1), date(2026, 2, 28))
NOW = local(2026, 3, 20, 9)
COUNTED = ("received", "resolved", "early", "on_time", "late", "no_wait_received", "online_received")


def _both(unit, monkeypatch, period=FEBRUARY):
    summary = ward_figures(unit=unit, period=period, now=NOW)
    with monkeypatch.context() as patched:
        patched.setattr(dashboard, "_use_day_figures", lambda group, officer: False)
        counted = ward_figures(unit=unit, period=period, now=NOW)
    return summary, counted


def test_updates_and_deletes_move_the_counts(ward_a, ward_b, procedure, applicant, monkeypatch):
    d = make_dossier(unit=ward_a, procedure=procedure, applicant=applicant, received_at=local(2026, 2, 27, 23, 59))
    assert ward_figures(unit=ward_a, period=FEBRUARY, now=NOW).received == 1
    # Finished late, then re-received in March (a supplement's new receipt), then moved to another ward.
    Dossier.objects.filter(pk=d.pk).update(
        status=DossierStatus.DONE, finished_at=local(2026, 2, 28, 10), timeliness="late"
    )
    f = ward_figures(unit=ward_a, period=FEBRUARY, now=NOW)
    assert (f.received, f.resolved, f.late) == (1, 1, 1)
    Dossier.objects.filter(pk=d.pk).update(received_at=local(2026, 3, 1, 0, 0))
    assert ward_figures(unit=ward_a, period=FEBRUARY, now=NOW).received == 0
    Dossier.objects.filter(pk=d.pk).update(unit=ward_b, received_at=local(2026, 2, 10, 9))
    assert (ward_figures(unit=ward_a, period=FEBRUARY, now=NOW).late, ward_figures(unit=ward_b, period=FEBRUARY,
            now=NOW).late) == (0, 1)  # fmt: skip
    # The sweep's flags and version bumps change nothing counted: no summary row is written.
    rows = list(DossierDayFigure.objects.values_list("unit_id", "day", "kind", "n").order_by("pk"))
    Dossier.objects.filter(pk=d.pk).update(version=7, overdue_for=local(2026, 2, 12, 9))
    assert list(DossierDayFigure.objects.values_list("unit_id", "day", "kind", "n").order_by("pk")) == rows
    Dossier.objects.filter(pk=d.pk).delete()
    summary, counted = _both(ward_b, monkeypatch)
    assert summary.received == counted.received == 0


def test_bulk_inserts_are_counted(ward_a, procedure, applicant, monkeypatch):
    make = lambda i: Dossier(  # noqa: E731
        code=f"{ward_a.code}-260210-{i:04d}", procedure=procedure, unit=ward_a, applicant=applicant,
        channel="online", status=DossierStatus.IN_PROGRESS, received_at=local(2026, 2, 10, 9),
        due_at=local(2026, 2, 13, 9),
    )  # fmt: skip
    Dossier.objects.bulk_create([make(i) for i in range(1, 51)])
    summary, counted = _both(ward_a, monkeypatch)
    assert summary.received == counted.received == summary.online_received == 50


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.integers(0, 45), st.none() | st.integers(0, 9), st.booleans(), st.booleans(), st.booleans()),
        max_size=10,
    ),
    st.lists(st.integers(0, 9), max_size=4),
)
def test_day_figures_equal_counting_the_dossiers(ward_a, procedure, applicant, monkeypatch, specs, edits):
    Dossier.objects.all().delete()
    quick = ProcedureFactory(quick=True)
    made = []
    for received, finished, online, fast, on_quick in specs:
        at = local(2026, 1, 20, 7) + timedelta(days=received, hours=received % 17)
        made.append(
            make_dossier(
                unit=ward_a,
                procedure=quick if on_quick else procedure,
                applicant=applicant,
                channel="online" if online else "desk",
                received_at=at,
                due_at=at + timedelta(days=3),
                finished_at=None if finished is None else at + timedelta(days=finished),
                arrived_at=at - timedelta(minutes=5) if fast else None,
            )  # fmt: skip
        )
    for index in edits:  # re-receive some a day later (a new receipt after a supplement)
        if index < len(made) and made[index].finished_at is None:
            Dossier.objects.filter(pk=made[index].pk).update(received_at=made[index].received_at + timedelta(days=1))
    summary, counted = _both(ward_a, monkeypatch)
    for name in COUNTED:
        assert getattr(summary, name) == getattr(counted, name), name
    by_summary = figures_by_procedure(unit=ward_a, period=FEBRUARY, now=NOW)
    with monkeypatch.context() as patched:
        patched.setattr(dashboard, "_use_day_figures", lambda group, officer: False)
        assert by_summary == figures_by_procedure(unit=ward_a, period=FEBRUARY, now=NOW)


def test_digitised_follows_the_documents(ward_a, procedure, applicant, monkeypatch):
    from procedures.models import DossierDocument
    from tests.factories import RequiredDocumentFactory

    d = make_dossier(unit=ward_a, procedure=procedure, applicant=applicant, received_at=local(2026, 2, 10, 9))
    required = RequiredDocumentFactory(procedure=procedure)
    pdf = {"file": "dossiers/2026/02/a.pdf", "size": 10, "content_type": "application/pdf"}

    def digitised():
        summary, counted = _both(ward_a, monkeypatch)
        assert summary.digitised == counted.digitised
        return summary.digitised

    assert digitised() == 0  # no documents yet
    DossierDocument.objects.create(dossier=d, required_document=required, uploaded_by=applicant, **pdf)
    assert digitised() == 1
    paper = DossierDocument.objects.create(dossier=d, required_document=required, uploaded_by=applicant)
    assert digitised() == 0  # a paper document ticked at the desk
    DossierDocument.objects.filter(pk=paper.pk).update(**pdf)  # scanned afterwards
    assert digitised() == 1
    DossierDocument.objects.filter(dossier=d).delete()
    assert digitised() == 0


LEVELS = ("very_satisfied", "satisfied", "dissatisfied")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.integers(-2, 30), st.integers(0, 23), st.integers(0, 2)), max_size=8),
    st.lists(st.tuples(st.integers(0, 7), st.sampled_from(["level", "day", "ward", "delete"])), max_size=4),
)
def test_rating_day_figures_equal_counting_the_ratings(ward_a, ward_b, procedure, applicant, monkeypatch, specs,
                                                       edits):  # fmt: skip
    from procedures.models import Rating

    Rating.objects.all().delete()
    Dossier.objects.all().delete()
    ratings = []
    for day, hour, level in specs:
        d = make_dossier(unit=ward_a, procedure=procedure, applicant=applicant, received_at=local(2026, 1, 20, 9))
        # From 30 January to early March, at any local hour: 23:xx on 28 February is February, 00:xx on 1 March not.
        ratings.append(make_rating(d, LEVELS[level], local(2026, 2, 1, hour) + timedelta(days=day)))
    for index, edit in edits:
        if index >= len(ratings):
            continue
        rated = Rating.objects.filter(pk=ratings[index].pk)
        if edit == "level":
            rated.update(level=LEVELS[(LEVELS.index(ratings[index].level) + 1) % 3], reason="slow")
        elif edit == "day":
            rated.update(rated_at=ratings[index].rated_at + timedelta(days=1))
        elif edit == "ward":
            rated.update(unit=ward_b)
        else:
            rated.delete()
    for unit in (ward_a, ward_b):
        summary, counted = _both(unit, monkeypatch)
        expected = {level: 0 for level in LEVELS}
        for level in Rating.objects.filter(
            unit=unit, rated_at__gte=local(2026, 2, 1, 0), rated_at__lt=local(2026, 3, 1, 0)
        ).values_list("level", flat=True):
            expected[level] += 1
        assert summary.satisfaction == counted.satisfaction == expected
