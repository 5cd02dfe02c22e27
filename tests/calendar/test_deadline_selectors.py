"""A procedure's deadlines on a unit's calendar: the default unit when none is named, no-wait targets, and
deadline minutes counted in the unit's full day."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test.utils import override_settings

from portal.units.calendar import selectors as selector
from portal.units.calendar.selectors import nationwide_calendar
from portal.units.calendar.services import office_hours_replace, seed_demo_calendar
from procedures.models import Procedure
from procedures.selectors.deadlines import no_wait_due_at, procedure_deadline_minutes, procedure_due_at
from procedures.services.demo import DEMO_WARD_CODE, seed_units
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(y, mo, d, h=0, mi=0):
    return datetime(y, mo, d, h, mi, tzinfo=HCM)


def procedure(**kwargs):
    values = {"code": "9.900001", "name": "Thủ tục thử", "deadline_amount": 1, "deadline_unit": "working_days"}
    return Procedure.objects.create(**(values | kwargs))


def test_default_unit_is_used_when_none_is_given():
    seed_demo_calendar(seed_units(), DEMO_WARD_CODE)  # Hoàng Liệt (the default unit) also opens Saturday mornings
    p = procedure(deadline_amount=2, deadline_unit="working_hours")
    assert procedure_due_at(p, received_at=vn(2025, 6, 6, 16)) == vn(2025, 6, 7, 9)
    with override_settings(DEFAULT_UNIT_CODE="NOPE"):
        selector._memo.clear()
        cache.clear()  # the default unit's id is cached under the calendar token
        # No such unit: the national calendar answers (no Saturday).
        assert procedure_due_at(p, received_at=vn(2025, 6, 6, 16)) == vn(2025, 6, 9, 9)


def test_same_day_and_no_wait_targets(ward):
    p = procedure(deadline_unit="same_day_cutoff", deadline_cutoff=time(15), no_wait=True, no_wait_minutes=15)
    assert procedure_due_at(p, received_at=vn(2025, 6, 3, 15, 30), unit=ward) == vn(2025, 6, 4, 17)
    assert no_wait_due_at(p, received_at=vn(2025, 6, 3, 11, 50), unit=ward) == vn(2025, 6, 3, 13, 5)
    assert no_wait_due_at(procedure(code="9.0"), received_at=vn(2025, 6, 3, 10), unit=ward) is None


def test_deadline_minutes_count_the_units_full_day(db):
    short = UnitFactory(code="S3")
    office_hours_replace(
        unit=short, weekly={d: [(time(7, 30), time(11, 30)), (time(13, 30), time(17))] for d in range(5)}
    )
    saturday = UnitFactory(code="S4")
    office_hours_replace(
        unit=saturday,
        weekly={**{d: [(time(8), time(12)), (time(13), time(17))] for d in range(5)}, 5: [(time(8), time(12))]},
    )
    p = procedure(deadline_amount=3)
    assert p.deadline_minutes == 3 * nationwide_calendar().full_day_minutes == 1440  # the nationwide catalogue
    assert procedure_deadline_minutes(p, unit=short) == 3 * 450  # 7½-hour days
    assert procedure_deadline_minutes(p, unit=saturday) == 1440  # Saturday mornings do not shorten a day
