"""The generator as the dashboards' history (issue 13): years, seasons, wards, no-wait, documents, ratings,
and seed_demo's year of history across the 14 wards."""

import os
import sqlite3
import subprocess
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from statistics import median

import pytest
import time_machine
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from portal.accounts.models import Role, User
from portal.units.calendar.domain.working_time import VIETNAM_TZ
from portal.units.calendar.selectors import unit_calendar
from portal.units.models import Unit
from procedures.domain import deadlines
from procedures.domain.feedback import RatingChannel, SatisfactionLevel
from procedures.domain.workflow import Action, Channel, DossierStatus
from procedures.models import DailyCounter, Dossier, DossierDocument, DossierHistory, Rating
from procedures.services.demo import DEMO_WARD_CODE, WARDS, seed_demo, seed_ward_staff
from procedures.services.dossier_generator import FAMILY_NAMES, SAMPLE_FILE, generate_dossiers, lunar_new_years

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 20, 3, 0, tzinfo=VIETNAM_TZ)  # a Friday morning


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def history():
    """seed_demo with its ward staff, then 4,000 dossiers over 3 years, as of NOW."""
    with time_machine.travel(NOW, tick=False):
        seed_demo()
        demo = set(Dossier.objects.values_list("pk", flat=True))
        wards = list(Unit.objects.filter(kind=Unit.Kind.WARD).order_by("code"))
        seed_ward_staff(wards)
        result = generate_dossiers(count=4000, seed=11, years=3)
    return result, Dossier.objects.exclude(pk__in=demo)


def test_three_years_across_the_fourteen_wards_with_seasons(history):
    result, generated = history
    assert result["since"] == date(2023, 11, 20)
    days = [d.astimezone(VIETNAM_TZ).date() for d in generated.values_list("submitted_at", flat=True)]
    assert min(days) >= date(2023, 11, 20) and max(days) <= date(2026, 11, 19)
    assert {d.year for d in days} == {2023, 2024, 2025, 2026}
    per_ward = Counter(generated.values_list("unit__code", flat=True))
    assert len(per_ward) == len(WARDS) == 14
    # Wards differ in volume: the busiest receives well over the quietest.
    assert max(per_ward.values()) > 1.5 * min(per_ward.values())
    # The three weeks before Tết are busier per working day than the year's average; Tết week is quiet.
    calendar = unit_calendar(Unit.objects.get(code=DEMO_WARD_CODE))
    by_day = Counter(days)
    for tet in lunar_new_years(2024, 2026):
        before = [tet - timedelta(days=n) for n in range(1, 22)]
        before = [d for d in before if calendar.is_working_day(d)]
        year = [tet - timedelta(days=n) for n in range(30, 330)]
        year = [d for d in year if calendar.is_working_day(d)]
        per_day_before = sum(by_day[d] for d in before) / len(before)
        per_day_year = sum(by_day[d] for d in year) / len(year)
        assert per_day_before > 1.25 * per_day_year, tet
        tet_week = [tet + timedelta(days=n) for n in range(8)]
        assert sum(by_day[d] for d in tet_week) < per_day_year * 2, tet


def test_codes_and_counters_stay_gap_free(history):
    _result, generated = history
    sequences = Counter()
    for code in generated.values_list("code", flat=True):
        unit_code, day, seq = code.rsplit("-", 2)
        sequences[(unit_code, day)] += 1
    for unit_code, day in list(sequences)[:200]:
        codes = sorted(Dossier.objects.filter(code__startswith=f"{unit_code}-{day}-").values_list("code", flat=True))
        assert [int(c.rsplit("-", 1)[1]) for c in codes] == list(range(1, len(codes) + 1))
        counter = DailyCounter.objects.get(
            unit__code=unit_code, day=date(2000 + int(day[:2]), int(day[2:4]), int(day[4:]))
        )
        assert counter.last_value == len(codes)


