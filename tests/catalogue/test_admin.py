"""Admin: inlines, the step rule in the formset, versioned changes with a reason, export and import."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from procedures.forms.catalogue import RequiredDocumentAdminForm
from procedures.models import Procedure, RequiredDocument
from tests.factories import ProcedureFactory, ProcessStepFactory, RequiredDocumentFactory, UserFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/procedures/procedure/"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(catalogue_editor=True, username="qtv", full_name="Quản trị viên"))
    return client


def change_form_data(procedure, **overrides):
    """What the change form posts back unchanged, with the inline management forms."""
    data = {
        "code": procedure.code,
        "name": procedure.name,
        "name_en": procedure.name_en,
        "field": procedure.field_id,
        "is_active": "on",
        "applicant": "",
        "applicant_en": "",
        "implementing_level": procedure.implementing_level,
        "online_level": procedure.online_level,
        "result": "",
        "result_en": "",
        "deadline_amount": procedure.deadline_amount,
        "deadline_unit": procedure.deadline_unit,
        "deadline_cutoff": "",
        "no_wait_minutes": "",
        "fee_kind": procedure.fee_kind,
        "fee_amount": "",
        "fee_description": "",
        "fee_description_en": "",
        "legal_basis": "",
        "source_note": "",
        "change_reason": "",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
        "steps-TOTAL_FORMS": "0",
        "steps-INITIAL_FORMS": "0",
    }
    steps = list(procedure.steps.all())
    data["steps-TOTAL_FORMS"] = data["steps-INITIAL_FORMS"] = str(len(steps))
    for i, step in enumerate(steps):
        data |= {
            f"steps-{i}-id": step.pk,
            f"steps-{i}-procedure": procedure.pk,
            f"steps-{i}-position": step.position,
            f"steps-{i}-description": step.description,
            f"steps-{i}-description_en": "",
            f"steps-{i}-responsible": step.responsible,
            f"steps-{i}-responsible_en": "",
            f"steps-{i}-allotment_minutes": step.allotment_minutes,
        }
    return data | overrides


def test_change_form_shows_documents_and_steps_inline(admin_client):
    procedure = ProcedureFactory()
    RequiredDocumentFactory(procedure=procedure, name="Tờ khai")
    ProcessStepFactory(procedure=procedure, description="Tiếp nhận")
    html = admin_client.get(f"{CHANGELIST}{procedure.pk}/change/").content.decode()
    assert "Tờ khai" in html and "Tiếp nhận" in html
    assert "change-log/" in html


def test_saving_records_who_and_why_and_refreshes_search(admin_client):
    procedure = ProcedureFactory(name="Cấp giấy xác nhận")
    response = admin_client.post(
        f"{CHANGELIST}{procedure.pk}/change/",
        change_form_data(
            procedure, name="Cấp giấy chứng nhận", deadline_amount=5, change_reason="Quyết định 7/QĐ-UBND"
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    procedure.refresh_from_db()
    assert procedure.deadline_amount == 5 and "cap giay chung nhan" in procedure.search_text
    record = procedure.history.first()
    assert record.history_user.username == "qtv"
    assert record.history_change_reason == "Quyết định 7/QĐ-UBND"
    log = admin_client.get(f"{CHANGELIST}{procedure.pk}/change-log/").content.decode()
    assert "Quyết định 7/QĐ-UBND" in log and "Quản trị viên" in log and "Cấp giấy chứng nhận" in log


def test_steps_longer_than_the_new_deadline_are_refused_in_the_form(admin_client):
    procedure = ProcedureFactory(deadline_amount=3)
    ProcessStepFactory(procedure=procedure, allotment_minutes=900)
    response = admin_client.post(f"{CHANGELIST}{procedure.pk}/change/", change_form_data(procedure, deadline_amount=1))
    assert response.status_code == 200
    assert "vượt thời hạn giải quyết" in response.content.decode()
    procedure.refresh_from_db()
    assert procedure.deadline_amount == 3


def test_no_wait_target_must_be_shorter_than_the_deadline_in_the_form(admin_client):
    procedure = ProcedureFactory(deadline_unit="working_hours", deadline_amount=1)
    response = admin_client.post(
        f"{CHANGELIST}{procedure.pk}/change/", change_form_data(procedure, no_wait="on", no_wait_minutes=90)
    )
    assert response.status_code == 200
    assert "phải ngắn hơn thời hạn giải quyết" in response.content.decode()


def test_export_csv_and_json_from_the_admin(admin_client, shipped):
    csv_response = admin_client.get(f"{CHANGELIST}export/csv/?no_wait__exact=1")
    assert csv_response["Content-Disposition"].startswith('attachment; filename="thu-tuc-')
    text = csv_response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("code,name,name_en,field")
    assert "2.000884" in text and "1.001193" not in text  # the change list's filter applies
    payload = json.loads(admin_client.get(f"{CHANGELIST}export/json/").content)
    assert len(payload["procedures"]) == Procedure.objects.count()
    selected = admin_client.post(
        CHANGELIST, {"action": "export_selected_json", "_selected_action": [Procedure.objects.get(code="1.000656").pk]}
    )
    assert [p["code"] for p in json.loads(selected.content)["procedures"]] == ["1.000656"]


def test_import_from_the_admin_checks_first_and_reports_errors(admin_client, shipped):
    exported = admin_client.get(f"{CHANGELIST}export/json/").content
    bad = json.loads(exported)
    bad["procedures"][1]["deadline_amount"] = -2
    upload = SimpleUploadedFile("thu-tuc.json", json.dumps(bad).encode(), content_type="application/json")
    html = admin_client.post(f"{CHANGELIST}import/", {"file": upload}).content.decode()
    assert "Không có dữ liệu nào được nhập" in html and "deadline_amount" in html
    upload = SimpleUploadedFile("thu-tuc.json", exported, content_type="application/json")
    html = admin_client.post(f"{CHANGELIST}import/", {"file": upload, "dry_run": "on"}).content.decode()
    assert "Tệp hợp lệ" in html and "55 không đổi" in html


def test_procedures_are_deactivated_not_deleted(admin_client):
    procedure = ProcedureFactory()
    assert admin_client.get(f"{CHANGELIST}{procedure.pk}/delete/").status_code == 403
    admin_client.post(CHANGELIST, {"action": "deactivate", "_selected_action": [procedure.pk]})
    procedure.refresh_from_db()
    assert procedure.is_active is False
    assert procedure.history.first().history_change_reason


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("mau.pdf", b"%PDF-1.7 to khai", True),
        ("mau.docx", b"PK\x03\x04 word", True),
        ("mau.pdf", b"<html><script>alert(1)</script>", False),  # content is checked, not only the name
        ("mau.exe", b"%PDF-1.7", False),
    ],
)
def test_template_uploads_are_checked_by_content_and_extension(name, content, ok):
    procedure = ProcedureFactory()
    data = {"position": 1, "name": "Tờ khai", "form": "original", "count": 1}
    form = RequiredDocumentAdminForm(
        data, {"template": SimpleUploadedFile(name, content)}, instance=RequiredDocument(procedure=procedure)
    )
    assert form.is_valid() is ok, form.errors
