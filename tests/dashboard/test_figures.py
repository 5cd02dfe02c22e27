"""A ward's figures against a hand-computed fixture: February 2026, looked at on Wednesday 18 March 2026 10:00.

Each dossier below carries the comment of what it counts for; the expected numbers are added up by hand from
those comments, not by running the code."""

import json
from datetime import date

import pytest

from portal.accounts.models import Role
from procedures.domain.periods import Period
from procedures.domain.workflow import DossierStatus
from procedures.models import ControlSlipEntry, DossierDocument
from procedures.selectors.dashboard import (
    MEASURES,
    SCORE_FORMULAS,
    district_figures,
    dossiers_behind,
    figures_by_officer,
    figures_by_procedure,
    ward_figures,
)
from tests.dashboard.conftest import local, make_dossier, make_feedback, make_rating
from tests.factories import ProcedureFactory, RequiredDocumentFactory, UserFactory

pytestmark = pytest.mark.django_db

FEBRUARY = Period(date(2026, 2, 1), date(2026, 2, 28))
NOW = local(2026, 3, 18, 10, 0)  # a Wednesday: one working day later is Thursday 19 March 10:00


@pytest.fixture
def world(ward_a, ward_b, applicant):
    p = ProcedureFactory(online_level="full", name="Đăng ký khai sinh")  # offered online
    quick = ProcedureFactory(quick=True, online_level="none", name="Chứng thực bản sao")  # no-wait, 15 minutes
    specialist = UserFactory(role=Role.SPECIALIST, unit=ward_a, phone="")
    desk = UserFactory(role=Role.DESK_OFFICER, unit=ward_a, phone="")
    other_specialist = UserFactory(role=Role.SPECIALIST, unit=ward_a, phone="")
    leader = UserFactory(role=Role.LEADER, unit=ward_a, phone="")

    def d(**kw):
        kw.setdefault("procedure", p)
        return make_dossier(unit=ward_a, applicant=applicant, **kw)

    ds = {}
    # d1: received at 00:00 on the first day (in); finished the day before the due day → early; online.
    ds[1] = d(
        received_at=local(2026, 2, 2, 0, 0),
        due_at=local(2026, 2, 4, 17),
        finished_at=local(2026, 2, 3, 10),
        channel="online",
    )
    # d2: received 23:59 on 31 January (not received in February); finished exactly at its due time → on time.
    ds[2] = d(received_at=local(2026, 1, 31, 23, 59), due_at=local(2026, 2, 2, 17), finished_at=local(2026, 2, 2, 17))
    # d3: finished at local midnight starting the due day → on time; the specialist's.
    ds[3] = d(
        received_at=local(2026, 2, 10, 9),
        due_at=local(2026, 2, 12, 9),
        finished_at=local(2026, 2, 12, 0, 0),
        assigned_to=specialist,
    )
    # d4: finished one second before the due day → early; handed over by the desk officer.
    ds[4] = d(
        received_at=local(2026, 2, 10, 9),
        due_at=local(2026, 2, 12, 9),
        finished_at=local(2026, 2, 11, 23, 59, 59),
        assigned_to=other_specialist,
    )
    # d5: one second after the due time → late; the specialist's.
    ds[5] = d(
        received_at=local(2026, 2, 10, 9),
        due_at=local(2026, 2, 12, 9),
        finished_at=local(2026, 2, 12, 9, 0, 1),
        assigned_to=specialist,
    )
    # d6: received 23:59 on the last day (in); open, due 5 March: in progress at the end, not overdue then;
    # overdue now.
    ds[6] = d(received_at=local(2026, 2, 28, 23, 59), due_at=local(2026, 3, 5, 17))
    # d7: received 00:00 on 1 March (not in February); due Thursday 09:00 → due soon now.
    ds[7] = d(received_at=local(2026, 3, 1, 0, 0), due_at=local(2026, 3, 19, 9))
    # d8: finished in March, late: in progress at the end of February and already past its due time then.
    ds[8] = d(received_at=local(2026, 2, 20, 9), due_at=local(2026, 2, 25, 9), finished_at=local(2026, 3, 2, 10))
    # d9: received in January, still open, due 20 January: in progress and overdue at the end; overdue now.
    ds[9] = d(received_at=local(2026, 1, 15, 9), due_at=local(2026, 1, 20, 9))
    # d10: received, then refused: received, never in progress.
    ds[10] = d(received_at=local(2026, 2, 5, 9), due_at=local(2026, 2, 9, 9), status=DossierStatus.REFUSED)
    # d11: submitted online, never received: counts nowhere.
    ds[11] = d(channel="online")
    # d12, d13: no-wait fast track, 12 and 20 minutes from arrival to return (median 16, target 15).
    ds[12] = d(
        procedure=quick,
        arrived_at=local(2026, 2, 16, 10, 0),
        received_at=local(2026, 2, 16, 10, 5),
        finished_at=local(2026, 2, 16, 10, 12),
        returned_at=local(2026, 2, 16, 10, 12),
    )
    ds[13] = d(
        procedure=quick,
        arrived_at=local(2026, 2, 17, 10, 0),
        received_at=local(2026, 2, 17, 10, 2),
        finished_at=local(2026, 2, 17, 10, 20),
        returned_at=local(2026, 2, 17, 10, 20),
    )
    # d14: due Thursday 11:00, after the one-working-day window → not due soon.
    ds[14] = d(received_at=local(2026, 3, 10, 9), due_at=local(2026, 3, 19, 11))
    # d16: due 10 March but re-dated to 25 March → neither overdue nor due soon now.
    ds[16] = d(received_at=local(2026, 3, 2, 9), due_at=local(2026, 3, 10, 9), redated_due_at=local(2026, 3, 25, 9))
    # Ward B: one dossier received in February.
    make_dossier(unit=ward_b, procedure=p, applicant=applicant, received_at=local(2026, 2, 10, 9))

    ControlSlipEntry.objects.create(
        dossier=ds[4], position=1, action="assign", from_user=desk, to_user=other_specialist,
        handed_over_at=local(2026, 2, 10, 9),
    )  # fmt: skip
    # Digitisation: d1 every document a file (counts); d3 paper only; d4 a file and a paper one (neither).
    doc = RequiredDocumentFactory(procedure=p)
    pdf = {"file": "dossiers/2026/02/x.pdf", "size": 10, "content_type": "application/pdf"}
    DossierDocument.objects.create(dossier=ds[1], required_document=doc, uploaded_by=applicant, **pdf)
    DossierDocument.objects.create(dossier=ds[3], required_document=doc, uploaded_by=desk)
    DossierDocument.objects.create(dossier=ds[4], required_document=doc, uploaded_by=applicant, **pdf)
    DossierDocument.objects.create(dossier=ds[4], required_document=doc, uploaded_by=desk)

    # Ratings given in February: 2 very satisfied, 1 satisfied, 1 dissatisfied; one on 1 March 00:00 (out).
    make_rating(ds[1], "very_satisfied", local(2026, 2, 3, 11))
    make_rating(ds[3], "very_satisfied", local(2026, 2, 12, 10))
    make_rating(ds[4], "satisfied", local(2026, 2, 28, 23, 59))
    make_rating(ds[5], "dissatisfied", local(2026, 2, 13, 9))
    make_rating(ds[2], "dissatisfied", local(2026, 3, 1, 0, 0))

    # Feedback: f1 answered on time, f2 late, f3 open (due later), f4 from January open and overdue, f5 open
    # and overdue now.
    make_feedback(
        unit=ward_a, received_at=local(2026, 2, 2, 9), due_at=local(2026, 2, 10, 17),
        answered_at=local(2026, 2, 10, 17), answered_by=leader, assigned_to=specialist,
    )  # fmt: skip
    make_feedback(
        unit=ward_a, received_at=local(2026, 2, 3, 9), due_at=local(2026, 2, 10, 17),
        answered_at=local(2026, 2, 11, 8), answered_by=leader,
    )  # fmt: skip
    make_feedback(unit=ward_a, received_at=local(2026, 2, 20, 9), due_at=local(2026, 3, 30, 17))
    make_feedback(unit=ward_a, received_at=local(2026, 1, 10, 9), due_at=local(2026, 1, 20, 17))
    make_feedback(unit=ward_a, received_at=local(2026, 2, 25, 9), due_at=local(2026, 3, 10, 17))
    return {"p": p, "quick": quick, "specialist": specialist, "desk": desk, "dossiers": ds}