def test_no_wait_dossiers_take_the_fast_track(history):
    _result, generated = history
    fast = list(generated.filter(procedure__no_wait=True, channel=Channel.DESK).select_related("procedure", "unit"))
    assert len(fast) > 200
    minutes = []
    for d in fast:
        assert d.status == DossierStatus.RETURNED
        assert d.arrived_at <= d.received_at
        calendar = unit_calendar(d.unit)
        assert d.target_at == deadlines.no_wait_due_at(calendar, d.received_at, d.procedure.no_wait_minutes)
        assert d.finished_at == d.returned_at
        assert [h.action for h in d.history.order_by("at", "pk")] == [
            Action.RECEIVE_IN_PERSON,
            Action.FINISH,
            Action.RETURN_RESULT,
        ]
        minutes.append(d.elapsed_minutes)
    assert median(minutes) <= 15
    late = sum(d.returned_at > d.target_at for d in fast)
    assert 0 < late < len(fast) * 0.15


def test_mostly_early_or_on_time_with_late_ones_differing_by_ward(history):
    _result, generated = history
    finished = generated.exclude(timeliness="")
    shares = Counter(finished.values_list("timeliness", flat=True))
    # Same-day procedures (copies, signatures) can only be on time; many others finish days early.
    assert 0 < shares["late"] < 0.05 * finished.count()
    assert shares["early"] > 0.3 * finished.count() and shares["on_time"] > 0.3 * finished.count()
    rows = Counter(finished.filter(timeliness="late").values_list("unit__code", flat=True))
    totals = Counter(finished.values_list("unit__code", flat=True))
    late_by_ward = {code: rows[code] / totals[code] for code in totals}
    assert len({round(v, 4) for v in late_by_ward.values()}) > 5  # no tie for the ranking


def test_assignees_actors_and_channels_belong_to_the_ward(history):
    _result, generated = history
    staff = dict(User.objects.exclude(role=Role.CITIZEN).values_list("pk", "unit_id"))
    assigned = generated.exclude(assigned_to=None)
    assert assigned.exists()
    for unit_id, officer in assigned.values_list("unit_id", "assigned_to_id"):
        assert staff[officer] == unit_id
    assert User.objects.filter(pk__in=assigned.values("assigned_to"), role=Role.SPECIALIST).count() > 14
    for unit_id, actor in DossierHistory.objects.filter(
        dossier__in=generated, actor__role__in=[Role.DESK_OFFICER]
    ).values_list("dossier__unit_id", "actor_id")[:2000]:
        assert staff[actor] == unit_id
    # Online only where the procedure is online-capable.
    assert not generated.filter(channel=Channel.ONLINE, procedure__online_level="none").exists()
    assert generated.filter(channel=Channel.ONLINE).exists() and generated.filter(channel=Channel.DESK).exists()


def test_documents_are_files_online_and_scanned_or_paper_at_the_desk(history, client):
    _result, generated = history
    for d in generated.select_related("procedure")[:300]:
        documents = list(d.documents.all())
        assert [x.required_document_id for x in documents] == list(
            d.procedure.documents.order_by("position", "pk").values_list("pk", flat=True)
        )
        if d.channel == Channel.ONLINE:
            assert all(x.file.name == SAMPLE_FILE for x in documents)
    desk = DossierDocument.objects.filter(dossier__in=generated, dossier__channel=Channel.DESK)
    assert desk.filter(file="").exists() and desk.exclude(file="").exists()
    assert default_storage.open(SAMPLE_FILE).read().startswith(b"%PDF")
    # The dashboards' digitised flag: at least one document, every one a file (as the documents' trigger says).
    for d in generated.prefetch_related("documents")[:500]:
        files = [x.file.name for x in d.documents.all()]
        assert d.documents_on_file == (bool(files) and all(files))


def test_most_returned_dossiers_are_rated_mostly_satisfied(history):
    result, generated = history
    returned = generated.filter(status=DossierStatus.RETURNED)
    ratings = Rating.objects.filter(dossier__in=generated).select_related("dossier")
    assert result["ratings"] == ratings.count() > 0.6 * returned.count()
    levels = Counter(r.level for r in ratings)
    assert (
        levels[SatisfactionLevel.VERY_SATISFIED]
        > levels[SatisfactionLevel.SATISFIED]
        > levels[SatisfactionLevel.DISSATISFIED]
    )
    assert levels[SatisfactionLevel.DISSATISFIED] < 0.03 * len(ratings)
    for r in ratings:
        assert r.dossier.status == DossierStatus.RETURNED and r.unit_id == r.dossier.unit_id
        assert r.dossier.returned_at <= r.rated_at <= NOW
        assert (r.level == SatisfactionLevel.DISSATISFIED) <= bool(r.reason)
        if r.channel == RatingChannel.PAPER:
            assert User.objects.get(pk=r.recorded_by_id).unit_id == r.unit_id
        assert all(score in (0, 1, 2) for score in r.criteria.values())
    assert {r.channel for r in ratings} == {RatingChannel.ONLINE, RatingChannel.PAPER}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--count", "5", "--years", "0"], "--years must be a whole number from 1 to 10"),
        (["--count", "5", "--years", "2", "--since", "2025-01-01"], "either --since or --years"),
    ],
)
def test_bad_year_options_are_refused(args, message, english):
    seed_demo()
    before = Dossier.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("generate_dossiers", *args)
    assert Dossier.objects.count() == before


