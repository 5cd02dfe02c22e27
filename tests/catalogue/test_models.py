"""Catalogue invariants live in the database; the display helpers say deadlines and fees in words."""

from datetime import time

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from procedures.models import Procedure
from procedures.models.catalogue import minutes_text
from tests.factories import FieldFactory, ProcedureFactory, ProcessStepFactory, RequiredDocumentFactory

pytestmark = pytest.mark.django_db


def create(**overrides):
    values = {
        "code": "9.000001",
        "name": "Thủ tục",
        "field": FieldFactory(),
        "deadline_amount": 1,
        "deadline_unit": "working_days",
    }
    return Procedure.objects.create(**(values | overrides))


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"deadline_amount": 0}, id="deadline must be positive"),
        pytest.param({"deadline_unit": "same_day_cutoff", "deadline_cutoff": None}, id="same day needs a cut-off"),
        pytest.param({"no_wait": True, "no_wait_minutes": None}, id="no-wait needs minutes (NULL is not a pass)"),
        pytest.param({"no_wait": True, "no_wait_minutes": 0}, id="no-wait minutes positive"),
        pytest.param({"no_wait": True, "no_wait_minutes": 480}, id="no-wait not shorter than 1 working day"),
        pytest.param(
            {"deadline_unit": "working_hours", "deadline_amount": 1, "no_wait": True, "no_wait_minutes": 60},
            id="no-wait not shorter than 1 working hour",
        ),
        pytest.param(
            {"deadline_unit": "same_day_cutoff", "deadline_cutoff": time(15), "no_wait": True, "no_wait_minutes": 480},
            id="same day counts as one working day",
        ),
        pytest.param({"fee_kind": "fixed", "fee_amount": None}, id="fixed fee needs an amount"),
        pytest.param({"fee_kind": "fixed", "fee_amount": 0}, id="fixed fee amount positive"),
        pytest.param({"fee_kind": "free", "fee_amount": 2000}, id="free means no amount"),
        pytest.param({"fee_kind": "varies", "fee_description": ""}, id="varying fee must be explained"),
        pytest.param({"code": "1.000 656"}, id="no spaces in codes"),
        pytest.param({"code": "a/b"}, id="no slashes in codes (they are in URLs)"),
    ],
)
def test_database_refuses_an_invalid_procedure(overrides):
    with pytest.raises(IntegrityError), transaction.atomic():
        create(**overrides)


@pytest.mark.parametrize(
    "overrides",
    [
        {"no_wait": True, "no_wait_minutes": 479},
        {"deadline_unit": "working_hours", "deadline_amount": 8, "no_wait": True, "no_wait_minutes": 15},
        {"deadline_unit": "same_day_cutoff", "deadline_cutoff": time(15), "no_wait": True, "no_wait_minutes": 15},
        {"fee_kind": "varies", "fee_amount": 2000, "fee_description": "2.000 đồng/trang"},
        {"fee_kind": "varies", "fee_amount": None, "fee_description": "Theo HĐND tỉnh"},
        {"code": "HL.XN-01"},
    ],
)
def test_database_accepts_valid_edge_cases(overrides):
    assert create(**overrides).pk


