"""Who may write what, and every admin write through the service that validates it.

The admin rejects (through the service's own checks) what the service rejects; a ward admin cannot touch
the shared catalogue, another ward's calendar or the nationwide rows; a catalogue editor edits the catalogue.
"""

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from portal.accounts.models import Role, User
from portal.units.calendar.services import calendar_exception_save, office_hours_replace
from portal.units.models import CalendarException, OfficeHours, Unit
from procedures.models import ProcessStep, RequiredDocument, UnitProcedure
from procedures.services.catalogue import (
    ChildChanges,
    procedure_children_save,
    procedure_save,
    unit_procedure_save,
)
from procedures.services.demo import seed_demo
from tests.catalogue.test_admin import change_form_data
from tests.factories import ProcedureFactory, ProcessStepFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/procedures/procedure/"


@pytest.fixture
def tree(db, settings):
    province = UnitFactory(code="H26", kind=Unit.Kind.PROVINCE)
    district = UnitFactory(code="H26.08", kind=Unit.Kind.DISTRICT, parent=province)
    ward = UnitFactory(code=settings.DEFAULT_UNIT_CODE, name="Phường Hoàng Liệt", parent=district)
    other = UnitFactory(code="H26.08.05", name="Phường Khác", parent=district)
    return {"province": province, "ward": ward, "other": other}


@pytest.fixture
def editor(tree):
    return UserFactory(catalogue_editor=True, unit=tree["province"], username="bientap")


@pytest.fixture
def ward_admin(tree):
    return UserFactory(unit_admin=True, unit=tree["ward"])


# --- the catalogue: the admin's inlines go through procedure_children_save -------------------------------


def _with_rows(data, procedure, *, steps=(), documents=()):
    """The change form with these new step / document rows (existing steps are posted unchanged)."""
    first = int(data["steps-TOTAL_FORMS"])
    for i, (description, minutes) in enumerate(steps, start=first):
        data |= {
            f"steps-{i}-procedure": procedure.pk,
            f"steps-{i}-position": i + 1,
            f"steps-{i}-description": description,
            f"steps-{i}-responsible": "Công chức",
            f"steps-{i}-allotment_minutes": minutes,
        }
    data["steps-TOTAL_FORMS"] = str(first + len(steps))
    for i, (name, count) in enumerate(documents):
        data |= {
            f"documents-{i}-procedure": procedure.pk,
            f"documents-{i}-position": i + 1,
            f"documents-{i}-name": name,
            f"documents-{i}-form": "original",
            f"documents-{i}-count": count,
        }
    data["documents-TOTAL_FORMS"] = str(len(documents))
    return data


BAD_CHILDREN = [
    # why the service refuses it, the rows, the message the admin shows (English)
    pytest.param({"steps": [("Tiếp nhận", 1000), ("Giải quyết", 500)]}, "more than the statutory deadline", id="steps"),
    pytest.param({"documents": [("Tờ khai", 0)]}, "document_count_positive", id="document-count"),
    pytest.param({"steps": [("Hai\ndòng", 60)]}, "one line", id="multi-line-step"),
]


def _service_changes(procedure, rows):
    changes = {}
    if "steps" in rows:
        changes["steps"] = ChildChanges(
            saved=[
                ProcessStep(
                    procedure=procedure, position=i, description=d, responsible="Công chức", allotment_minutes=m
                )
                for i, (d, m) in enumerate(rows["steps"], start=1)
            ]
        )
    if "documents" in rows:
        changes["documents"] = ChildChanges(
            saved=[
                RequiredDocument(procedure=procedure, position=i, name=n, form="original", count=c)
                for i, (n, c) in enumerate(rows["documents"], start=1)
            ]
        )
    return changes


