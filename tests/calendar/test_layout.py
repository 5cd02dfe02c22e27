"""The calendar has one home, portal/units/calendar, and imports go one way: procedures uses it, never the
reverse; its domain layer stays free of the ORM, settings and I/O."""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "portal" / "units"
DOMAIN = UNITS / "calendar" / "domain"
# What a pure domain module may import beyond the standard library: the `holidays` data, Django's enum type
# and lazy translation marker (so each enum is defined once, with its labels), and its own package.
DOMAIN_ALLOWED = {"holidays", "django.db.models", "django.utils.translation"}


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", sorted(UNITS.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_units_never_import_procedures(path):
    assert not {name for name in imports(path) if name.split(".")[0] == "procedures"}


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_calendar_domain_is_pure(path):
    third_party = {name for name in imports(path) if name.split(".")[0] not in sys.stdlib_module_names}
    assert third_party <= DOMAIN_ALLOWED