def test_document_count_and_step_allotment_must_be_positive():
    procedure = ProcedureFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RequiredDocumentFactory(procedure=procedure, count=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProcessStepFactory(procedure=procedure, allotment_minutes=0)


def _check_deferred_constraints():
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_database_refuses_steps_longer_than_the_deadline_at_commit():
    procedure = ProcedureFactory(deadline_unit="working_hours", deadline_amount=1)
    ProcessStepFactory(procedure=procedure, allotment_minutes=30)
    with pytest.raises(IntegrityError, match="more than its statutory deadline"), transaction.atomic():
        ProcessStepFactory(procedure=procedure, allotment_minutes=31)
        _check_deferred_constraints()


def test_database_refuses_shortening_a_deadline_below_its_steps():
    procedure = ProcedureFactory(deadline_amount=2)
    ProcessStepFactory(procedure=procedure, allotment_minutes=900)
    _check_deferred_constraints()
    with pytest.raises(IntegrityError), transaction.atomic():
        Procedure.objects.filter(pk=procedure.pk).update(deadline_amount=1)
        _check_deferred_constraints()


def test_deadline_and_steps_may_change_together_in_one_transaction():
    procedure = ProcedureFactory(deadline_amount=1)
    with transaction.atomic():
        ProcessStepFactory(procedure=procedure, allotment_minutes=900)  # too long for 1 day, for a moment
        Procedure.objects.filter(pk=procedure.pk).update(deadline_amount=2)
        _check_deferred_constraints()
    assert procedure.steps.count() == 1


@pytest.mark.parametrize(
    ("unit", "amount", "cutoff", "minutes", "vi", "en"),
    [
        ("working_days", 3, None, 1440, "3 ngày làm việc", "3 working days"),
        ("working_days", 1, None, 480, "1 ngày làm việc", "1 working day"),
        ("working_hours", 8, None, 480, "8 giờ làm việc", "8 working hours"),
        (
            "same_day_cutoff",
            1,
            time(15),
            480,
            "Trong ngày làm việc; nếu tiếp nhận sau 15:00 thì trả trong ngày làm việc tiếp theo",
            "Within the working day; the next working day if received after 15:00",
        ),
    ],
)
def test_deadline_in_words_and_in_working_minutes(unit, amount, cutoff, minutes, vi, en):
    procedure = Procedure(deadline_unit=unit, deadline_amount=amount, deadline_cutoff=cutoff)
    assert procedure.deadline_minutes == minutes
    with translation.override("vi"):
        assert procedure.deadline_text == vi
    with translation.override("en"):
        assert procedure.deadline_text == en


@pytest.mark.parametrize(
    ("kind", "amount", "vi", "en"),
    [
        ("free", None, "miễn phí", "free of charge"),
        ("fixed", 10000, "10.000 đồng", "10,000 VND"),
        ("varies", 2000, "từ 2.000 đồng", "from 2,000 VND"),
        ("varies", None, "tùy trường hợp (xem chi tiết)", "varies (see details)"),
    ],
)
def test_fee_summary_uses_the_local_thousands_separator(kind, amount, vi, en):
    procedure = Procedure(fee_kind=kind, fee_amount=amount)
    with translation.override("vi"):
        assert procedure.fee_summary == vi
    with translation.override("en"):
        assert procedure.fee_summary == en


def test_minutes_in_words():
    with translation.override("vi"):
        texts = [minutes_text(m) for m in (15, 60, 120, 960, 210)]
    assert texts == ["15 phút", "1 giờ làm việc", "2 giờ làm việc", "2 ngày làm việc", "3 giờ 30 phút làm việc"]
    with translation.override("en"):
        assert minutes_text(90) == "1 working hour 30 minutes"


def test_english_text_falls_back_to_vietnamese():
    procedure = Procedure(name="Đăng ký khai tử", name_en="Death registration")
    untranslated = Procedure(name="Xác nhận đơn", name_en="")
    with translation.override("en"):
        assert procedure.localized("name") == "Death registration"
        assert untranslated.localized("name") == "Xác nhận đơn"
    with translation.override("vi"):
        assert procedure.localized("name") == "Đăng ký khai tử"


def test_search_text_is_folded_vietnamese_and_english():
    field = FieldFactory(name="Chứng thực", name_en="Certification")
    procedure = Procedure(code="2.000884", name="Chứng thực chữ ký", name_en="Signature certification", field=field)
    assert procedure.build_search_text() == (
        "chung thuc chu ky | signature certification | 2.000884 | chung thuc | certification"
    )
    assert "dang ky khai tu" in Procedure(code="x", name="ĐĂNG KÝ KHAI TỬ").build_search_text()
