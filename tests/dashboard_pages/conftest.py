"""A small district of two wards with hand-placed dossiers in March 2026 (time frozen on Friday 20 March,
10:00 Vietnam time), and one user per role. Dossiers are written straight into the table with the times the
figures depend on; the figures themselves are h33's (tests/dashboard checks them by hand), these tests check
that the pages, files and paper show them.

Ward A, March 2026: received 5 — resolved 3 (early 1, on time 1, late 1), in progress 2 (1 overdue now).
Ward B, March 2026: received 2 — resolved 1 (early), in progress 1 (within its deadline).
Progress score (20 × (early + on time + running within deadline) ÷ (resolved + in progress)): A 12, B 20.
"""

from __future__ import annotations

from datetime import datetime
from itertools import count

import pytest
import time_machine

from portal.units.calendar.domain.working_time import VIETNAM_TZ
from portal.units.models import Unit
from procedures.domain.workflow import DossierStatus
from procedures.models import Dossier
from tests.factories import FieldFactory, ProcedureFactory, UnitFactory, UserFactory

_sequence = count(1)
NOW = datetime(2026, 3, 20, 10, 0, tzinfo=VIETNAM_TZ)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=VIETNAM_TZ)


def dossier(unit, procedure, applicant, received, due, finished=None, timeliness="", assigned_to=None):
    status = DossierStatus.DONE if finished else DossierStatus.IN_PROGRESS
    number = next(_sequence)
    return Dossier.objects.create(
        code=f"{unit.code}-{received:%y%m%d}-{number % 10000:04d}",
        procedure=procedure,
        unit=unit,
        applicant=applicant,
        channel="desk",
        status=status,
        submitted_at=received,
        received_at=received,
        due_at=due,
        finished_at=finished,
        timeliness=timeliness,
        assigned_to=assigned_to,
    )


@pytest.fixture
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def district_world(db, frozen_now):
    province = UnitFactory(code="P1", name="Tỉnh Một", kind=Unit.Kind.PROVINCE)
    district = UnitFactory(code="P1.D1", name="Quận Một", kind=Unit.Kind.DISTRICT, parent=province)
    ward_a = UnitFactory(code="P1.D1.A", name="Phường An", parent=district)
    ward_b = UnitFactory(code="P1.D1.B", name="Phường Bình", parent=district)
    elsewhere = UnitFactory(code="P1.D2", name="Quận Hai", kind=Unit.Kind.DISTRICT, parent=province)
    users = {
        "desk": UserFactory(desk=True, unit=ward_a, full_name="Nguyễn Văn Một"),
        "specialist": UserFactory(specialist=True, unit=ward_a, full_name="Trần Thị Hai"),
        "leader": UserFactory(leader=True, unit=ward_a),
        "district_leader": UserFactory(leader=True, unit=district),
        "other_leader": UserFactory(leader=True, unit=elsewhere),
        "citizen": UserFactory(),
    }
    civil = FieldFactory(name="Hộ tịch")
    certification = FieldFactory(name="Chứng thực")
    birth = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh", field=civil)
    copy = ProcedureFactory(code="2.000815", name="Chứng thực bản sao từ bản chính", field=certification)
    citizen, desk, specialist = users["citizen"], users["desk"], users["specialist"]
    d = {
        "early": dossier(
            ward_a, birth, citizen, local(2026, 3, 2, 9), local(2026, 3, 5, 9), local(2026, 3, 3, 9), "early", desk
        ),
        "on_time": dossier(
            ward_a,
            birth,
            citizen,
            local(2026, 3, 2, 9),
            local(2026, 3, 5, 9),
            local(2026, 3, 5, 8),
            "on_time",
            specialist,
        ),
        "late": dossier(
            ward_a, copy, citizen, local(2026, 3, 4, 9), local(2026, 3, 5, 9), local(2026, 3, 10, 9), "late", specialist
        ),
        "overdue": dossier(ward_a, copy, citizen, local(2026, 3, 9, 9), local(2026, 3, 19, 9), assigned_to=specialist),
        "running": dossier(ward_a, birth, citizen, local(2026, 3, 16, 9), local(2027, 3, 16, 9)),
        "b_early": dossier(
            ward_b, birth, citizen, local(2026, 3, 2, 9), local(2026, 3, 5, 9), local(2026, 3, 3, 9), "early"
        ),
        "b_running": dossier(ward_b, copy, citizen, local(2026, 3, 18, 9), local(2027, 3, 18, 9)),
    }
    return {
        "district": district,
        "ward_a": ward_a,
        "ward_b": ward_b,
        "users": users,
        "dossiers": d,
        "procedures": {"birth": birth, "copy": copy},
    }
