"""The dossier world of tests/dossiers, with the papers' renders run as the commit would run them."""

from tests.dossiers.conftest import World, english, world  # noqa: F401 - fixtures reused

__all__ = ["World", "english", "world"]