def test_ward_figures_match_the_hand_count(world, ward_a):
    f = ward_figures(unit=ward_a, period=FEBRUARY, now=NOW)
    # received: d1 d3 d4 d5 d6 d8 d10 d12 d13
    assert f.received == 9
    # resolved: d1 d2 d3 d4 d5 d12 d13; early d1 d4 d12 d13; on time d2 d3; late d5
    assert (f.resolved, f.early, f.on_time, f.late) == (7, 4, 2, 1)
    assert (f.early_share, f.on_time_share, f.late_share) == pytest.approx((4 / 7, 2 / 7, 1 / 7))
    # in progress at the end: d6 d8 d9, of which past due then: d8 d9
    assert (f.in_progress, f.in_progress_overdue) == (3, 2)
    # now: overdue d6 d9; due soon d7
    assert (f.overdue_now, f.due_soon) == (2, 1)
    assert (f.no_wait_received, f.no_wait_share) == (2, pytest.approx(2 / 9))
    assert (f.no_wait_median_minutes, f.no_wait_target_minutes) == (16.0, 15.0)
    assert (f.online_offered_received, f.online_received, f.digitised) == (7, 1, 1)
    assert f.satisfaction == {"very_satisfied": 2, "satisfied": 1, "dissatisfied": 1}
    assert f.satisfied_share == pytest.approx(3 / 4)
    assert f.feedback == {
        "received": 4,
        "answered": 2,
        "answered_on_time": 1,
        "answered_late": 1,
        "open": 2,
        "overdue_now": 2,
    }
    # progress 20 × (4 + 2 + 3 − 2) / (7 + 3); satisfaction 18 × 3/4; online 22 × 1/7; digitisation 22 × 1/9
    assert f.scores == {"progress": 14.0, "satisfaction": 13.5, "online": 3.14, "digitisation": 2.44, "total": 33.08}