def test_synthetic_citizens_file_the_dossiers(capsys):
    """--citizens: the dossiers come from many residents (as in a real ward), each a citizen account with a
    Vietnamese name, a phone of its own and no usable password; a second run takes other numbers."""
    with time_machine.travel(NOW, tick=False):
        seed_demo()
        demo = set(User.objects.filter(role=Role.CITIZEN).values_list("pk", flat=True))
        call_command("generate_dossiers", "--count", "400", "--citizens", "100", "--seed", "5")
        call_command("generate_dossiers", "--count", "100", "--citizens", "50", "--seed", "6")
    assert "Created 400 dossiers (100 new citizens)" in capsys.readouterr().out
    residents = User.objects.filter(role=Role.CITIZEN).exclude(pk__in=demo)
    assert residents.count() == 150
    phones = list(residents.values_list("phone", flat=True))
    assert len(set(phones)) == 150 and all(len(p) == 10 and p.startswith("0399") for p in phones)
    for person in residents[:20]:
        assert person.username == person.phone and not person.has_usable_password()
        assert person.full_name.split()[0] in FAMILY_NAMES
    filed = Counter(Dossier.objects.values_list("applicant_id", flat=True))
    assert set(filed) <= demo | set(residents.values_list("pk", flat=True))
    by_residents = sum(n for pk, n in filed.items() if pk not in demo)
    assert by_residents >= 0.9 * 500 and len(filed) > 100  # spread over the residents, not two people


@pytest.mark.parametrize("citizens", ["-1", "1000001"])
def test_a_bad_number_of_citizens_is_refused_creating_nothing(citizens, english):
    seed_demo()
    users, dossiers = User.objects.count(), Dossier.objects.count()
    with pytest.raises(CommandError, match="--citizens must be a whole number from 0 to 1,000,000"):
        call_command("generate_dossiers", "--count", "5", "--citizens", citizens)
    assert (User.objects.count(), Dossier.objects.count()) == (users, dossiers)


def test_generate_dossiers_command_reports_documents_and_ratings(capsys):
    with time_machine.travel(NOW, tick=False):
        seed_demo()
        call_command("generate_dossiers", "--count", "300", "--years", "2", "--seed", "3")
    out = capsys.readouterr().out
    assert "Created 300 dossiers" in out and "ratings" in out and "since 2024-11-20" in out


def test_seed_demo_history_once_across_the_wards(capsys):
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", "--history", "1500")
        assert "history dossiers: 1500" in capsys.readouterr().out
        wards = Unit.objects.filter(kind=Unit.Kind.WARD)
        assert Dossier.objects.filter(unit__in=wards).values("unit").distinct().count() == 14
        for ward in wards:
            assert set(User.objects.filter(unit=ward).values_list("role", flat=True)) >= {
                Role.DESK_OFFICER,
                Role.SPECIALIST,
                Role.LEADER,
            }
        first = Dossier.objects.order_by("submitted_at").first().submitted_at.astimezone(VIETNAM_TZ).date()
        assert first >= date(2025, 11, 20)
        assert Rating.objects.exists()
        # The history's finished months are published: one snapshot per ward and month, November 2025 (the
        # history's first, partial month) to October 2026, equal to the live figures; the trend reads them.
        from procedures.domain.periods import month_period
        from procedures.models import DashboardSnapshot
        from procedures.selectors.dashboard import monthly_trend, ward_figures

        months = sorted(set(DashboardSnapshot.objects.values_list("month", flat=True)))
        assert (months[0], months[-1], len(months)) == (date(2025, 11, 1), date(2026, 10, 1), 12)
        assert DashboardSnapshot.objects.count() == 14 * 12
        ward = Unit.objects.get(code=DEMO_WARD_CODE)
        june = DashboardSnapshot.objects.get(unit=ward, month=date(2026, 6, 1))
        assert june.figures == ward_figures(unit=ward, period=month_period(2026, 6)).as_dict()
        assert june.figures["received"] > 0
        assert [p.frozen for p in monthly_trend(unit=ward)] == [True] * 11 + [False]
        before = (
            Dossier.objects.count(),
            Rating.objects.count(),
            User.objects.count(),
            DashboardSnapshot.objects.count(),
        )
        call_command("seed_demo", "--history", "1500")
        assert "history dossiers: 0" in capsys.readouterr().out
        assert (
            Dossier.objects.count(),
            Rating.objects.count(),
            User.objects.count(),
            DashboardSnapshot.objects.count(),
        ) == before
        # The demo staff cannot sign in as the generated staff (no usable password).
        assert not User.objects.get(username=f"{DEMO_WARD_CODE.lower()}.motcua1").has_usable_password()


