"""Schema-driven fuzzing: schemathesis reads our OpenAPI schema (/api/schema/, drf-spectacular) and sends every
API operation generated valid and invalid input through the WSGI app. No operation may answer 5xx, and
every answer must be one the schema documents, in the documented shape.

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

from procedures.services.calendar import seed_demo_calendar
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


# Loaded at collection, through the WSGI app: the schema view needs no database (no connection is open yet).
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


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
    } <= operations
