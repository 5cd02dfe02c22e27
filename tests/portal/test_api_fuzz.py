"""Schema-driven fuzzing: schemathesis reads our OpenAPI schema (/api/schema/, drf-spectacular) and sends every
API operation generated valid and invalid input through the WSGI app. No operation may answer 5xx, and
every answer must be one the schema documents, in the documented shape.

Bounded and deterministic: a fixed number of examples per operation, derandomised, no deadline (the machine
is shared), so the run takes seconds per operation and fails the same way every time."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
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
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


# Loaded at collection, through the WSGI app: the schema view needs no database (no connection is open yet).
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture
def catalogue(db):
    """Something for the generated codes to find now and then: the shipped ward and one procedure."""
    seed_demo_calendar(seed_units(), DEMO_WARD_CODE)
    document = RequiredDocumentFactory(procedure__code="1.001612")
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