@pytest.mark.parametrize(("rows", "message"), BAD_CHILDREN)
def test_the_admin_refuses_what_the_service_refuses(client, editor, rows, message):
    procedure = ProcedureFactory(deadline_amount=3)  # 1,440 working minutes
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        procedure_children_save(procedure=procedure, user=editor, **_service_changes(procedure, rows))
    assert message in " ".join(refused.value.messages)

    client.force_login(editor)
    client.cookies["motcua_language"] = "en"
    data = _with_rows(change_form_data(procedure), procedure, **rows)
    response = client.post(f"{CHANGELIST}{procedure.pk}/change/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not procedure.steps.exists() and not procedure.documents.exists()


def test_admin_inline_edits_are_saved_through_the_service_with_the_reason(client, editor):
    procedure = ProcedureFactory(deadline_amount=3)
    client.force_login(editor)
    data = _with_rows(
        change_form_data(procedure, change_reason="QĐ 5/QĐ-UBND"),
        procedure,
        steps=[("Tiếp nhận", 60)],
        documents=[("Tờ khai", 1)],
    )
    assert client.post(f"{CHANGELIST}{procedure.pk}/change/", data).status_code == 302
    step = procedure.steps.get()
    assert step.history.get().history_change_reason == "QĐ 5/QĐ-UBND"
    assert step.history.get().history_user == editor
    assert procedure.documents.get().name == "Tờ khai"


def test_a_shorter_deadline_is_checked_against_the_kept_steps(client, editor):
    procedure = ProcedureFactory(deadline_amount=3)
    ProcessStepFactory(procedure=procedure, allotment_minutes=900)
    procedure.deadline_amount = 1
    with pytest.raises(ValidationError):
        procedure_children_save(procedure=procedure, steps=ChildChanges(), user=editor)


# --- the shared catalogue belongs to the catalogue editor ----------------------------------------------


def test_a_ward_admin_reads_the_catalogue_but_cannot_change_it(client, ward_admin):
    procedure = ProcedureFactory(name="Tên gốc")
    client.force_login(ward_admin)
    assert client.get(f"{CHANGELIST}{procedure.pk}/change/").status_code == 200  # read only
    response = client.post(f"{CHANGELIST}{procedure.pk}/change/", change_form_data(procedure, name="Đổi tên"))
    assert response.status_code == 403
    procedure.refresh_from_db()
    assert procedure.name == "Tên gốc"
    with pytest.raises(PermissionDenied):
        procedure_save(procedure=procedure, user=ward_admin)


def test_the_catalogue_editor_changes_the_deadline(client, editor):
    procedure = ProcedureFactory(deadline_amount=3)
    client.force_login(editor)
    response = client.post(f"{CHANGELIST}{procedure.pk}/change/", change_form_data(procedure, deadline_amount=5))
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert procedure.deadline_amount == 5


def test_a_unit_admin_cannot_create_a_catalogue_editor_or_touch_a_superuser(client, tree, ward_admin):
    client.force_login(ward_admin)
    form = {"username": "moi", "full_name": "Người Mới", "unit": tree["ward"].pk, "password1": "Xy-z12345678"}
    form["password2"] = form["password1"]
    response = client.post("/admin/accounts/user/add/", form | {"role": Role.CATALOGUE_EDITOR})
    assert response.status_code == 200 and not User.objects.filter(username="moi").exists()
    assert client.post("/admin/accounts/user/add/", form | {"role": Role.DESK_OFFICER}).status_code == 302
    boss = UserFactory(is_superuser=True, is_staff=True, unit=tree["ward"], role=Role.UNIT_ADMIN, phone="")
    assert client.get(f"/admin/accounts/user/{boss.pk}/change/").status_code == 404


# --- a ward's own choices: offered procedures and local fees -------------------------------------------


def test_a_ward_admin_sets_a_local_fee_shown_on_the_procedure_page(client, tree, ward_admin):
    procedure = ProcedureFactory(fee_kind="varies", fee_description="Theo nghị quyết của HĐND thành phố")
    client.force_login(ward_admin)
    form = {"unit": tree["ward"].pk, "procedure": procedure.pk, "offered": "on", "fee_amount": "20000"}
    assert client.post("/admin/procedures/unitprocedure/add/", form).status_code == 302
    row = UnitProcedure.objects.get()
    assert row.history.get().history_user == ward_admin
    client.logout()
    html = client.get(f"/thu-tuc/{procedure.code}/").content.decode()
    assert "Tại Phường Hoàng Liệt:" in html and "20.000 đồng" in html


def test_a_ward_that_declines_a_procedure_says_so_on_its_page(client, tree, ward_admin):
    procedure = ProcedureFactory()
    assert "không tiếp nhận" not in client.get(f"/thu-tuc/{procedure.code}/").content.decode()
    unit_procedure_save(row=UnitProcedure(unit=tree["ward"], procedure=procedure, offered=False), user=ward_admin)
    html = client.get(f"/thu-tuc/{procedure.code}/").content.decode()
    assert "Phường Hoàng Liệt không tiếp nhận thủ tục này." in html


def test_no_local_fee_where_the_fee_is_statutory(client, tree, ward_admin):
    procedure = ProcedureFactory(fixed_fee=True)
    row = UnitProcedure(unit=tree["ward"], procedure=procedure, fee_amount=5000)
    with pytest.raises(ValidationError):
        unit_procedure_save(row=row, user=ward_admin)
    client.force_login(ward_admin)
    client.cookies["motcua_language"] = "en"
    form = {"unit": tree["ward"].pk, "procedure": procedure.pk, "offered": "on", "fee_amount": "5000"}
    response = client.post("/admin/procedures/unitprocedure/add/", form)
    assert response.status_code == 200
    assert "a unit cannot set its own" in response.content.decode()
    assert not UnitProcedure.objects.exists()


def test_a_ward_admin_chooses_only_for_their_own_ward(client, tree, ward_admin):
    procedure = ProcedureFactory()
    client.force_login(ward_admin)
    form = {"unit": tree["other"].pk, "procedure": procedure.pk}
    assert client.post("/admin/procedures/unitprocedure/add/", form).status_code == 200  # not a choice
    assert not UnitProcedure.objects.exists()
    with pytest.raises(PermissionDenied):
        unit_procedure_save(row=UnitProcedure(unit=tree["other"], procedure=procedure, offered=False), user=ward_admin)
    theirs = UnitProcedure.objects.create(unit=tree["other"], procedure=procedure, offered=False)
    assert client.post(f"/admin/procedures/unitprocedure/{theirs.pk}/delete/", {"post": "yes"}).status_code == 404
    assert UnitProcedure.objects.filter(pk=theirs.pk).exists()


# --- calendars: a ward admin keeps their own subtree's ---------------------------------------------------


def test_another_wards_calendar_is_out_of_reach(client, tree, ward_admin):
    other = tree["other"]
    client.force_login(ward_admin)
    data = {
        "name": other.name, "address": "", "phone": "", "is_active": "on", "clock_policy": "restart",
        "office_hours-TOTAL_FORMS": 1, "office_hours-INITIAL_FORMS": 0,
        "office_hours-0-weekday": 5, "office_hours-0-start": "08:00", "office_hours-0-end": "12:00",
        "calendar_exceptions-TOTAL_FORMS": 0, "calendar_exceptions-INITIAL_FORMS": 0,
    }  # fmt: skip
    assert client.post(f"/admin/units/unit/{other.pk}/change/", data).status_code == 404
    assert not OfficeHours.objects.filter(unit=other).exists()
    with pytest.raises(PermissionDenied):
        office_hours_replace(unit=other, weekly={5: [(time(8), time(12))]}, user=ward_admin)


def test_a_ward_admin_edits_their_own_calendar_through_the_services(client, tree, ward_admin):
    ward = tree["ward"]
    client.force_login(ward_admin)
    data = {
        "name": ward.name, "address": "", "phone": "", "is_active": "on", "clock_policy": "restart",
        "office_hours-TOTAL_FORMS": 2, "office_hours-INITIAL_FORMS": 0,
        "office_hours-0-weekday": 0, "office_hours-0-start": "07:30", "office_hours-0-end": "11:30",
        "office_hours-1-weekday": 5, "office_hours-1-start": "08:00", "office_hours-1-end": "12:00",
        "calendar_exceptions-TOTAL_FORMS": 1, "calendar_exceptions-INITIAL_FORMS": 0,
        "calendar_exceptions-0-date": "2027-03-01", "calendar_exceptions-0-kind": "day_off",
        "calendar_exceptions-0-reason": "Đại hội", "calendar_exceptions-0-legal_document": "TB 1",
    }  # fmt: skip
    response = client.post(f"/admin/units/unit/{ward.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert sorted(OfficeHours.objects.filter(unit=ward).values_list("weekday", "start")) == [
        (0, time(7, 30)),
        (5, time(8)),
    ]
    assert CalendarException.objects.get(unit=ward).date == date(2027, 3, 1)
    ward.refresh_from_db()
    assert ward.code == "H26.08.04"  # code, kind and parent are read only for a unit admin


def test_nationwide_rows_are_the_superusers(tree, ward_admin):
    row = CalendarException(date=date(2099, 5, 4), kind="day_off", reason="x", legal_document="y")
    with pytest.raises(PermissionDenied):
        calendar_exception_save(exception=row, user=ward_admin)
    assert calendar_exception_save(exception=row, user=UserFactory(is_superuser=True, is_staff=True)).pk


def test_the_demo_has_a_catalogue_editor_at_the_city():
    seed_demo()
    editor = User.objects.get(username="catalogue")
    assert editor.role == Role.CATALOGUE_EDITOR and editor.unit.code == "H26" and editor.is_staff
    assert not editor.is_superuser


# --- a service refusing after the form passed: the submit is rolled back and the message shown ----------


def test_a_refusal_after_the_form_passed_rolls_back_and_is_shown(rf, tree):
    from django.contrib import admin as django_admin
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage

    from portal.admin_services import ObjectReachAdminMixin, ServiceWriteAdminMixin

    class RefusingUnitAdmin(ObjectReachAdminMixin, ServiceWriteAdminMixin, django_admin.ModelAdmin):
        fields = ["code", "name", "kind"]

        def save_model(self, request, obj, form, change):
            obj.save()  # written, then a rule spanning rows refuses it: the whole submit must roll back
            raise ValidationError("Refused by the service.")

    model_admin = RefusingUnitAdmin(Unit, django_admin.AdminSite())
    request = rf.post("/admin/units/unit/add/", {"code": "X1", "name": "Phường X", "kind": "ward"})
    request.user = UserFactory(is_superuser=True, is_staff=True)
    request.session = {}
    request._dont_enforce_csrf_checks = True
    request._messages = FallbackStorage(request)
    response = model_admin.changeform_view(request)
    assert response.status_code == 302 and response["Location"] == "/admin/units/unit/add/"
    assert [str(m) for m in get_messages(request)] == ["Refused by the service."]
    assert not Unit.objects.filter(code="X1").exists()


def test_a_unit_admin_cannot_move_or_recode_their_unit(tree, ward_admin):
    from portal.units.services import unit_save

    ward = Unit.objects.get(pk=tree["ward"].pk)
    ward.parent = tree["province"]
    with pytest.raises(PermissionDenied):
        unit_save(unit=ward, user=ward_admin)
    ward = Unit.objects.get(pk=tree["ward"].pk)
    ward.address = "Số 1 Đường Giải Phóng"
    assert unit_save(unit=ward, user=ward_admin).address == "Số 1 Đường Giải Phóng"


def test_only_a_superuser_deletes_a_procedure(client, editor):
    from procedures.services.catalogue import procedure_delete

    procedure = ProcedureFactory()
    with pytest.raises(PermissionDenied):
        procedure_delete(procedure=procedure, user=editor)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.post(f"{CHANGELIST}{procedure.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not type(procedure).objects.filter(pk=procedure.pk).exists()


def test_only_a_superuser_deletes_a_field_and_the_history_keeps_it(client, editor):
    from procedures.models import Field
    from procedures.services.catalogue import field_delete
    from tests.factories import FieldFactory

    field = FieldFactory(code="nhap-sai", name="Lĩnh vực nhập sai")
    with pytest.raises(PermissionDenied):
        field_delete(field=field, user=editor)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    assert client.post(f"/admin/procedures/field/{field.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Field.objects.filter(pk=field.pk).exists()
    deleted = Field.history.filter(code="nhap-sai", history_type="-").get()
    assert deleted.history_user == superuser
