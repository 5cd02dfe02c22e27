from tests.dossiers.conftest import World, english, world  # noqa: F401 — the dossiers' world, reused
