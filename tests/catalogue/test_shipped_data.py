"""The shipped catalogue against the national procedure records (check of 11/2026), and its delivery.

The expected figures are the rows of ../shared/reference/catalogue-check.md ("Rows that are wrong",
"Provisional local codes", "Confirmed", the missing ward-level procedures): what ships must be exactly
that. A running portal that still holds the old 44 rows (tests/catalogue/data/procedures_before_2026-11.json,
the file as shipped before the check) receives the corrections on its next `migrate`.
"""

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from procedures.models import Procedure, ProcessStep
from procedures.services.catalogue_corrections import CORRECTION_REASON, RENAMES, apply_catalogue_corrections
from procedures.services.catalogue_import import SHIPPED_CATALOGUE, import_file, load_shipped_catalogue
from procedures.services.demo import seed_demo

SHIPPED = {row["code"]: row for row in json.loads(SHIPPED_CATALOGUE.read_text(encoding="utf-8"))["procedures"]}
BEFORE = Path(__file__).parent / "data" / "procedures_before_2026-11.json"

NATIONAL_CODE = re.compile(r"^[12]\.\d{6}$")
# Documented local codes (README, "Shipped data"): the ward's own confirmations, provisional military-service
# codes, and a case of a national procedure with its own deadline (national code before the dash).
LOCAL_CODES = {
    re.compile(r"^HL\.XN-\d{2}$"): "the ward's own confirmation",
    re.compile(r"^LC\.QS-\d{2}$"): "provisional local code",
    re.compile(r"^[12]\.\d{6}-[A-Z]{2}$"): "case of national procedure",
}
SOURCE_MARKERS = ("[A]", "[E]", "[T]", "[L]", "[F]", "[PĐ]", "[CT]", "Not found in any source")
WD, SAME_DAY, HOURS = "working_days", "same_day_cutoff", "working_hours"

# code, deadline amount, unit — why (the reference's row)
DEADLINES = [
    ("1.000656", 1, SAME_DAY),  # khai tử: same day/15h, was 1 WD
    ("1.000689", 3, WD),  # khai sinh kết hợp nhận cha, mẹ, con: code was 1.000593
    ("2.001016", 2, WD),  # từ chối nhận di sản (swapped with 2.001406)
    ("2.001406", 2, WD),  # thỏa thuận phân chia di sản
    ("2.000913", 1, SAME_DAY),  # sửa đổi, bổ sung, hủy bỏ giao dịch: same day/15h, was 2 WD
    ("1.003197", 5, WD),  # xóa đăng ký thường trú: was LC.CT-04, 1 WD
    ("1.010038", 5, WD),  # tách hộ: was LC.CT-05, 3 WD
    ("1.001776", 10, WD),  # trợ cấp xã hội hằng tháng: ward decides in 10 WD, was 17
    ("1.001731", 3, WD),  # mai táng: was LC.BTXH-01, 7 WD
    ("1.004859", 3, WD),  # thay đổi, cải chính (+3 with verification)
    ("1.004859-BS", 1, SAME_DAY),  # … bổ sung: same day
    ("1.004845", 2, WD),  # chấm dứt giám hộ
    ("2.000635", 1, SAME_DAY),  # bản sao trích lục
    ("1.004222", 7, WD),  # thường trú, was LC.CT-01
    ("1.004194", 3, WD),  # tạm trú, was LC.CT-02
    ("1.002755", 3, WD),  # gia hạn tạm trú, was LC.CT-03
    ("1.003677", 1, WD),  # tạm vắng, was LC.CT-06
    ("1.010039", 3, WD),  # điều chỉnh thông tin cư trú, was LC.CT-07
    ("1.001193", 1, SAME_DAY),  # confirmed: khai sinh
    ("1.004873", 3, WD),  # confirmed: xác nhận tình trạng hôn nhân
    ("1.004837", 3, WD),  # confirmed: giám hộ
    ("1.004884", 5, WD),  # confirmed: đăng ký lại khai sinh
    ("1.004746", 5, WD),  # confirmed: đăng ký lại kết hôn
    ("1.005461", 5, WD),  # confirmed: đăng ký lại khai tử
    ("2.000815", 1, SAME_DAY),  # confirmed: bản sao từ bản chính
    ("2.000884", 1, SAME_DAY),  # confirmed: chữ ký
    ("2.001035", 2, WD),  # confirmed: giao dịch
    ("2.000942", 1, SAME_DAY),  # confirmed: bản sao giao dịch
    ("1.001699", 25, WD),  # confirmed: mức độ khuyết tật
    ("1.001022", 3, WD),  # confirmed: nhận cha, mẹ, con
    ("1.010028", 2, WD),  # added: xóa đăng ký tạm trú
    ("1.014027", 10, WD),  # added: trợ cấp hưu trí xã hội
    ("1.014028", 3, WD),  # added: mai táng, hưu trí xã hội
    ("1.001612", 3, WD),  # added: hộ kinh doanh
    ("2.000806", 5, WD),  # added: kết hôn có yếu tố nước ngoài
    ("2.002189", 5, WD),  # added: ghi chú kết hôn
    ("1.004772", 5, WD),  # added: khai sinh cho người đã có giấy tờ
    ("2.000528", 1, SAME_DAY),  # added: khai sinh có yếu tố nước ngoài
]
# code, fee kind, amount, text the fee details must contain — why
FEES = [
    ("2.000913", "fixed", 30000, "30.000"),
    ("2.001016", "fixed", 50000, "50.000"),
    ("2.001406", "fixed", 50000, "50.000"),
    ("2.000635", "fixed", 8000, "8.000"),
    ("2.000884", "fixed", 10000, "10.000"),
    ("1.004222", "varies", 20000, "10.000 đồng khi nộp trực tuyến"),  # 20,000 in person / 10,000 online
    ("1.004194", "varies", 15000, "7.000"),
    ("1.002755", "varies", 15000, "7.000"),
    ("1.010038", "varies", 10000, "5.000"),
    ("1.003197", "free", None, ""),
    ("1.010039", "free", None, ""),
    ("1.003677", "free", None, ""),
    ("1.014028", "free", None, ""),
    ("1.000894", "free", None, ""),
    ("1.004837", "free", None, ""),
]
NO_WAIT = {"1.000656", "2.000815", "2.000884", "LC.QS-02", "HL.XN-01", "HL.XN-02", "HL.XN-03", "HL.XN-04", "HL.XN-05"}
ADDED = {
    "2.000528",
    "2.000806",
    "2.002189",
    "1.004772",
    "1.014027",
    "1.014028",
    "1.001612",
    "1.010028",
    "2.001159",
    "1.010040",
}


