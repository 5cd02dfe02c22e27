import pytest
from procedures.domain.workflow import DossierStatus


@pytest.mark.parametrize("status", list(DossierStatus))
def test_walk(world, status):
    d = world.to_status(status)
    assert d.status == status
