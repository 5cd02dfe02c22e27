"""The unit admin edits the unit's booking rules: validated whole, a bad value saves nothing, the rules apply."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from procedures.models import BookingSettings
from procedures.services.booking import booking_create, booking_settings_save
from tests.factories import UserFactory

from .conftest import at

URL = "/quay/cau-hinh/quy-tac/"
GOOD = {
    "days_ahead": "3",
    "per_day_limit": "3",
    "per_field_limit": "2",
    "hold_minutes": "10",
    "change_cutoff_minutes": "120",
    "no_show_limit": "0",
    "no_show_window_days": "60",
    "priority_run": "2",
}


@pytest.fixture
def admin_client(desk, client):
    client.cookies["motcua_language"] = "en"
    client.force_login(desk.unit_admin)
    return client


def test_the_page_shows_the_defaults_and_saves_the_units_rules(desk, admin_client):
    assert reverse("booking_settings_edit") == URL
    page = admin_client.get(URL)
    assert page.status_code == 200 and "the defaults" in page.content.decode()
    assert page.context["form"]["days_ahead"].value() == 6 and page.context["form"]["priority_run"].value() == 3
    response = admin_client.post(URL, GOOD)
    assert response.status_code == 302 and response["Location"] == URL
    rules = BookingSettings.objects.get(unit=desk.unit)
    assert [getattr(rules, name) for name in BookingSettings.EDITABLE] == [3, 3, 2, 10, 120, 0, 60, 2]
    assert rules.slot_minutes == 30  # not on the page
    again = admin_client.post(URL, {**GOOD, "hold_minutes": "7"})
    assert again.status_code == 302 and BookingSettings.objects.get(unit=desk.unit).hold_minutes == 7
    assert admin_client.get(URL).context["form"]["hold_minutes"].value() == 7


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("per_field_limit", "3", "cannot be more than the limit per day"),
        ("hold_minutes", "0", "greater than or equal to 1"),
        ("days_ahead", "100", "less than or equal to 60"),
        ("priority_run", "abc", "Enter a whole number"),
        ("no_show_limit", "", "This field is required"),
        ("change_cutoff_minutes", "-5", "greater than or equal to 0"),
    ],
)
def test_bad_input_says_why_and_saves_nothing(desk, admin_client, field, value, message):
    admin_client.post(URL, GOOD)
    response = admin_client.post(URL, {**GOOD, "days_ahead": "5", "per_day_limit": "2", field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert BookingSettings.objects.get(unit=desk.unit).days_ahead == 3  # the earlier rules stand


def test_only_the_units_admin(desk, client):
    for user, status in ((desk.desk, 403), (desk.leader, 403), (desk.citizen, 403)):
        client.force_login(user)
        assert client.get(URL).status_code == status
        assert client.post(URL, GOOD).status_code == status
    other_admin = UserFactory(unit_admin=True, unit=desk.other_unit)
    with pytest.raises(PermissionDenied):
        booking_settings_save(actor=other_admin, unit=desk.unit, values={"days_ahead": 1})
    with pytest.raises(PermissionDenied):
        booking_settings_save(actor=desk.desk, unit=desk.unit, values={"days_ahead": 1})
    assert not BookingSettings.objects.exists()


def test_the_service_validates_whatever_the_caller(desk):
    with pytest.raises(ValidationError) as caught:
        booking_settings_save(actor=desk.unit_admin, unit=desk.unit, values={"per_day_limit": 1, "per_field_limit": 2})
    assert "per_field_limit" in caught.value.error_dict
    with pytest.raises(ValidationError):
        booking_settings_save(actor=desk.unit_admin, unit=desk.unit, values={"priority_run": 0})
    assert not BookingSettings.objects.exists()


def test_the_saved_rules_apply_to_new_bookings(desk):
    booking_settings_save(actor=desk.unit_admin, unit=desk.unit, values={"days_ahead": 0})
    with time_machine.travel(at("2026-03-09 10:00"), tick=False):
        with pytest.raises(ValidationError):
            booking_create(citizen=desk.citizen, procedure=desk.civil, unit=desk.unit, start=at("2026-03-10 08:00"))
        booking = booking_create(
            citizen=desk.citizen, procedure=desk.civil, unit=desk.unit, start=at("2026-03-09 14:00")
        )
    assert booking.day.isoformat() == "2026-03-09"
