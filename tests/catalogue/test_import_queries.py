"""Set-wise import: a fixed number of queries per file, whatever its length; constraints checked in Python."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procedures.models import DeadlineUnit, FeeKind, Procedure, ProcessStep, RequiredDocument
from procedures.services.catalogue_import import import_catalogue
from procedures.services.check_constraints import constraint_errors
from tests.catalogue.test_import import as_csv, as_json, row

pytestmark = pytest.mark.django_db


def rows(n: int, **overrides) -> list[dict]:
    return [
        row(
            code=f"9.{i:06d}",
            units=["H26.08.04", "H26.08.05"],
            documents=[
                {"name": f"Đơn {i}", "form": "original", "count": 1},
                {"name": "CCCD", "form": "present", "count": 1},
            ],
            steps=[
                {"description": "Tiếp nhận", "responsible": "Một cửa", "minutes": 15},
                {"description": "Xử lý", "responsible": "Chuyên môn", "minutes": 60},
            ],
            **overrides,
        )
        for i in range(n)
    ]


def queries(data: bytes, fmt: str, **kwargs) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        report = import_catalogue(data, fmt=fmt, **kwargs)
    assert report.ok, report.errors[:3]
    return len(ctx.captured_queries), report


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_validation_queries_do_not_grow_with_the_rows(units, fmt):
    encode = as_csv if fmt == "csv" else as_json
    small, _ = queries(encode(*rows(20)), fmt, dry_run=True)
    large, report = queries(encode(*rows(200)), fmt, dry_run=True)
    assert len(report.created) == 200
    assert small == large <= 8


def test_a_real_import_of_200_rows_takes_a_bounded_number_of_queries(units):
    count, report = queries(as_json(*rows(200)), "json")
    assert len(report.created) == 200
    assert count <= 30
    assert Procedure.history.count() == 200 and RequiredDocument.history.count() == 400
    assert ProcessStep.history.count() == 400
    assert Procedure.objects.get(code="9.000007").history.get().units.count() == 2  # the units snapshot

    changed = rows(200, name="Đã sửa")
    changed[0]["documents"] = changed[0]["documents"][:1]  # one document removed
    changed[1]["units"] = ["H26.08.04"]
    count, report = queries(as_json(*changed), "json")
    assert len(report.updated) == 200 and count <= 35
    assert RequiredDocument.history.filter(history_type="-").count() == 1
    assert Procedure.objects.get(code="9.000001").units.count() == 1
    latest = Procedure.objects.get(code="9.000001").history.first()
    assert latest.history_type == "~" and latest.units.count() == 1

    count, report = queries(as_json(*changed), "json")
    assert len(report.unchanged) == 200 and count <= 8  # unchanged rows are not written at all


procedures = st.builds(
    Procedure,
    code=st.sampled_from(["1.000656", "a b", "", "HL.XN-01"]),
    deadline_amount=st.integers(-2, 5),
    deadline_unit=st.sampled_from(DeadlineUnit.values),
    deadline_cutoff=st.sampled_from([None, __import__("datetime").time(15)]),
    no_wait=st.booleans(),
    no_wait_minutes=st.none() | st.integers(0, 3000),
    fee_kind=st.sampled_from(FeeKind.values),
    fee_amount=st.none() | st.integers(0, 3),
    fee_description=st.sampled_from(["", "theo quy định"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(procedure=procedures)
def test_python_constraint_check_agrees_with_the_database(db, procedure):
    from django.core.exceptions import ValidationError

    for constraint in Procedure._meta.constraints:
        try:
            constraint.validate(Procedure, procedure)
            in_database = True
        except ValidationError:
            in_database = False
        assert (constraint.name not in constraint_errors(procedure)) is in_database, constraint.name