def test_as_dict_is_the_api_body(world, ward_a):
    body = json.loads(json.dumps(ward_figures(unit=ward_a, period=FEBRUARY, now=NOW).as_dict()))
    assert body["unit"] == ward_a.code
    assert body["period"] == {"from": "2026-02-01", "to": "2026-02-28"}
    assert body["satisfaction"]["very_satisfied"] == 2
    assert body["scores"]["total"] == 33.08


def test_every_measure_drills_down_to_the_dossiers_it_counts(world, ward_a):
    f = ward_figures(unit=ward_a, period=FEBRUARY, now=NOW)
    fields = {"no_wait": "no_wait_received", "online": "online_received"}
    for measure in MEASURES:
        listed = dossiers_behind(unit=ward_a, period=FEBRUARY, measure=measure, now=NOW)
        assert listed.count() == getattr(f, fields.get(measure, measure)), measure
    ds = world["dossiers"]
    behind = lambda m: {x.pk for x in dossiers_behind(unit=ward_a, period=FEBRUARY, measure=m, now=NOW)}  # noqa: E731
    assert behind("late") == {ds[5].pk}
    assert behind("in_progress") == {ds[6].pk, ds[8].pk, ds[9].pk}
    assert behind("due_soon") == {ds[7].pk}
    with pytest.raises(ValueError):
        dossiers_behind(unit=ward_a, period=FEBRUARY, measure="nonsense", now=NOW)


def test_the_period_edges_are_local_midnights(world, ward_a):
    # 1 March alone: d7 received at 00:00 counts; d6 at 23:59 the day before does not.
    march_first = ward_figures(unit=ward_a, period=Period(date(2026, 3, 1), date(2026, 3, 1)), now=NOW)
    assert march_first.received == 1
    last_day = ward_figures(unit=ward_a, period=Period(date(2026, 2, 28), date(2026, 2, 28)), now=NOW)
    assert last_day.received == 1  # d6 at 23:59


def test_desk_staff_see_their_own_numbers(world, ward_a):
    mine = ward_figures(unit=ward_a, period=FEBRUARY, now=NOW, officer=world["specialist"])
    assert (mine.received, mine.resolved, mine.on_time, mine.late) == (2, 2, 1, 1)  # d3, d5
    assert mine.satisfaction == {"very_satisfied": 1, "satisfied": 0, "dissatisfied": 1}
    assert mine.feedback["received"] == 1  # f1, assigned to them
    desk = ward_figures(unit=ward_a, period=FEBRUARY, now=NOW, officer=world["desk"])
    assert (desk.received, desk.early) == (1, 1)  # d4, handed over by them


def test_by_procedure_and_by_officer(world, ward_a):
    rows = {r.code: r for r in figures_by_procedure(unit=ward_a, period=FEBRUARY, now=NOW)}
    assert (rows[world["p"].code].received, rows[world["p"].code].late) == (7, 1)
    assert (rows[world["quick"].code].received, rows[world["quick"].code].early) == (2, 2)
    officers = {r.officer_id: r for r in figures_by_officer(unit=ward_a, period=FEBRUARY, now=NOW)}
    assert (officers[world["specialist"].pk].received, officers[world["specialist"].pk].late) == (2, 1)
    assert officers[None].name  # "not assigned yet", last
    assert list(officers)[-1] is None


def test_district_figures_one_per_ward(world, district, ward_a, ward_b):
    rows = district_figures(parent=district, period=FEBRUARY, now=NOW)
    assert [(r.unit, r.received) for r in rows] == [(ward_a, 9), (ward_b, 1)]
    assert rows[0].scores == ward_figures(unit=ward_a, period=FEBRUARY, now=NOW).scores


def test_an_empty_ward_has_zeros_and_no_scores(ward_a):
    f = ward_figures(unit=ward_a, period=FEBRUARY, now=NOW)
    assert (f.received, f.resolved, f.in_progress, f.early_share, f.no_wait_median_minutes) == (0, 0, 0, None, None)
    assert f.scores == {"progress": None, "satisfaction": None, "online": None, "digitisation": None, "total": 0}


def test_every_score_has_its_formula():
    assert set(SCORE_FORMULAS) == {"progress", "satisfaction", "online", "digitisation", "total"}
