"""Saving through the catalogue services: validation naming the field, history with who and why."""

import pytest
from django.core.exceptions import ValidationError

from procedures.models import Procedure, ProcessStep, RequiredDocument
from procedures.selectors.catalogue import procedure_change_log
from procedures.services.catalogue import field_save, procedure_save
from tests.factories import FieldFactory, ProcedureFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

DOCS = [
    {"name": "Tờ khai", "form": "original", "count": 1},
    {"name": "Căn cước công dân", "form": "present", "count": 1},
]
STEPS = [
    {"description": "Tiếp nhận", "responsible": "Bộ phận Một cửa", "allotment_minutes": 5},
    {"description": "Ký", "responsible": "Lãnh đạo UBND phường", "allotment_minutes": 10},
]


def new_procedure(**overrides):
    values = {
        "code": "9.100001",
        "name": "Chứng thực chữ ký",
        "field": FieldFactory(name="Chứng thực"),
        "deadline_amount": 1,
        "deadline_unit": "working_days",
    }
    return Procedure(**(values | overrides))


def test_save_writes_the_search_column_documents_and_steps():
    procedure = procedure_save(procedure=new_procedure(), documents=DOCS, steps=STEPS)
    procedure.refresh_from_db()
    assert procedure.search_text.startswith("chung thuc chu ky")
    assert [d.name for d in procedure.documents.all()] == ["Tờ khai", "Căn cước công dân"]
    assert [s.position for s in procedure.steps.all()] == [1, 2]


def test_errors_name_the_field_at_fault():
    with pytest.raises(ValidationError) as caught:
        procedure_save(procedure=new_procedure(no_wait=True, no_wait_minutes=600))
    assert "no_wait_minutes" in caught.value.message_dict
    assert not Procedure.objects.exists()


def test_steps_longer_than_the_deadline_are_refused():
    long_steps = [dict(STEPS[0], allotment_minutes=400), dict(STEPS[1], allotment_minutes=100)]
    with pytest.raises(ValidationError) as caught:
        procedure_save(procedure=new_procedure(), steps=long_steps)
    assert "8 giờ 20 phút làm việc" in " ".join(caught.value.message_dict["steps"])
    assert not Procedure.objects.exists()


def test_shortening_the_deadline_checks_the_saved_steps():
    steps = [dict(STEPS[0], allotment_minutes=700)]
    procedure = procedure_save(procedure=new_procedure(deadline_amount=2), steps=steps)
    procedure.deadline_amount = 1
    with pytest.raises(ValidationError) as caught:
        procedure_save(procedure=procedure)
    assert "steps" in caught.value.message_dict


def test_children_are_updated_in_place_so_history_shows_only_real_edits():
    procedure = procedure_save(procedure=new_procedure(), documents=DOCS, steps=STEPS)
    first_ids = list(procedure.documents.values_list("pk", flat=True))
    history_before = RequiredDocument.history.count()
    procedure_save(procedure=procedure, documents=[DOCS[0], dict(DOCS[1], count=2)], steps=STEPS[:1])
    assert list(procedure.documents.values_list("pk", flat=True)) == first_ids
    assert RequiredDocument.history.count() == history_before + 1  # only the changed document
    assert procedure.steps.count() == 1
    assert ProcessStep.history.filter(history_type="-").count() == 1


def test_history_records_who_changed_what_and_why():
    editor = UserFactory(catalogue_editor=True, full_name="Biên tập danh mục")
    procedure = procedure_save(procedure=new_procedure(), documents=DOCS, user=editor, reason="Quyết định 12/QĐ-UBND")
    procedure.deadline_amount = 2
    procedure_save(procedure=procedure, user=editor, reason="Sửa thời hạn")
    latest = procedure.history.first()
    assert latest.history_user == editor
    assert latest.history_change_reason == "Sửa thời hạn"
    log = procedure_change_log(procedure)
    assert log[0].reason == "Sửa thời hạn"
    assert log[0].user == editor
    assert ("thời hạn giải quyết", 1, 2) in [(str(label), old, new) for label, old, new in log[0].changes]
    assert any(entry.subject.endswith("Tờ khai") and entry.kind == "+" for entry in log)


def test_renaming_a_field_refreshes_the_search_text_of_its_procedures():
    procedure = ProcedureFactory(field__name="Hộ tịch", name="Đăng ký khai sinh")
    field = procedure.field
    field.name = "Hộ tịch - Quốc tịch"
    field_save(field=field)
    procedure.refresh_from_db()
    assert "ho tich - quoc tich" in procedure.search_text


def test_change_log_shows_which_units_offer_it():
    ward = UnitFactory(code="H26.08.04", name="Phường Hoàng Liệt")
    procedure = procedure_save(procedure=new_procedure())
    procedure_save(procedure=procedure, unit_ids=[ward.pk], reason="Chỉ Hoàng Liệt")
    entry = procedure_change_log(procedure)[0]
    assert entry.reason == "Chỉ Hoàng Liệt"
    assert ("đơn vị thực hiện", "—", "H26.08.04") in [(str(label), old, new) for label, old, new in entry.changes]


def test_a_template_cannot_be_named_by_path_only_kept_or_cleared():
    procedure = procedure_save(procedure=new_procedure(), documents=DOCS, steps=STEPS)
    document = procedure.documents.first()
    document.template.name = "templates/to-khai.pdf"
    document.save()
    # Someone else's upload, named by its path, must not become a public template.
    with pytest.raises(ValidationError) as refused:
        procedure_save(procedure=procedure, documents=[DOCS[0] | {"template": "dossiers/someone-else.pdf"}, DOCS[1]])
    assert "dossiers/someone-else.pdf" in str(refused.value)
    document.refresh_from_db()
    assert document.template.name == "templates/to-khai.pdf"
    # Keeping the document's own file, or clearing it, is allowed.
    procedure_save(procedure=procedure, documents=[DOCS[0] | {"template": "templates/to-khai.pdf"}, DOCS[1]])
    procedure_save(procedure=procedure, documents=[DOCS[0] | {"template": ""}, DOCS[1]])
    document.refresh_from_db()
    assert not document.template