def test_seed_demo_refuses_a_negative_history():
    with pytest.raises(CommandError, match="--history"):
        call_command("seed_demo", "--history", "-1")
    assert not Dossier.objects.exists()


def test_control_slip_names_who_handed_over_to_whom(history):
    _result, generated = history
    checked = 0
    for d in generated.filter(status=DossierStatus.RETURNED).order_by("pk")[:300]:
        slip = list(d.control_slip.order_by("position"))
        assert [e.position for e in slip] == list(range(1, len(slip) + 1))
        first, last = slip[0], slip[-1]
        assert first.action in (Action.RECEIVE, Action.RECEIVE_IN_PERSON)
        assert first.from_user_id == d.applicant_id and first.handed_over_at == d.received_at
        assert User.objects.get(pk=first.to_user_id).role == Role.DESK_OFFICER
        assert last.action == Action.RETURN_RESULT and last.to_user_id == d.applicant_id
        assert last.handed_over_at == last.step_finished_at == d.returned_at
        for entry, following in zip(slip, slip[1:], strict=False):
            assert entry.step_finished_at == following.handed_over_at
        assigned = [e for e in slip if e.action == Action.ASSIGN]
        assert [e.to_user_id for e in assigned] == ([d.assigned_to_id] if assigned else [])
        checked += 1
    assert checked == 300
    # Every desk officer of a ward has dossiers of their own (the desk staff's own numbers).
    desk = User.objects.filter(role=Role.DESK_OFFICER, unit__kind=Unit.Kind.WARD)
    received_by = set(generated.values_list("control_slip__to_user", flat=True))
    assert set(desk.values_list("pk", flat=True)) <= received_by


def test_make_run_seeds_the_history_on_sqlite_once(tmp_path):
    """`make run` is SQLite: seed_demo's history goes through the generator's non-PostgreSQL insert path."""
    base = Path(settings.BASE_DIR)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "MEDIA_ROOT")}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings.local", DJANGO_VAR_DIR=str(tmp_path / "var"))

    def manage(*args):
        result = subprocess.run(  # noqa: S603 - fixed argv
            [sys.executable, str(base / "manage.py"), *args],
            cwd=base,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    manage("migrate", "--noinput")
    assert "history dossiers: 700" in manage("seed_demo", "--history", "700")
    tables = ["procedures_dossier", "procedures_dossierhistory", "procedures_controlslipentry"]
    tables += ["procedures_dossierdocument", "procedures_rating"]

    def counts():
        with sqlite3.connect(tmp_path / "var" / "db.sqlite3") as db:
            return [db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables]  # noqa: S608

    first = counts()
    assert first[0] == 710 and all(n > 0 for n in first)
    with sqlite3.connect(tmp_path / "var" / "db.sqlite3") as db:
        # Times stored as the ORM stores them on SQLite (UTC, readable back through the models).
        (at,) = db.execute("SELECT rated_at FROM procedures_rating LIMIT 1").fetchone()
        assert datetime.fromisoformat(at).year >= 2025
    assert "history dossiers: 0" in manage("seed_demo", "--history", "700")
    assert counts() == first
