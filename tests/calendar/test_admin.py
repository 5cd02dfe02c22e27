"""A unit admin keeps office hours and exceptions of their own units, with a 60-day calendar preview."""

from datetime import date, time

import pytest
import time_machine

from portal.units.models import CalendarException, OfficeHours
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward():
    return UnitFactory(code="W1", name="Phường Một")


@pytest.fixture
def unit_admin(client, ward):
    user = UserFactory(unit_admin=True, unit=ward)
    client.force_login(user)
    return user


def unit_form(ward, hours=(), exceptions=()):
    """The unit change form as the browser posts it, with its two inlines."""
    data = {
        "code": ward.code, "name": ward.name, "kind": ward.kind, "parent": "", "address": "", "phone": "",
        "is_active": "on", "clock_policy": "pause",
        "office_hours-TOTAL_FORMS": len(hours), "office_hours-INITIAL_FORMS": 0,
        "calendar_exceptions-TOTAL_FORMS": len(exceptions), "calendar_exceptions-INITIAL_FORMS": 0,
    }  # fmt: skip
    for i, (weekday, start, end) in enumerate(hours):
        data |= {f"office_hours-{i}-weekday": weekday, f"office_hours-{i}-start": start, f"office_hours-{i}-end": end}
    for i, (day, kind) in enumerate(exceptions):
        data |= {
            f"calendar_exceptions-{i}-date": day,
            f"calendar_exceptions-{i}-kind": kind,
            f"calendar_exceptions-{i}-reason": "Lý do",
            f"calendar_exceptions-{i}-legal_document": "Thông báo 1/TB-UBND",
        }
    return data


def test_unit_admin_sets_office_hours_and_the_clock_policy(client, unit_admin, ward):
    hours = [(d, "08:00", "12:00") for d in range(5)] + [(d, "13:00", "17:00") for d in range(5)]
    hours.append((5, "08:00", "11:30"))  # and Saturday mornings
    response = client.post(f"/admin/units/unit/{ward.pk}/change/", unit_form(ward, hours))
    assert response.status_code == 302
    assert OfficeHours.objects.filter(unit=ward).count() == 11
    ward.refresh_from_db()
    assert ward.clock_policy == "pause"


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ([(0, "08:00", "12:00"), (0, "11:00", "14:00")], "08:00–12:00 and 11:00–14:00 overlap on Monday"),
        ([(0, "08:00", "12:00"), (0, "08:00", "10:00")], "duplicate data for weekday and start"),  # same start
        ([(2, "17:00", "08:00")], "A session must end after it starts."),  # end before start
    ],
)
def test_bad_office_hours_are_refused_with_a_clear_error(client, unit_admin, ward, hours, message):
    client.cookies["motcua_language"] = "en"  # pages speak English only when chosen
    response = client.post(f"/admin/units/unit/{ward.pk}/change/", unit_form(ward, hours))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not OfficeHours.objects.filter(unit=ward).exists()


def test_the_same_day_cannot_be_both_added_and_removed(client, unit_admin, ward):
    client.cookies["motcua_language"] = "en"  # pages speak English only when chosen
    exceptions = [("2027-03-01", "day_off"), ("2027-03-01", "working_day")]
    response = client.post(f"/admin/units/unit/{ward.pk}/change/", unit_form(ward, exceptions=exceptions))
    assert response.status_code == 200
    assert "01/03/2027 is listed twice" in response.content.decode()
    assert not CalendarException.objects.filter(unit=ward).exists()


@time_machine.travel("2025-12-20 03:00Z", tick=False)
def test_change_page_previews_the_next_60_days(client, unit_admin, ward):
    OfficeHours.objects.create(unit=ward, weekday=5, start=time(8), end=time(12))
    CalendarException.objects.create(
        unit=ward, date=date(2026, 1, 20), kind="day_off", reason="Đại hội", legal_document="TB 1"
    )
    html = client.get(f"/admin/units/unit/{ward.pk}/change/").content.decode()
    assert html.count('data-date="') == 60
    assert 'data-date="2025-12-20" data-kind="working"' in html  # a Saturday: this ward opens
    assert 'data-date="2025-12-21" data-kind="closed"' in html  # Sunday
    assert 'data-date="2026-01-01" data-kind="holiday"' in html and "Tết Dương lịch" in html
    assert 'data-date="2026-01-02" data-kind="holiday"' in html  # the shipped swap
    assert 'data-date="2026-01-20" data-kind="holiday"' in html and "Đại hội" in html
    assert 'data-date="2026-02-18"' not in html  # past the 60 days
    assert "units/calendar_preview.css" in html  # styled from our own static file (CSP: no inline styles)


def test_unit_admin_sees_but_cannot_change_nationwide_exceptions(client, unit_admin):
    nationwide = CalendarException.objects.get(unit=None, date=date(2026, 1, 2))
    listing = client.get("/admin/units/calendarexception/").content.decode()
    assert nationwide.reason in listing
    url = f"/admin/units/calendarexception/{nationwide.pk}/change/"
    assert client.get(url).status_code == 200  # view only
    client.post(url, {"date": "2026-01-03", "kind": "day_off", "reason": "x", "legal_document": "y"})
    nationwide.refresh_from_db()
    assert nationwide.date == date(2026, 1, 2)
    assert client.post(f"/admin/units/calendarexception/{nationwide.pk}/delete/", {"post": "yes"}).status_code == 403


def test_unit_admin_adds_exceptions_only_for_their_own_units(client, unit_admin, ward):
    other = UnitFactory(code="W2")
    form = {"date": "2027-03-01", "kind": "day_off", "reason": "Lý do", "legal_document": "TB 2"}
    assert client.post("/admin/units/calendarexception/add/", form | {"unit": other.pk}).status_code == 200
    assert client.post("/admin/units/calendarexception/add/", form | {"unit": ""}).status_code == 200  # nationwide
    assert not CalendarException.objects.filter(date=date(2027, 3, 1)).exists()
    assert client.post("/admin/units/calendarexception/add/", form | {"unit": ward.pk}).status_code == 302
    assert CalendarException.objects.get(date=date(2027, 3, 1)).unit == ward


def test_superuser_keeps_nationwide_exceptions(client, ward):
    client.cookies["motcua_language"] = "en"  # pages speak English only when chosen
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    form = {"date": "2027-03-01", "kind": "day_off", "reason": "Lý do", "legal_document": "TB 3", "unit": ""}
    assert client.post("/admin/units/calendarexception/add/", form).status_code == 302
    response = client.post("/admin/units/calendarexception/add/", form | {"kind": "working_day"})
    assert "already has a nationwide exception" in response.content.decode()
