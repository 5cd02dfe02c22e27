"""A ward with two counters (civil status: 2 places per slot; certification: 1), procedures, people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from procedures.models import Counter
from tests.factories import FieldFactory, ProcedureFactory, UnitFactory, UserFactory

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(text: str) -> datetime:
    """'2026-03-09 08:00' in Hanoi time."""
    return datetime.fromisoformat(text).replace(tzinfo=HANOI)


@dataclass
class Desk:
    unit: object
    other_unit: object
    civil: object  # procedure, field hộ tịch
    civil2: object  # another procedure of the same field
    certify: object  # no-wait procedure, field chứng thực
    counter1: Counter
    counter2: Counter
    citizen: object
    other_citizen: object
    desk: object
    other_desk: object
    leader: object
    unit_admin: object


@pytest.fixture
def desk(db):
    unit = UnitFactory(code="H23.01", name="Phường Đặt Lịch")
    other = UnitFactory(code="H23.02", name="Phường Khác")
    civil_field = FieldFactory(code="ho-tich", name="Hộ tịch")
    cert_field = FieldFactory(code="chung-thuc", name="Chứng thực")
    counter1 = Counter.objects.create(unit=unit, number=1, name="Hộ tịch", slot_capacity=2)
    counter1.fields.add(civil_field)
    counter2 = Counter.objects.create(unit=unit, number=2, name="Chứng thực", slot_capacity=1)
    counter2.fields.add(cert_field)
    return Desk(
        unit=unit,
        other_unit=other,
        civil=ProcedureFactory(field=civil_field),
        civil2=ProcedureFactory(field=civil_field),
        certify=ProcedureFactory(field=cert_field, quick=True),
        counter1=counter1,
        counter2=counter2,
        citizen=UserFactory(email="dan@example.vn"),
        other_citizen=UserFactory(email="khac@example.vn"),
        desk=UserFactory(desk=True, unit=unit),
        other_desk=UserFactory(desk=True, unit=other),
        leader=UserFactory(leader=True, unit=unit),
        unit_admin=UserFactory(unit_admin=True, unit=unit),
    )
