"""Office hours and calendar exceptions: database constraints and model validation (messages in Vietnamese)."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portal.units.models import CalendarException, ClockPolicy, OfficeHours
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def exception(**kwargs):
    values = {"date": date(2027, 3, 1), "kind": "day_off", "reason": "Lý do", "legal_document": "Thông báo 1/TB"}
    return CalendarException(**(values | kwargs))


def test_a_session_that_ends_before_it_starts_is_refused_by_clean_and_by_the_database(ward):
    row = OfficeHours(unit=ward, weekday=0, start=time(12), end=time(8))
    with pytest.raises(ValidationError, match="Giờ kết thúc phải sau giờ bắt đầu"):
        row.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_overlapping_sessions_are_refused_with_both_named(ward):
    OfficeHours.objects.create(unit=ward, weekday=0, start=time(8), end=time(12))
    clash = OfficeHours(unit=ward, weekday=0, start=time(11), end=time(14))
    with pytest.raises(ValidationError) as error:
        clash.full_clean()
    assert "11:00–14:00" in str(error.value) and "08:00–12:00" in str(error.value)
    # The same hours on another day, or touching sessions, are fine.
    OfficeHours(unit=ward, weekday=1, start=time(11), end=time(14)).full_clean()
    OfficeHours(unit=ward, weekday=0, start=time(12), end=time(13)).full_clean()


def test_one_exception_per_day_and_unit_so_a_day_is_never_both_added_and_removed(ward):
    exception(unit=ward).save()
    duplicate = exception(unit=ward, kind="working_day")
    with pytest.raises(ValidationError, match="không thể vừa nghỉ vừa làm việc"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    # Another unit may decide differently for the same day.
    exception(unit=UnitFactory(), kind="working_day").full_clean()


def test_one_nationwide_exception_per_day(db):
    exception().save()
    with pytest.raises(ValidationError, match="toàn quốc"):
        exception(kind="working_day").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        exception(kind="working_day").save()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "holiday"}, "kind"),  # only day off / working day
        ({"reason": ""}, "reason"),  # a reason is required
        ({"legal_document": ""}, "legal_document"),  # and the document that announced it
    ],
)
def test_exception_fields_are_required_and_checked(ward, values, field):
    with pytest.raises(ValidationError) as error:
        exception(unit=ward, **values).full_clean()
    assert field in error.value.message_dict


def test_exception_dates_are_within_the_calendar_years(ward):
    with pytest.raises(ValidationError, match="từ 2000 đến 2100"):
        exception(unit=ward, date=date(1999, 12, 31)).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        exception(unit=ward, date=date(2101, 1, 3)).save()


def test_units_restart_the_clock_by_default(ward):
    assert ward.clock_policy == ClockPolicy.RESTART
