"""A same-day procedure's cut-off must be a time the desk is open, wherever the catalogue is edited."""

from datetime import time

import pytest
from django.core.exceptions import ValidationError

from tests.factories import ProcedureFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("cutoff", [time(7, 0), time(12, 30), time(18, 0)])
def test_cutoff_outside_office_hours_is_refused_with_a_vietnamese_message(cutoff):
    procedure = ProcedureFactory.build(same_day=True, deadline_cutoff=cutoff)
    with pytest.raises(ValidationError) as exc:
        procedure.clean()
    assert "ngoài giờ làm việc" in " ".join(exc.value.message_dict["deadline_cutoff"])


def test_cutoff_in_office_hours_is_accepted():
    ProcedureFactory.build(same_day=True, deadline_cutoff=time(15, 0)).clean()