# --- the file -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(SHIPPED))
def test_code_is_national_or_a_documented_local_code(code):
    note = SHIPPED[code]["source_note"]
    if NATIONAL_CODE.match(code):
        return
    explanation = next((why for pattern, why in LOCAL_CODES.items() if pattern.match(code)), None)
    assert explanation, f"{code} is neither a national code nor a documented local code"
    assert explanation in note
    if explanation == "case of national procedure":
        assert code.split("-")[0] in SHIPPED  # the national procedure it belongs to ships too


@pytest.mark.parametrize("code", sorted(SHIPPED))
def test_every_row_names_what_it_was_checked_against(code):
    note = SHIPPED[code]["source_note"]
    assert note.strip()
    assert any(marker in note for marker in SOURCE_MARKERS), note


def test_no_provisional_residence_or_social_codes_ship():
    assert not [code for code in SHIPPED if code.startswith(("LC.CT", "LC.BTXH"))]
    assert "1.000593" not in SHIPPED  # Đăng ký kết hôn lưu động, not the combined birth registration


@pytest.mark.parametrize(("code", "amount", "unit"), DEADLINES)
def test_deadline_is_the_one_the_records_give(code, amount, unit):
    row = SHIPPED[code]
    assert (row["deadline_amount"], row["deadline_unit"]) == (amount, unit)
    assert row["deadline_cutoff"] == ("15:00" if unit == SAME_DAY else None)
    assert row["is_active"] is True


@pytest.mark.parametrize(("code", "kind", "amount", "detail"), FEES)
def test_fee_is_the_one_the_records_give(code, kind, amount, detail):
    row = SHIPPED[code]
    assert (row["fee_kind"], row["fee_amount"]) == (kind, amount)
    assert detail in row["fee_description"]


def test_swapped_inheritance_codes_carry_the_right_names():
    assert "từ chối nhận di sản" in SHIPPED["2.001016"]["name"]
    assert "phân chia di sản" in SHIPPED["2.001406"]["name"]


def test_renamed_to_the_official_names():
    assert SHIPPED["2.000635"]["name"] == "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh"
    assert SHIPPED["1.004859"]["name"].endswith("bổ sung thông tin hộ tịch, xác định lại dân tộc")
    assert "Art. 22" in SHIPPED["1.004845"]["source_note"]  # not Art. 23
    for code in ("2.001035", "2.000913", "2.000927", "2.000942"):  # NĐ 280/2025: "giao dịch"
        assert "hợp đồng" not in SHIPPED[code]["name"], code


def test_the_abolished_procedure_ships_inactive_with_the_reason():
    row = SHIPPED["2.001009"]
    assert row["is_active"] is False
    assert "Nghị định 280/2025/NĐ-CP" in row["source_note"] and "4517/QĐ-UBND" in row["source_note"]


def test_missing_ward_procedures_are_added_with_documents_and_steps():
    for code in ADDED:
        row = SHIPPED[code]
        assert row["documents"] and row["steps"] and row["legal_basis"], code
        assert row["implementing_level"] in ("commune", "commune_police"), code


def test_post_reform_legal_bases():
    assert "120/2025/NĐ-CP" in SHIPPED["1.001193"]["legal_basis"]
    assert "08/2025/TT-BTP" in SHIPPED["1.001193"]["legal_basis"]
    assert "280/2025/NĐ-CP" in SHIPPED["2.001035"]["legal_basis"]
    assert "176/2025/NĐ-CP" in SHIPPED["1.014027"]["legal_basis"]
    assert "168/2025/NĐ-CP" in SHIPPED["1.001612"]["legal_basis"]


