"""Schema-driven fuzzing: schemathesis reads our OpenAPI schema (/api/schema/, drf-spectacular) and sends every
API operation generated valid and invalid input through the WSGI app. No operation may answer 5xx, and
every answer must be one the schema documents, in the documented shape. A fuzzing dictionary mixes known
hostile values into every input, and edge date-times into every date-time: without them 25 examples found
neither the NUL nor the year-10000 crash (checked by removing each fix).

Bounded and deterministic: a fixed number of examples per operation, derandomised, no deadline (the machine
is shared), so the run takes seconds per operation and fails the same way every time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.units.calendar.services import seed_demo_calendar
from procedures.services.demo import DEMO_WARD_CODE, seed_units
from tests.factories import ProcessStepFactory, RequiredDocumentFactory

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 25
# date-time values at and beyond the edges of Python's datetime range and of the working calendar (2000–2100),
# in the most distant offsets: 25 examples of the default strategy rarely reach them.
OFFSETS = [UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12)), timezone(timedelta(hours=7))]
MIN_NAIVE, MAX_NAIVE = datetime(1, 1, 2), datetime(9999, 12, 30)  # noqa: DTZ001 (hypothesis wants naive bounds)
EDGE_DATETIMES = [
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-12:00",
    "2100-12-31T23:59:59+07:00",
    "1999-12-31T23:59:59-12:00",
]
schemathesis.openapi.format(
    "date-time",
    st.sampled_from(EDGE_DATETIMES)
    | st.datetimes(MIN_NAIVE, MAX_NAIVE, timezones=st.sampled_from(OFFSETS)).map(lambda moment: moment.isoformat()),
)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


# Values that broke endpoints before (NUL bytes, over-long logins, years past 9999 in local time), offered for
# every parameter and body field now and then: 25 generated examples alone rarely come up with them.
HOSTILE = ["\x00", "1.001612\x00", "x" * 300, "9" * 40, "-1", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00"]


# Procedure codes: mostly the one the fixture creates, so operations get past their 404 to the other inputs.
CODES = ["0", "0", "0", "0\x00", "\x00"]


def _input_names(raw: dict) -> set[str]:
    """`location.name` of every parameter and request-body field of the schema."""
    names = set()
    for operations in raw["paths"].values():
        for operation in operations.values():
            names |= {f"{p['in']}.{p['name']}" for p in operation.get("parameters", [])}
            for content in operation.get("requestBody", {}).get("content", {}).values():
                reference = content["schema"].get("$ref", "")
                component = raw["components"]["schemas"].get(reference.rsplit("/", 1)[-1], {})
                names |= {f"body.{field}" for field in component.get("properties", {})}
    return names


def _load_schema():
    """Loaded at collection, through the WSGI app: the schema view needs no database (no connection is open)."""
    app = get_wsgi_application()
    raw = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app).raw_schema
    config = schemathesis.Config.from_dict(
        {
            "dictionaries": {"hostile": {"values": HOSTILE}, "codes": {"values": CODES}},
            "parameters": {
                **{name: {"dictionary": "hostile", "probability": 0.3} for name in _input_names(raw)},
                "path.code": {"dictionary": "codes", "probability": 0.7},
            },
        }
    )
    loaded = schemathesis.openapi.from_dict(raw, config=config)
    loaded.app = app
    return loaded


schema = _load_schema()


@pytest.fixture
def catalogue(db):
    """Something for generated codes to find: the demo ward, and a procedure coded "0", the first string the
    generator tries, so that the due-time operation gets past its 404 and parses the other parameters."""
    seed_demo_calendar(seed_units(), DEMO_WARD_CODE)
    document = RequiredDocumentFactory(procedure__code="0")
    ProcessStepFactory(procedure=document.procedure)
    return document.procedure


@pytest.fixture
def wsgi_in_test_transaction():
    """Keep the test's transaction open across WSGI requests, as Django's test client does: the handler
    would otherwise close the database connection when each request finishes."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_api_operation_survives_generated_input(case, catalogue, wsgi_in_test_transaction):
    case.call_and_validate(checks=CHECKS)


def test_the_fuzzed_schema_covers_every_api_operation():
    operations = {(result.ok().method.upper(), result.ok().path) for result in schema.get_all_operations()}
    assert {
        ("GET", "/api/procedures/"),
        ("GET", "/api/procedures/{code}/"),
        ("GET", "/api/procedures/{code}/due/"),
        ("POST", "/api/auth/token/"),
        ("GET", "/api/lookup/"),
    } <= operations
