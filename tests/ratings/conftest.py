"""The dossier tests' world (a ward, its staff, an online procedure), and a dossier walked to a status."""

import pytest

from tests.dossiers.conftest import GUIDANCE, World, english, signed_in, world  # noqa: F401 — fixtures

__all__ = ["GUIDANCE", "World"]


@pytest.fixture
def returned(world):  # noqa: F811 — the imported fixture
    """A dossier whose result was handed back: open for rating."""
    return world.to_status("returned")
