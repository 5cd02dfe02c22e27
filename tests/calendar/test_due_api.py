"""GET /api/procedures/{code}/due/: the due time a citizen is promised, and clear errors for bad input."""

from datetime import time

import pytest
import time_machine
from django.urls import reverse

from portal.units.calendar.services import seed_demo_calendar
from procedures.models import Procedure
from procedures.services.demo import DEMO_WARD_CODE, seed_units
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedures(db):
    # The default unit Hoàng Liệt (H26.08.04), which also receives on Saturday mornings, as in the demo.
    seed_demo_calendar(seed_units(), DEMO_WARD_CODE)
    return {
        "days": Procedure.objects.create(
            code="9.900001", name="Đăng ký khai sinh", deadline_amount=5, deadline_unit="working_days"
        ),
        "same_day": Procedure.objects.create(
            code="9.901612",
            name="Chứng thực bản sao từ bản chính",
            deadline_amount=1,
            deadline_unit="same_day_cutoff",
            deadline_cutoff=time(15),
        ),
        "hours": Procedure.objects.create(
            code="9.900002", name="Xác nhận", deadline_amount=4, deadline_unit="working_hours"
        ),
    }


def due(client, code, **params):
    return client.get(reverse("procedure-due", args=[code]), params, HTTP_ACCEPT_LANGUAGE=params.pop("lang", "vi"))


CASES = [
    # code, received_at, unit, expected due_at
    ("9.900001", "2026-01-12T10:00:00+07:00", None, "2026-01-17T10:00:00+07:00"),  # Hoàng Liệt works Saturdays
    ("9.900001", "2026-01-12T10:00:00+07:00", "T99.01", "2026-01-19T10:00:00+07:00"),  # a Mon–Fri ward
    ("9.900001", "2025-12-31T10:00:00+07:00", "T99.01", "2026-01-09T10:00:00+07:00"),  # 1/1 and 2/1/2026 off
    ("9.900001", "2026-01-05T10:00:00+07:00", "T99.01", "2026-01-10T10:00:00+07:00"),  # make-up Saturday 10/1
    ("9.900001", "2026-01-12T03:00:00Z", "T99.01", "2026-01-19T10:00:00+07:00"),  # UTC in, Vietnam time out
    ("9.901612", "2026-01-05T15:30:00+07:00", None, "2026-01-06T17:00:00+07:00"),  # after the 15:00 cut-off
    ("9.901612", "2026-01-05T14:00:00+07:00", None, "2026-01-05T17:00:00+07:00"),  # before it: the same day
    ("9.900002", "2026-02-13T15:00:00+07:00", "T99.01", "2026-02-23T10:00:00+07:00"),  # Tết 2026 between
    # Hoàng Liệt's Saturday desk is closed inside holiday breaks (the rule, no dates typed in):
    ("9.900001", "2024-04-22T09:00:00+07:00", None, "2024-05-02T09:00:00+07:00"),  # not Sat 27/4/2024 (27/4–1/5)
    ("9.900002", "2026-02-13T16:00:00+07:00", None, "2026-02-23T11:00:00+07:00"),  # nor Sat 14/2 or 21/2/2026 (Tết)
    ("9.900002", "2026-08-28T16:00:00+07:00", None, "2026-09-03T11:00:00+07:00"),  # nor Sat 29/8/2026 (29/8–2/9)
    ("9.900002", "2026-08-21T16:00:00+07:00", None, "2026-08-22T11:00:00+07:00"),  # make-up Sat 22/8/2026: open
]


@pytest.mark.parametrize(("code", "received_at", "unit", "expected"), CASES)
def test_due_time(client, procedures, code, received_at, unit, expected):
    UnitFactory(code="T99.01")
    params = {"received_at": received_at} | ({"unit": unit} if unit else {})
    response = due(client, code, **params)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["due_at"] == expected
    assert body["received_at"].endswith("+07:00")
    assert body["procedure"] == code
    assert body["unit"] == (unit or "H26.08.04")


def test_response_describes_the_deadline(client, procedures):
    body = due(client, "9.901612", received_at="2026-01-05T09:00:00+07:00").json()
    assert body == {
        "procedure": "9.901612",
        "unit": "H26.08.04",
        "received_at": "2026-01-05T09:00:00+07:00",
        "due_at": "2026-01-05T17:00:00+07:00",
        "deadline": {"amount": 1, "unit": "same_day_cutoff", "cutoff": "15:00"},
    }


def test_an_unencoded_plus_in_the_offset_is_understood(client, procedures):
    # "?received_at=2026-01-05T10:00:00+07:00" typed in a browser: the plus arrives as a space.
    url = reverse("procedure-due", args=["9.900001"]) + "?received_at=2026-01-05T10:00:00+07:00&unit=H26.08.04"
    assert client.get(url).json()["received_at"] == "2026-01-05T10:00:00+07:00"


@time_machine.travel("2026-01-05 02:00:00Z", tick=False)  # Monday 09:00 in Hanoi
def test_without_received_at_it_answers_for_now(client, procedures):
    body = due(client, "9.901612").json()
    assert body["received_at"] == "2026-01-05T09:00:00+07:00"
    assert body["due_at"] == "2026-01-05T17:00:00+07:00"


@pytest.mark.parametrize(
    ("params", "parameter", "vi_text"),
    [
        ({"received_at": "2026-01-05T10:00:00"}, "received_at", "phải có múi giờ"),  # naive: never guessed
        ({"received_at": "next tuesday"}, "received_at", "không phải ngày giờ"),  # not ISO 8601
        ({"received_at": "2026-02-30T10:00:00+07:00"}, "received_at", "không phải ngày giờ"),  # no such day
        ({"received_at": "1990-01-05T10:00:00+07:00"}, "received_at", "từ 2000 đến 2100"),  # absurd year
        ({"unit": "H99.99"}, "unit", "H99.99"),  # unknown unit: named in the message
    ],
)
def test_bad_parameters_are_400_naming_the_parameter_in_vietnamese(client, procedures, params, parameter, vi_text):
    response = due(client, "9.900001", **params)
    assert response.status_code == 400
    body = response.json()
    assert body["parameter"] == parameter
    assert parameter in body["detail"] and vi_text in body["detail"]


def test_errors_follow_the_request_language(client, procedures):
    body = due(client, "9.900001", received_at="2026-01-05T10:00:00", lang="en").json()
    assert body["detail"] == "received_at must include a time zone, e.g. 2026-01-05T10:00:00+07:00."


def test_unknown_procedure_is_404_json(client, procedures):
    response = due(client, "9.999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Không có thủ tục mã 9.999999."}


def test_a_cutoff_outside_office_hours_is_a_400_not_a_wrong_date(client, procedures):
    Procedure.objects.create(
        code="9.900003",
        name="Sai giờ chốt",
        deadline_amount=1,
        deadline_unit="same_day_cutoff",
        deadline_cutoff=time(18),
    )
    response = due(client, "9.900003", received_at="2026-01-05T10:00:00+07:00")
    assert response.status_code == 400
    assert response.json()["detail"] == "Giờ chốt tiếp nhận 18:00 nằm ngoài giờ làm việc."


def test_the_endpoint_is_in_the_api_schema(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/procedures/{code}/due/" in schema and "received_at" in schema