# --- loaded into the database -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_no_wait_procedures_still_satisfy_the_constraints(shipped):
    no_wait = Procedure.objects.filter(no_wait=True)
    assert set(no_wait.values_list("code", flat=True)) == NO_WAIT
    for procedure in no_wait:
        assert 0 < procedure.no_wait_minutes < procedure.deadline_minutes
    for procedure in Procedure.objects.prefetch_related("steps"):
        assert sum(s.allotment_minutes for s in procedure.steps.all()) <= procedure.deadline_minutes, procedure.code


# --- delivery to a running portal ----------------------------------------------------------------------------------


@pytest.fixture
def old_portal(units):
    """A portal running the catalogue as shipped before the check: 44 rows with the old codes."""
    report = import_file(BEFORE)
    assert report.ok and len(report.created) == 44
    return {p.code: p.pk for p in Procedure.objects.all()}


def history_rows():
    return Procedure.history.count() + ProcessStep.history.count()


@pytest.mark.django_db
def test_corrections_reach_a_running_portal(old_portal):
    report = apply_catalogue_corrections()

    assert report.renamed == {r.old_code: r.new_code for r in RENAMES}
    codes = set(Procedure.objects.values_list("code", flat=True))
    assert codes == set(SHIPPED)  # every row once: renamed in place, not duplicated
    # Identity follows the procedure, not the old label: the row about dividing an estate is now 2.001406.
    assert Procedure.objects.get(code="2.001406").pk == old_portal["2.001016"]
    assert Procedure.objects.get(code="2.001016").pk == old_portal["2.001406"]
    assert Procedure.objects.get(code="1.004222").pk == old_portal["LC.CT-01"]
    assert Procedure.objects.get(code="1.000689").pk == old_portal["1.000593"]
    for code, amount, unit in DEADLINES:
        procedure = Procedure.objects.get(code=code)
        assert (procedure.deadline_amount, procedure.deadline_unit) == (amount, unit), code
    abolished = Procedure.objects.get(code="2.001009")
    assert not abolished.is_active and "280/2025" in abolished.source_note
    assert abolished.pk == old_portal["2.001009"]  # deactivated, not deleted

    changed = Procedure.history.filter(history_change_reason=CORRECTION_REASON)
    assert set(changed.values_list("code", flat=True)) == set(SHIPPED)
    assert not changed.exclude(history_user=None).exists()
    assert changed.filter(code="2.001406", history_type="~").exists()
    renamed = Procedure.objects.get(code="1.003197").history.order_by("history_date", "history_id")
    assert [h.code for h in renamed] == ["LC.CT-04", "1.003197", "1.003197"]  # created, renamed, corrected

    before = history_rows()
    assert apply_catalogue_corrections().skipped == "already applied"
    assert apply_catalogue_corrections(force=True).imported.summary().endswith("55 không đổi")
    assert history_rows() == before


@pytest.mark.django_db
def test_migrate_applies_the_corrections_once(old_portal):
    call_command("migrate", verbosity=0)
    assert Procedure.objects.get(code="1.010038").deadline_amount == 5
    assert not Procedure.objects.filter(code__startswith="LC.CT").exists()
    before = history_rows()
    call_command("migrate", verbosity=0)
    assert history_rows() == before


@pytest.mark.django_db
def test_seed_demo_on_an_old_demo_database_changes_codes_not_counts(old_portal):
    seed_demo()
    assert Procedure.objects.count() == len(SHIPPED)
    before = history_rows()
    seed_demo()
    assert Procedure.objects.count() == len(SHIPPED) and history_rows() == before


@pytest.mark.django_db
def test_a_portal_without_the_shipped_catalogue_is_left_alone(units):
    assert apply_catalogue_corrections().skipped == "nothing to correct"
    assert not Procedure.objects.exists()
    load_shipped_catalogue()  # a fresh install loads the corrected file directly
    edited = Procedure.objects.get(code="HL.XN-01")
    edited.deadline_amount = 4  # a local edit that a later migrate must not undo
    edited.save()
    call_command("migrate", verbosity=0)
    assert Procedure.objects.get(code="HL.XN-01").deadline_amount == 4
    assert not Procedure.history.filter(history_change_reason=CORRECTION_REASON).exists()


@pytest.mark.django_db
def test_a_national_code_added_by_hand_retires_the_provisional_row(old_portal):
    old = Procedure.objects.get(code="LC.CT-01")
    Procedure.objects.filter(pk=old.pk).update(code="1.004222")  # an admin already entered the national code …
    import_file(BEFORE)  # … and the provisional row came back with a re-import of the old file
    apply_catalogue_corrections()
    assert not Procedure.objects.get(code="LC.CT-01").is_active
    assert "Replaced by 1.004222" in Procedure.objects.get(code="LC.CT-01").source_note
    assert Procedure.objects.filter(code="1.004222").count() == 1
