"""Fixtures of the catalogue tests: the shipped real catalogue and a small hand-made one."""

import pytest

from procedures.services.catalogue_import import load_shipped_catalogue
from procedures.services.demo import seed_units


@pytest.fixture
def units(db):
    """The demo tree: Hà Nội → Hoàng Mai → 14 wards (Hoàng Liệt is H26.08.04)."""
    return seed_units()


@pytest.fixture
def shipped(units):
    """The 40+ real ward procedures of procedures/data/procedures.json."""
    return load_shipped_catalogue()
