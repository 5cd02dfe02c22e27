"""Every URL × every role → the exact status code.

The URL list comes from the URLconf itself (get_resolver()), so a new URL without a row in the tables below
fails `test_every_url_has_a_row`: forgetting a permission check needs forgetting the test row first.
The admin rows are generated for every registered model (changelist, add, change, delete, history, …);
each model's statuses are one line of the table, one column per role.

Codes: a number is the exact status; "L" is a 302 to the admin's login page (the admin site is only for
staff accounts). Objects outside a user's reach are a 404, never a 403; a model the role may not use at
all is a 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authtoken.models import Token, TokenProxy

from portal.units.models import CalendarException, Unit
from procedures.models import ApologyDraft, Booking, Counter, ImportJob, IssuedDocument, UnitProcedure
from procedures.rating_links import rating_token
from procedures.services.documents import control_slip_issue
from procedures.services.dossiers import dossier_submit_online
from procedures.services.feedback import feedback_submit
from tests.factories import FieldFactory, ProcedureFactory, RequiredDocumentFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "citizen",
    "desk",
    "specialist",
    "leader",
    "district_leader",
    "admin_this",  # unit admin of the ward the objects belong to
    "admin_other",  # unit admin of another ward of the same district
    "catalogue_editor",  # at the province
    "superuser",
)
HEADER = "anon cit desk spec lead dist a.this a.oth editor super"


def row(codes: str) -> dict[str, str]:
    values = codes.split()
    assert len(values) == len(ROLES), codes
    return dict(zip(ROLES, values, strict=True))


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    province = UnitFactory(code="H26", name="Thành phố Hà Nội", kind=Unit.Kind.PROVINCE)
    district = UnitFactory(code="H26.08", name="Quận Hoàng Mai", kind=Unit.Kind.DISTRICT, parent=province)
    ward = UnitFactory(code=settings.DEFAULT_UNIT_CODE, name="Phường Hoàng Liệt", parent=district)
    other = UnitFactory(code="H26.08.05", name="Phường Hoàng Văn Thụ", parent=district)
    users = {
        "anonymous": None,
        "citizen": UserFactory(),
        "desk": UserFactory(desk=True, unit=ward),
        "specialist": UserFactory(specialist=True, unit=ward),
        "leader": UserFactory(leader=True, unit=ward),
        "district_leader": UserFactory(leader=True, unit=district),
        "admin_this": UserFactory(unit_admin=True, unit=ward),
        "admin_other": UserFactory(unit_admin=True, unit=other),
        "catalogue_editor": UserFactory(catalogue_editor=True, unit=province),
        "superuser": UserFactory(username="root", is_staff=True, is_superuser=True, phone=""),
    }
    field = FieldFactory()
    procedure = ProcedureFactory(field=field, fee_kind="varies", fee_description="Theo nghị quyết HĐND")
    inactive = ProcedureFactory(field=field, is_active=False)
    documents = {}
    for key, owner in (("active", procedure), ("inactive", inactive)):
        document = RequiredDocumentFactory(procedure=owner)
        document.template.save("mau.pdf", ContentFile(b"%PDF-1.4 mau"), save=True)
        documents[key] = document
    choice = UnitProcedure.objects.create(unit=ward, procedure=procedure, fee_amount=20000)
    online = ProcedureFactory(field=field, online_level="full")
    form = RequiredDocumentFactory(procedure=online, position=1)
    pdf = SimpleUploadedFile("to-khai.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    dossier = dossier_submit_online(applicant=users["citizen"], procedure=online, unit=ward, files=[(form, pdf)])
    ward_day = CalendarException.objects.create(
        unit=ward, date=date(2026, 3, 2), kind="day_off", reason="Bầu cử", legal_document="TB 1"
    )
    nationwide_day = CalendarException.objects.create(
        unit=None, date=date(2099, 1, 2), kind="day_off", reason="Nghỉ bù", legal_document="TB 2"
    )
    counter = Counter.objects.create(unit=ward, number=1)
    start = datetime(2099, 1, 5, 8, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    booking = Booking.objects.create(
        code="MATRIX23",
        citizen=users["citizen"],
        unit=ward,
        procedure=procedure,
        counter=counter,
        status="confirmed",
        start=start,
        end=start + timedelta(minutes=30),
        day=start.date(),
    )
    attempt = AccessAttempt.objects.create(
        username="x", ip_address="127.0.0.1", user_agent="t", get_data="", post_data="", failures_since_start=1
    )
    objects = {
        "accounts.user": users["desk"],
        "units.unit": ward,
        "units.calendarexception": ward_day,
        "procedures.procedure": procedure,
        "procedures.field": field,
        "procedures.unitprocedure": choice,
        "procedures.dossier": dossier,
        "auth.group": Group.objects.create(name="g"),
        "authtoken.tokenproxy": TokenProxy.objects.get(key=Token.objects.create(user=users["superuser"]).key),
        "axes.accessattempt": attempt,
        "axes.accesslog": AccessLog.objects.create(username="x", ip_address="127.0.0.1", user_agent="t"),
        "axes.accessfailurelog": AccessFailureLog.objects.create(username="x", ip_address="127.0.0.1"),
    }
    feedback = {
        unit.code: feedback_submit(
            kind="report",
            subject="Phòng chờ",
            content="Thiếu ghế",
            sender_name="Lê C",
            sender_phone="0912000111",
            unit=unit,
        )
        for unit in (ward, other)
    }
    return {
        "users": users,
        "objects": objects,
        "feedback": feedback[ward.code],
        "other_feedback": feedback[other.code],
        "procedure": procedure,
        "inactive": inactive,
        "documents": documents,
        "ward": ward,
        "dossier": dossier,
        "nationwide_day": nationwide_day,
        "booking": booking,
        # Started by the superuser: another catalogue editor may import, but this job is not theirs.
        "import_job": ImportJob.objects.create(created_by=users["superuser"], file_name="a.csv", file_format="csv"),
    }


@dataclass
class Case:
    key: str  # URL name (namespace:name) or, for a nameless pattern, its route
    path: object  # str, or a function of the world
    expected: str  # one code per role, in ROLES order
    method: str = "get"
    data: dict | None | object = None  # or a function of the world
    label: str = ""

    def url(self, world) -> str:
        return self.path(world) if callable(self.path) else self.path

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.label or self.key}"


def _pk(model: str):
    return lambda w: w["objects"][model].pk


def _lookup(path: str, phone: str | None = None):
    """The dossier's code and its applicant's phone (or another phone) as the lookup's query string."""
    return lambda w: f"{path}?code={w['dossier'].code}&phone={phone or w['users']['citizen'].phone}"


# fmt: off
PUBLIC = [
    # roles, in the codes' order: anon cit desk spec lead dist a.this a.oth editor super
    Case("home", "/",                                                  "200 200 200 200 200 200 200 200 200 200"),
    # RFC 9116 contact: published once SECURITY_CONTACT is set (not in the tests' settings).
    Case("security-txt", "/.well-known/security.txt",                  "404 404 404 404 404 404 404 404 404 404"),
    Case("accounts:register", "/accounts/register/",                   "200 302 302 302 302 302 302 302 302 302"),
    Case("accounts:login", "/accounts/login/",                         "200 302 302 302 302 302 302 302 302 302"),
    Case("accounts:logout", "/accounts/logout/",                       "405 405 405 405 405 405 405 405 405 405"),
    Case("accounts:logout", "/accounts/logout/",                       "302 302 302 302 302 302 302 302 302 302",
         method="post"),
    # Operators (superuser, unit admins) read the background health: 503, as no worker runs in the tests.
    Case("health", "/he-thong/suc-khoe/",                              "403 403 403 403 403 403 503 503 403 503"),
    Case("health", "/he-thong/suc-khoe/",                              "405 405 405 405 405 405 405 405 405 405",
         method="post"),
    Case("set_language", "/i18n/setlang/",                             "302 302 302 302 302 302 302 302 302 302",
         method="post", data={"language": "en", "next": "/"}),
    Case("javascript-catalog", "/jsi18n/",                             "200 200 200 200 200 200 200 200 200 200"),
    Case("api-schema", "/api/schema/",                                 "200 200 200 200 200 200 200 200 200 200"),
    Case("api-docs", "/api/docs/",                                     "200 200 200 200 200 200 200 200 200 200"),
    Case("api-token", "/api/auth/token/",                              "405 405 405 405 405 405 405 405 405 405"),
    Case("api-token", "/api/auth/token/",                              "400 400 400 400 400 400 400 400 400 400",
         method="post", data={"username": "nobody", "password": "x"}),
    Case("accounts:password_reset", "/accounts/password-reset/",      "200 200 200 200 200 200 200 200 200 200"),
    Case("accounts:password_reset_done", "/accounts/password-reset/sent/",
                                                                       "200 200 200 200 200 200 200 200 200 200"),
    Case("accounts:password_reset_confirm", "/accounts/password-reset/MQ/not-a-token/",
                                                                       "200 200 200 200 200 200 200 200 200 200"),
    Case("accounts:password_reset_complete", "/accounts/password-reset/done/",
                                                                       "200 200 200 200 200 200 200 200 200 200"),
    Case("catalogue", "/thu-tuc/",                                     "200 200 200 200 200 200 200 200 200 200"),
    Case("catalogue", "/thu-tuc/",                                     "405 405 405 405 405 405 405 405 405 405",
         method="post"),
    Case("procedure_detail", lambda w: f"/thu-tuc/{w['procedure'].code}/",
                                                                       "200 200 200 200 200 200 200 200 200 200"),
    Case("procedure_detail", lambda w: f"/thu-tuc/{w['inactive'].code}/",
                                                                       "404 404 404 404 404 404 404 404 200 200",
         label="procedure_detail (inactive)"),
    Case("procedure_checklist", lambda w: f"/thu-tuc/{w['procedure'].code}/in/",
                                                                       "200 200 200 200 200 200 200 200 200 200"),
    Case("procedure_checklist", lambda w: f"/thu-tuc/{w['inactive'].code}/in/",
                                                                       "404 404 404 404 404 404 404 404 200 200",
         label="procedure_checklist (inactive)"),
    Case("procedure_document_template",
         lambda w: f"/thu-tuc/{w['procedure'].code}/mau/{w['documents']['active'].pk}/",
                                                                       "200 200 200 200 200 200 200 200 200 200"),
    Case("procedure_document_template",
         lambda w: f"/thu-tuc/{w['inactive'].code}/mau/{w['documents']['inactive'].pk}/",
                                                                       "404 404 404 404 404 404 404 404 200 200",
         label="procedure_document_template (inactive)"),
    Case("procedure_document_template",  # a document of another procedure under this code
         lambda w: f"/thu-tuc/{w['procedure'].code}/mau/{w['documents']['inactive'].pk}/",
                                                                       "404 404 404 404 404 404 404 404 404 404",
         label="procedure_document_template (mismatch)"),
    Case("procedure-due", lambda w: f"/api/procedures/{w['procedure'].code}/due/",
                                                                       "200 200 200 200 200 200 200 200 200 200"),
    Case("procedure-due", lambda w: f"/api/procedures/{w['inactive'].code}/due/",
                                                                       "404 404 404 404 404 404 404 404 404 404",
         label="procedure-due (inactive)"),
    Case("procedure-due", lambda w: f"/api/procedures/{w['procedure'].code}/due/",
                                                                       "405 405 405 405 405 405 405 405 405 405",
         method="post"),
    Case("api-procedure-list", "/api/procedures/",                     "200 200 200 200 200 200 200 200 200 200"),
    Case("api-procedure-list", "/api/procedures/",                     "405 405 405 405 405 405 405 405 405 405",
         method="post"),
    Case("api-procedure-detail", lambda w: f"/api/procedures/{w['procedure'].code}/",
                                                                       "200 200 200 200 200 200 200 200 200 200"),
    Case("api-procedure-detail", lambda w: f"/api/procedures/{w['inactive'].code}/",
                                                                       "404 404 404 404 404 404 404 404 200 200",
         label="api-procedure-detail (inactive)"),
    Case("api-procedure-detail", lambda w: f"/api/procedures/{w['procedure'].code}/",
                                                                       "405 405 405 405 405 405 405 405 405 405",
         method="delete"),
    Case("api-unit-list", "/api/units/",                               "200 200 200 200 200 200 200 200 200 200"),
    Case("api-unit-list", "/api/units/",                               "405 405 405 405 405 405 405 405 405 405",
         method="post"),
    Case("api-unit-detail", lambda w: f"/api/units/{w['ward'].code}/", "200 200 200 200 200 200 200 200 200 200"),
    Case("api-unit-detail", "/api/units/ZZ9/",                         "404 404 404 404 404 404 404 404 404 404",
         label="api-unit-detail (unknown)"),
    Case("api-unit-detail", lambda w: f"/api/units/{w['ward'].code}/", "405 405 405 405 405 405 405 405 405 405",
         method="put"),
    # Public lookup: anyone holding the code and the applicant's phone; the same answers signed in or not.
    Case("lookup", "/tra-cuu/",                                        "200 200 200 200 200 200 200 200 200 200"),
    Case("lookup", _lookup("/tra-cuu/"),                               "200 200 200 200 200 200 200 200 200 200",
         label="lookup (code and phone)"),
    Case("lookup", _lookup("/tra-cuu/", phone="0999999999"),           "404 404 404 404 404 404 404 404 404 404",
         label="lookup (wrong phone)"),
    Case("lookup", "/tra-cuu/",                                        "405 405 405 405 405 405 405 405 405 405",
         method="post"),
    Case("api-lookup", "/api/lookup/",                                 "400 400 400 400 400 400 400 400 400 400"),
    Case("api-lookup", _lookup("/api/lookup/"),                        "200 200 200 200 200 200 200 200 200 200",
         label="api-lookup (code and phone)"),
    Case("api-lookup", _lookup("/api/lookup/", phone="0999999999"),    "404 404 404 404 404 404 404 404 404 404",
         label="api-lookup (wrong phone)"),
    Case("api-lookup", "/api/lookup/",                                 "405 405 405 405 405 405 405 405 405 405",
         method="post"),
]

def _dossier(suffix: str = ""):
    return lambda w: f"/api/dossiers/{w['dossier'].code}/{suffix}"


def _slips(suffix: str = ""):
    return lambda w: f"/ho-so/{w['dossier'].code}/giay-to/{suffix}"


def _issued(w):
    """A paper of the dossier (a control slip its desk officer printed), made on first use."""
    issued = IssuedDocument.objects.filter(dossier=w["dossier"]).first()
    return issued or control_slip_issue(actor=w["users"]["desk"], dossier=w["dossier"].code)


def _apology(w):
    """The dossier's apology letter, drafted for the ward's desk officer on first use."""
    ApologyDraft.objects.get_or_create(dossier=w["dossier"], defaults={"officer": w["users"]["desk"]})
    return f"/can-bo/ho-so/{w['dossier'].code}/xin-loi/"


# A transition POSTed with a status the dossier is not in: a role the table names for the action gets 409
# (permitted, but the status moved on), any other role 403, anyone who cannot see the dossier 404. The
# dossier is the citizen's online submission in the ward (status "submitted"); the superuser's role is citizen.
WRONG_STATUS = {"expected_status": "returned"}
DOSSIER_ACTIONS = {
    #                          anon cit desk spec lead dist a.this a.oth editor super
    "receive":               "403 403 409 403 403 403 404 404 404 403",
    "assign":                "403 403 409 403 409 409 404 404 404 403",
    "request-supplement":    "403 403 403 409 403 403 404 404 404 403",
    "supplement":            "403 409 403 403 403 403 404 404 404 409",
    "submit-for-approval":   "403 403 403 409 403 403 404 404 404 403",
    "approve":               "403 403 403 403 409 409 404 404 404 403",
    "send-back":             "403 403 403 403 409 409 404 404 404 403",
    "finish":                "403 403 409 409 403 403 404 404 404 403",
    "return-result":         "403 403 409 403 403 403 404 404 404 403",
    "refuse":                "403 403 409 403 409 409 404 404 404 403",
    "withdraw":              "403 409 403 403 403 403 404 404 404 409",
    "return-for-guidance":   "403 403 409 403 403 403 404 404 404 403",
    "redate":                "403 403 409 409 409 409 404 404 404 403",
}
def _feedback(key: str = "feedback", query: str = ""):
    return lambda w: f"/can-bo/phan-anh/{w[key].code}/{query}"


FEEDBACK_FORM = {"kind": "report", "unit": "H26.08.04", "subject": "Ghế chờ", "content": "Thiếu ghế",
                 "sender_name": "Lê C", "sender_phone": "0912000111"}
FEEDBACK = [
    # Public: anyone sends feedback (then sees the code), looks it up with the code and contact, reads answers.
    Case("feedback_new", "/phan-anh/",                                 "200 200 200 200 200 200 200 200 200 200"),
    Case("feedback_new", "/phan-anh/",                                 "302 302 302 302 302 302 302 302 302 302",
         method="post", data=FEEDBACK_FORM),
    Case("feedback_new", "/phan-anh/",                                 "400 400 400 400 400 400 400 400 400 400",
         method="post", data={**FEEDBACK_FORM, "subject": ""}, label="feedback_new (no subject)"),
    Case("feedback_status", "/phan-anh/tra-cuu/",                      "200 200 200 200 200 200 200 200 200 200"),
    Case("feedback_status", lambda w: f"/phan-anh/tra-cuu/?code={w['feedback'].code}&contact=0912000111",
                                                                       "200 200 200 200 200 200 200 200 200 200",
         label="feedback_status (match)"),
    Case("feedback_status", lambda w: f"/phan-anh/tra-cuu/?code={w['feedback'].code}&contact=0999999999",
                                                                       "404 404 404 404 404 404 404 404 404 404",
         label="feedback_status (wrong contact)"),
    Case("feedback_status", "/phan-anh/tra-cuu/",                      "405 405 405 405 405 405 405 405 405 405",
         method="post"),
    Case("feedback_answers", "/phan-anh/tra-loi/",                     "200 200 200 200 200 200 200 200 200 200"),
    Case("feedback_answers", "/phan-anh/tra-loi/",                     "405 405 405 405 405 405 405 405 405 405",
         method="post"),
    # Staff: the unit's working staff (leaders their subtree; a superuser reads); desk officers log.
    Case("staff_feedback_list", "/can-bo/phan-anh/",                   "302 403 200 200 200 200 403 403 403 200"),
    Case("staff_feedback_list", "/can-bo/phan-anh/",                   "405 405 405 405 405 405 405 405 405 405",
         method="post"),
    Case("staff_feedback_new", "/can-bo/phan-anh/moi/",                "302 403 200 403 403 403 403 403 403 403"),
    Case("staff_feedback_new", "/can-bo/phan-anh/moi/",                "302 403 400 403 403 403 403 403 403 403",
         method="post", data={"kind": "report", "channel": "phone"}),
    Case("staff_feedback_detail", _feedback(),                         "302 403 200 200 200 200 403 403 403 200"),
    Case("staff_feedback_detail", _feedback("other_feedback"),         "302 403 404 404 404 200 403 403 403 200",
         label="staff_feedback_detail (other ward)"),
    Case("staff_feedback_detail", "/can-bo/phan-anh/PA-H26.08.04-260101-9999/",
                                                                       "302 403 404 404 404 404 403 403 403 404",
         label="staff_feedback_detail (unknown)"),
    # Start: the assignee (nobody yet) or a leader of the unit; the ward's leader starts it (later rows see 403).
    Case("staff_feedback_detail", _feedback(),                         "302 403 403 403 302 403 403 403 403 403",
         method="post", data={"action": "start", "version": 1}, label="staff_feedback_detail (start)"),
    # Reject without a reason: the leader gets the field's message; others may not act.
    Case("staff_feedback_detail", _feedback(),                         "302 403 403 403 400 403 403 403 403 403",
         method="post", data={"action": "reject", "version": 1, "reason": ""},
         label="staff_feedback_detail (reject, no reason)"),
    # Answer with a version someone else already moved past: the leader gets a conflict, nothing changes.
    Case("staff_feedback_detail", _feedback(),                         "302 403 403 403 409 403 403 403 403 403",
         method="post", data={"action": "answer", "version": 99, "answer": "Trả lời"},
         label="staff_feedback_detail (stale answer)"),
    Case("staff_feedback_detail", _feedback(),                         "405 405 405 405 405 405 405 405 405 405",
         method="put", label="staff_feedback_detail (put)"),
]
DOSSIERS = [
    Case("deadline_watch", "/can-bo/han-xu-ly/",                        "302 403 200 200 200 200 403 403 403 200"),
    Case("deadline_watch", "/can-bo/han-xu-ly/",                        "405 405 405 405 405 405 405 405 405 405",
         method="post"),
    # The apology letter drafted for the ward's desk officer: only they fill it in (the dossier is "submitted",
    # so their POST is refused as a conflict — re-dating needs a received dossier).
    Case("apology_letter", _apology,                                   "302 403 200 403 403 403 403 403 403 403"),
    Case("apology_letter", _apology,                                   "302 403 409 403 403 403 403 403 403 403",
         method="post", data={"redate-expected_status": "submitted", "redate-new_due_at": "01/01/2099 10:00",
                              "redate-comment": "Lý do"}),
    Case("apology_letter", "/can-bo/ho-so/H26.08.04-260101-9999/xin-loi/",
                                                                       "302 403 404 404 404 404 403 403 403 404",
         label="apology_letter (unknown)"),
    # roles, in the codes' order: anon cit desk spec lead dist a.this a.oth editor super
    Case("api-dossier-list", "/api/dossiers/",                         "403 200 200 200 200 200 200 200 200 200"),
    Case("api-dossier-list", "/api/dossiers/",                         "403 400 403 403 403 403 403 403 403 400",
         method="post", label="api-dossier-list (submit, no procedure)"),
    Case("api-dossier-detail", _dossier(),                             "403 200 200 200 200 200 404 404 404 200"),
    Case("api-dossier-detail", "/api/dossiers/H26.08.04-260101-9999/", "403 404 404 404 404 404 404 404 404 404",
         label="api-dossier-detail (unknown)"),
    Case("api-dossier-document", lambda w: f"/api/dossiers/{w['dossier'].code}/documents/"
                                           f"{w['dossier'].documents.get().pk}/",
                                                                       "403 200 200 200 200 200 404 404 404 200"),
    # The dossier's printed papers: whoever sees the dossier; a control slip on demand by the unit's staff.
    Case("slip_list", _slips(),                                        "302 200 200 200 200 200 404 404 404 200"),
    Case("slip_download", lambda w: _slips(f"{_issued(w).pk}.pdf")(w), "302 200 200 200 200 200 404 404 404 200"),
    Case("control_slip_print", _slips("phieu-kiem-soat/"),             "302 403 302 302 302 403 404 404 404 302",
         method="post"),
    Case("control_slip_print", _slips("phieu-kiem-soat/"),             "405 405 405 405 405 405 405 405 405 405",
         label="control_slip_print (GET)"),
    Case("api-dossier-slips", _dossier("slips/"),                      "403 200 200 200 200 200 404 404 404 200"),
] + [
    Case(f"api-dossier-{slug}", _dossier(f"{slug}/"), codes, method="post", data=WRONG_STATUS)
    for slug, codes in DOSSIER_ACTIONS.items()
]

def _mine(suffix: str = ""):
    return lambda w: f"/ho-so/{w['dossier'].code}/{suffix}"


def _submit(suffix: str = ""):
    return lambda w: f"/thu-tuc/{w['dossier'].procedure.code}/nop/{suffix}"


# The citizen's pages: anonymous → the login page (302), staff → 403 (their pages are /can-bo/…), another
# person's dossier → 404. The superuser's role is citizen, but the citizen pages show only one's own dossiers.
CITIZEN_PAGES = [
    # roles, in the codes' order: anon cit desk spec lead dist a.this a.oth editor super
    Case("dossier_submit", _submit(),                                  "302 200 403 403 403 403 403 403 403 200"),
    Case("dossier_submit", _submit(),                                  "302 400 403 403 403 403 403 403 403 400",
         method="post", label="dossier_submit (no files)"),
    Case("dossier_submit", "/thu-tuc/9.999999/nop/",                   "302 404 403 403 403 403 403 403 403 404",
         label="dossier_submit (unknown procedure)"),
    # No draft under this key: back to the form.
    Case("dossier_submit_review", _submit("0123456789abcdef0123456789abcdef/"),
                                                                       "302 302 403 403 403 403 403 403 403 302"),
    Case("dossier_submit_review", _submit("0123456789abcdef0123456789abcdef/"),
                                                                       "302 302 403 403 403 403 403 403 403 302",
         method="post", label="dossier_submit_review (submit, no draft)"),
    Case("my_dossiers", "/ho-so/",                                     "302 200 403 403 403 403 403 403 403 200"),
    Case("my_dossiers", "/ho-so/?status=bogus",                        "302 400 403 403 403 403 403 403 403 400",
         label="my_dossiers (bad filter)"),
    Case("my_dossiers", "/ho-so/",                                     "302 405 403 403 403 403 403 403 403 405",
         method="post"),
    Case("my_dossier_detail", _mine(),                                 "302 200 403 403 403 403 403 403 403 404"),
    Case("my_dossier_detail", "/ho-so/H26.08.04-260101-9999/",         "302 404 403 403 403 403 403 403 403 404",
         label="my_dossier_detail (unknown)"),
    Case("dossier_submitted", _mine("da-nop/"),                        "302 200 403 403 403 403 403 403 403 404"),
    Case("my_dossier_document", lambda w: f"/ho-so/{w['dossier'].code}/tai-lieu/{w['dossier'].documents.get().pk}/",
                                                                       "302 200 403 403 403 403 403 403 403 404"),
    Case("dossier_supplement", _mine("bo-sung/"),                      "302 200 403 403 403 403 403 403 403 404"),
    Case("dossier_supplement", _mine("bo-sung/"),                      "302 400 403 403 403 403 403 403 403 404",
         method="post", data={"expected_status": "supplement_requested"}, label="dossier_supplement (no file)"),
    Case("dossier_withdraw", _mine("rut/"),                            "302 200 403 403 403 403 403 403 403 404"),
    Case("dossier_withdraw", _mine("rut/"),                            "302 409 403 403 403 403 403 403 403 404",
         method="post", data=WRONG_STATUS, label="dossier_withdraw (status moved on)"),
    # In-app notifications: every signed-in user has their own.
    Case("notifications", "/thong-bao/",                               "302 200 200 200 200 200 200 200 200 200"),
    Case("notifications_read", "/thong-bao/da-doc/",                   "302 302 302 302 302 302 302 302 302 302",
         method="post"),
    Case("notifications_read", "/thong-bao/da-doc/",                   "302 405 405 405 405 405 405 405 405 405"),
]


def _booking(suffix: str = ""):
    return lambda w: f"/api/bookings/{w['booking'].code}/{suffix}"


# Bookings: a citizen's own (the superuser's role is citizen, so it may book too); the ward's desk and its
# leaders (and the district's) read the ward's; changing one is its citizen's alone (403 for staff who see it).
BOOKINGS = [
    # roles, in the codes' order: anon cit desk spec lead dist a.this a.oth editor super
    Case("api-slot-list", "/api/slots/",                               "400 400 400 400 400 400 400 400 400 400",
         label="api-slot-list (no procedure)"),
    Case("api-booking-list", "/api/bookings/",                         "403 200 200 200 200 200 200 200 200 200"),
    Case("api-booking-list", "/api/bookings/",                         "403 400 403 403 403 403 403 403 403 400",
         method="post", label="api-booking-list (book, no procedure)"),
    Case("api-booking-detail", _booking(),                             "403 200 200 404 200 200 404 404 404 200"),
    Case("api-booking-detail", "/api/bookings/NOTHERE2/",              "403 404 404 404 404 404 404 404 404 404",
         label="api-booking-detail (unknown)"),
    Case("api-booking-detail", _booking(),                             "403 200 403 404 403 403 404 404 404 403",
         method="delete", label="api-booking-detail (cancel)"),
    Case("api-booking-reschedule", _booking("reschedule/"),            "403 400 403 404 403 403 404 404 404 403",
         method="post", label="api-booking-reschedule (no start)"),
    Case("api-queue-display", lambda w: f"/api/queue/{w['ward'].code}/",
                                                                       "200 200 200 200 200 200 200 200 200 200"),
    Case("api-queue-display", "/api/queue/ZZ9/",                       "404 404 404 404 404 404 404 404 404 404",
         label="api-queue-display (unknown)"),
    # Pages. The booking (code MATRIX23) is the citizen's; the superuser (role citizen) sees only its own.
    Case("booking_new", lambda w: f"/thu-tuc/{w['procedure'].code}/dat-lich/",
                                                                       "302 200 403 403 403 403 403 403 403 200"),
    Case("booking_list", "/lich-hen/",                                 "302 200 403 403 403 403 403 403 403 200"),
    Case("booking_detail", "/lich-hen/MATRIX23/",                      "302 200 403 403 403 403 403 403 403 404"),
    Case("booking_confirm", "/lich-hen/MATRIX23/xac-nhan/",            "302 302 403 403 403 403 403 403 403 404"),
    Case("booking_reschedule", "/lich-hen/MATRIX23/doi-lich/",         "302 200 403 403 403 403 403 403 403 404"),
    Case("booking_cancel", "/lich-hen/MATRIX23/huy/",                  "302 302 403 403 403 403 403 403 403 404",
         method="post"),
    Case("desk_queue", "/quay/",                                       "302 403 200 403 403 403 403 403 403 403"),
    Case("desk_check_in", "/quay/check-in/",                           "302 403 302 403 403 403 403 403 403 403",
         method="post"),
    Case("desk_walk_in", "/quay/lay-so/",                              "302 403 302 403 403 403 403 403 403 403",
         method="post"),
    Case("desk_kiosk", "/quay/kiosk/",                                 "302 403 200 403 403 403 403 403 403 403"),
    Case("desk_stats", "/quay/thong-ke/",                              "302 403 200 403 200 200 403 403 403 403"),
    # A unit admin sets up the counters of their own unit (each admin sees their own ward's page).
    Case("booking_setup", "/quay/cau-hinh/",                           "302 403 403 403 403 403 200 200 403 403"),
    Case("booking_settings_edit", "/quay/cau-hinh/quy-tac/",           "302 403 403 403 403 403 200 200 403 403"),
    Case("desk_call_next", lambda w: f"/quay/{w['booking'].counter_id}/goi-tiep/",
                                                                       "302 403 302 403 403 403 403 403 403 403",
         method="post"),
    Case("desk_ticket", "/quay/ve/999999/recall/",                     "302 403 404 403 403 403 403 403 403 403",
         method="post", label="desk_ticket (unknown ticket)"),
    Case("queue_display", lambda w: f"/man-hinh/{w['ward'].code}/",   "200 200 200 200 200 200 200 200 200 200"),
]


# Dashboards (issue 13): leaders and unit admins see their subtree, desk officers and specialists their own
# unit (their own numbers); citizens, catalogue editors and anonymous visitors get a 403; a unit outside the
# caller's reach is a 404. The ranking is for leaders (and unit admins) of the parent unit.
DASHBOARDS = [
    # roles, in the codes' order: anon cit desk spec lead dist a.this a.oth editor super
    Case("api-dashboard", lambda w: f"/api/dashboard/?unit={w['ward'].code}",
                                                                       "403 403 200 200 200 200 200 404 403 200",
         label="api-dashboard (the ward)"),
    Case("api-dashboard", "/api/dashboard/?unit=H26.08.05",            "403 403 404 404 404 200 404 200 403 200",
         label="api-dashboard (the other ward)"),
    Case("api-dashboard", "/api/dashboard/?unit=H26.08&preset=year",   "403 403 404 404 404 200 404 404 403 200",
         label="api-dashboard (the district)"),
    Case("api-dashboard", lambda w: f"/api/dashboard/?unit={w['ward'].code}&from=2026-02-01&to=2026-01-01",
                                                                       "403 403 400 400 400 400 400 404 403 400",
         label="api-dashboard (end before start)"),
    Case("api-dashboard", "/api/dashboard/",                           "403 405 405 405 405 405 405 405 405 405",
         method="post"),
    Case("api-dashboard-ranking", "/api/dashboard/ranking/?unit=H26.08",
                                                                       "403 403 403 403 404 200 404 404 403 200",
         label="api-dashboard-ranking (the district)"),
    Case("api-dashboard-ranking", "/api/dashboard/ranking/?unit=H26.08&preset=week",
                                                                       "403 403 403 403 404 400 404 404 403 400",
         label="api-dashboard-ranking (unknown preset)"),
    Case("api-dashboard-ranking", "/api/dashboard/ranking/",           "403 405 405 405 405 405 405 405 405 405",
         method="post"),
]


def _staff(suffix: str = ""):
    return lambda w: f"/can-bo/ho-so/{w['dossier'].code}/{suffix}"


# Staff pages: signed-out visitors go to the login page (302); a role the page is not for gets 403; a dossier
# outside the user's reach 404. The superuser (role citizen, no unit) reads dossier pages but has no queue.
STAFF_PAGES = [
    # roles, in the codes' order: anon cit desk spec lead dist a.this a.oth editor super
    Case("dossier_desk_queue", "/can-bo/ho-so/",                       "302 403 200 403 403 403 403 403 403 403"),
    Case("dossier_desk_queue", "/can-bo/ho-so/",                       "405 405 405 405 405 405 405 405 405 405",
         method="post"),
    Case("staff_dossier_detail", _staff(),                             "302 403 200 200 200 200 403 403 403 200"),
    Case("staff_dossier_detail", "/can-bo/ho-so/H26.08.04-260101-9999/",
                                                                       "302 403 404 404 404 404 403 403 403 404",
         label="staff_dossier_detail (unknown)"),
    Case("staff_dossier_detail", _staff(),                             "302 403 409 403 403 403 403 403 403 403",
         method="post", data={"action": "receive", "receive-expected_status": "returned"},
         label="staff_dossier_detail (receive, stale)"),
    Case("staff_dossier_document", lambda w: f"/can-bo/ho-so/{w['dossier'].code}/tep/"
                                             f"{w['dossier'].documents.get().pk}/",
                                                                       "302 403 200 200 200 200 403 403 403 200"),
    Case("dossier_receive_in_person", "/can-bo/tiep-nhan/",            "302 403 200 403 403 403 403 403 403 403"),
    Case("dossier_receive_in_person", "/can-bo/tiep-nhan/?procedure=9.999999",
                                                                       "302 403 404 403 403 403 403 403 403 403",
         label="dossier_receive_in_person (unknown procedure)"),
    Case("dossier_specialist_queue", "/can-bo/xu-ly/",                 "302 403 403 200 403 403 403 403 403 403"),
    Case("dossier_leader_queue", "/can-bo/phe-duyet/",                 "302 403 403 403 200 200 403 403 403 403"),
    Case("dossier_no_wait", "/can-bo/khong-cho/",                      "302 403 200 403 403 403 403 403 403 403"),
    Case("dossier_no_wait_detail", lambda w: f"/can-bo/khong-cho/{w['dossier'].code}/",  # not fast-tracked
                                                                       "302 403 404 403 403 403 403 403 403 403"),
]

def _ward_q(path: str, extra: str = ""):
    """`path` for the world's ward (`?unit=<its code>`), with `extra` query parameters."""
    return lambda w: f"{path}?unit={w['ward'].code}{extra}"


# Dashboards (issue 13): leaders and unit admins see their subtree, desk officers and specialists their own
# numbers in their own unit (not its monthly report), a unit outside the reach is a 404; only a unit with
# wards has a district page. The superuser (no unit) sees every unit.
DASHBOARD_PAGES = [
    # roles, in the codes' order: anon cit desk spec lead dist a.this a.oth editor super
    # A district leader (and the superuser, first the province) land on the comparison of their wards.
    Case("ward_dashboard", "/can-bo/bang-dieu-khien/",                 "302 403 200 200 200 302 200 200 403 302"),
    Case("ward_dashboard", _ward_q("/can-bo/bang-dieu-khien/"),        "302 403 200 200 200 200 200 404 403 200",
         label="ward_dashboard (the ward)"),
    Case("ward_dashboard", _ward_q("/can-bo/bang-dieu-khien/", "&table=procedures&format=xlsx"),
                                                                       "302 403 200 200 200 200 200 404 403 200",
         label="ward_dashboard (export)"),
    Case("ward_dashboard", "/can-bo/bang-dieu-khien/",                 "405 405 405 405 405 405 405 405 405 405",
         method="post"),
    Case("district_dashboard", "/can-bo/bang-dieu-khien/quan-huyen/",  "302 403 403 403 403 200 403 403 403 200"),
    Case("district_dashboard", "/can-bo/bang-dieu-khien/quan-huyen/?unit=H26.08&table=wards&format=csv",
                                                                       "302 403 404 404 404 200 404 404 403 200",
         label="district_dashboard (the district, export)"),
    Case("district_dashboard", "/can-bo/bang-dieu-khien/quan-huyen/",  "405 405 405 405 405 405 405 405 405 405",
         method="post"),
    Case("dashboard_dossiers", _ward_q("/can-bo/bang-dieu-khien/ho-so/", "&measure=received"),
                                                                       "302 403 200 200 200 200 200 404 403 200"),
    Case("dashboard_dossiers", _ward_q("/can-bo/bang-dieu-khien/ho-so/", "&measure=received&format=csv"),
                                                                       "302 403 200 200 200 200 200 404 403 200",
         label="dashboard_dossiers (export)"),
    Case("dashboard_dossiers", "/can-bo/bang-dieu-khien/ho-so/",       "405 405 405 405 405 405 405 405 405 405",
         method="post"),
    Case("dashboard_report", _ward_q("/can-bo/bang-dieu-khien/bao-cao/2025-01/"),
                                                                       "302 403 403 403 200 200 200 404 403 200"),
    Case("dashboard_report", "/can-bo/bang-dieu-khien/bao-cao/2025-01/",
                                                                       "405 405 405 405 405 405 405 405 405 405",
         method="post"),
]

ADMIN_SITE = [
    # roles, in the codes' order: anon cit desk spec lead dist a.this a.oth editor super
    Case("admin:index", "/admin/",                                     "L   L   L   L   L   L   200 200 200 200"),
    Case("admin:login", "/admin/login/",                               "200 200 200 200 200 200 302 302 302 302"),
    Case("admin:logout", "/admin/logout/",                             "302 302 302 302 302 302 405 405 405 405"),
    Case("admin:password_change", "/admin/password_change/",           "L   L   L   L   L   L   200 200 200 200"),
    Case("admin:password_change_done", "/admin/password_change/done/", "L   L   L   L   L   L   200 200 200 200"),
    Case("admin:autocomplete", "/admin/autocomplete/",                 "L   L   L   L   L   L   403 403 403 403"),
    Case("admin:autocomplete",  # the unit-procedure form's procedure picker
         "/admin/autocomplete/?app_label=procedures&model_name=unitprocedure&field_name=procedure",
                                                                       "L   L   L   L   L   L   200 200 200 200",
         label="admin:autocomplete (procedure)"),
    Case("admin:jsi18n", "/admin/jsi18n/",                             "L   L   L   L   L   L   200 200 200 200"),
    Case("admin:view_on_site", lambda w: f"/admin/r/{_unit_content_type()}/{w['ward'].pk}/",
                                                                       "L   L   L   L   L   L   404 404 404 404"),
    Case("admin/(?P<url>.*)$", "/admin/nothing-here/",                 "L   L   L   L   L   L   404 404 404 404"),
    Case("admin:auth_user_password_change",
         lambda w: f"/admin/accounts/user/{w['objects']['accounts.user'].pk}/password/",
                                                                       "L   L   L   L   L   L   200 404 403 200"),
    Case("admin:auth_user_password_change",  # a superuser's password: above a unit admin
         lambda w: f"/admin/accounts/user/{w['users']['superuser'].pk}/password/",
                                                                       "L   L   L   L   L   L   404 404 403 200",
         label="admin:auth_user_password_change (superuser)"),
    Case("admin:procedures_procedure_import", "/admin/procedures/procedure/import/",
                                                                       "L   L   L   L   L   L   403 403 200 200"),
    Case("admin:procedures_procedure_import_job", lambda w: f"/admin/procedures/procedure/import/{w['import_job'].pk}/",
                                                                       "L   L   L   L   L   L   403 403 404 200"),
    Case("admin:procedures_procedure_export", "/admin/procedures/procedure/export/csv/",
                                                                       "L   L   L   L   L   L   200 200 200 200"),
    Case("admin:procedures_procedure_export", "/admin/procedures/procedure/export/xml/",
                                                                       "L   L   L   L   L   L   403 403 403 403",
         label="admin:procedures_procedure_export (bad format)"),
    Case("admin:procedures_procedure_change_log",
         lambda w: f"/admin/procedures/procedure/{w['procedure'].pk}/change-log/",
                                                                       "L   L   L   L   L   L   200 200 200 200"),
    Case("admin:procedures_procedure_change_log",
         lambda w: f"/admin/procedures/procedure/{w['inactive'].pk}/change-log/",
                                                                       "L   L   L   L   L   L   404 404 200 200",
         label="admin:procedures_procedure_change_log (inactive)"),
    Case("admin:procedures_procedure_change", lambda w: f"/admin/procedures/procedure/{w['inactive'].pk}/change/",
                                                                       "L   L   L   L   L   L   404 404 200 200",
         label="admin:procedures_procedure_change (inactive)"),
    Case("admin:units_calendarexception_change",
         lambda w: f"/admin/units/calendarexception/{w['nationwide_day'].pk}/change/",
                                                                       "L   L   L   L   L   L   200 200 403 200",
         label="admin:units_calendarexception_change (nationwide: read only)"),
    Case("admin:units_calendarexception_delete",
         lambda w: f"/admin/units/calendarexception/{w['nationwide_day'].pk}/delete/",
                                                                       "L   L   L   L   L   L   403 403 403 200",
         label="admin:units_calendarexception_delete (nationwide)"),
]

APP_INDEX = {
    #              anon cit desk spec lead dist a.this a.oth editor super
    "auth":       "L   L   L   L   L   L   404 404 404 200",
    "authtoken":  "L   L   L   L   L   L   404 404 404 200",
    "axes":       "L   L   L   L   L   L   404 404 404 200",
    "units":      "L   L   L   L   L   L   200 200 404 200",
    "accounts":   "L   L   L   L   L   L   200 200 404 200",
    "procedures": "L   L   L   L   L   L   200 200 200 200",
}

# Per registered model: changelist, add, change, delete, history, the nameless object URL (a redirect to
# change), and django-simple-history's "history at a version" page where the model has one.
# The object belongs to the ward of "admin_this" wherever the model belongs to a unit.
MODEL_PAGES = {
    #                                    anon cit desk spec lead dist a.this a.oth editor super
    "accounts.user": {
        "changelist":                   "L   L   L   L   L   L   200 200 403 200",
        "add":                          "L   L   L   L   L   L   200 200 403 200",
        "change":                       "L   L   L   L   L   L   200 404 403 200",
        "delete":                       "L   L   L   L   L   L   403 404 403 200",
        "history":                      "L   L   L   L   L   L   200 404 403 200",
    },
    "units.unit": {
        "changelist":                   "L   L   L   L   L   L   200 200 403 200",
        "add":                          "L   L   L   L   L   L   403 403 403 200",
        "change":                       "L   L   L   L   L   L   200 404 403 200",
        "delete":                       "L   L   L   L   L   L   403 403 403 200",
        "history":                      "L   L   L   L   L   L   200 404 403 200",
    },
    "units.calendarexception": {
        "changelist":                   "L   L   L   L   L   L   200 200 403 200",
        "add":                          "L   L   L   L   L   L   200 200 403 200",
        "change":                       "L   L   L   L   L   L   200 404 403 200",
        "delete":                       "L   L   L   L   L   L   200 404 403 200",
        "history":                      "L   L   L   L   L   L   200 404 403 200",
    },
    "procedures.procedure": {
        "changelist":                   "L   L   L   L   L   L   200 200 200 200",
        "add":                          "L   L   L   L   L   L   403 403 200 200",
        "change":                       "L   L   L   L   L   L   200 200 200 200",
        "delete":                       "L   L   L   L   L   L   403 403 403 200",
        "history":                      "L   L   L   L   L   L   200 200 200 200",
        "simple_history":               "L   L   L   L   L   L   200 200 200 200",
    },
    "procedures.field": {
        "changelist":                   "L   L   L   L   L   L   200 200 200 200",
        "add":                          "L   L   L   L   L   L   403 403 200 200",
        "change":                       "L   L   L   L   L   L   200 200 200 200",
        "delete":                       "L   L   L   L   L   L   403 403 403 200",
        "history":                      "L   L   L   L   L   L   200 200 200 200",
        "simple_history":               "L   L   L   L   L   L   200 200 200 200",
    },
    "procedures.unitprocedure": {
        "changelist":                   "L   L   L   L   L   L   200 200 200 200",
        "add":                          "L   L   L   L   L   L   200 200 403 200",
        "change":                       "L   L   L   L   L   L   200 404 200 200",
        "delete":                       "L   L   L   L   L   L   200 404 403 200",
        "history":                      "L   L   L   L   L   L   200 404 200 200",
        "simple_history":               "L   L   L   L   L   L   200 404 200 200",
    },
    # Read-only for everyone (writes go through the services and the staff pages); rows per
    # dossiers_visible_to: a unit admin opens the list but reaches no dossier.
    "procedures.dossier": {
        "changelist":                   "L   L   L   L   L   L   200 200 403 200",
        "add":                          "L   L   L   L   L   L   403 403 403 403",
        "change":                       "L   L   L   L   L   L   404 404 403 200",
        "delete":                       "L   L   L   L   L   L   403 403 403 403",
        "history":                      "L   L   L   L   L   L   404 404 403 200",
    },
    # Third-party models: the superuser's alone.
    "auth.group": {
        "changelist":                   "L   L   L   L   L   L   403 403 403 200",
        "add":                          "L   L   L   L   L   L   403 403 403 200",
        "change":                       "L   L   L   L   L   L   403 403 403 200",
        "delete":                       "L   L   L   L   L   L   403 403 403 200",
        "history":                      "L   L   L   L   L   L   403 403 403 200",
    },
    "authtoken.tokenproxy": {
        "changelist":                   "L   L   L   L   L   L   403 403 403 200",
        "add":                          "L   L   L   L   L   L   403 403 403 200",
        "change":                       "L   L   L   L   L   L   403 403 403 200",
        "delete":                       "L   L   L   L   L   L   403 403 403 200",
        "history":                      "L   L   L   L   L   L   403 403 403 200",
    },
    "axes.accessattempt": {
        "changelist":                   "L   L   L   L   L   L   403 403 403 200",
        "add":                          "L   L   L   L   L   L   403 403 403 403",
        "change":                       "L   L   L   L   L   L   403 403 403 200",
        "delete":                       "L   L   L   L   L   L   403 403 403 200",
        "history":                      "L   L   L   L   L   L   403 403 403 200",
    },
    "axes.accesslog": {
        "changelist":                   "L   L   L   L   L   L   403 403 403 200",
        "add":                          "L   L   L   L   L   L   403 403 403 403",
        "change":                       "L   L   L   L   L   L   403 403 403 200",
        "delete":                       "L   L   L   L   L   L   403 403 403 200",
        "history":                      "L   L   L   L   L   L   403 403 403 200",
    },
    "axes.accessfailurelog": {
        "changelist":                   "L   L   L   L   L   L   403 403 403 200",
        "add":                          "L   L   L   L   L   L   403 403 403 403",
        "change":                       "L   L   L   L   L   L   403 403 403 200",
        "delete":                       "L   L   L   L   L   L   403 403 403 200",
        "history":                      "L   L   L   L   L   L   403 403 403 200",
    },
}
# fmt: on
OBJECT_REDIRECT = "L   L   L   L   L   L   302 302 302 302"  # /admin/<app>/<model>/<id>/ → …/change/


def _unit_content_type() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Unit).pk


def _history_id(model_label: str):
    def path(w):
        obj = w["objects"][model_label]
        record = obj.history.latest()
        app, model = model_label.split(".")
        return f"/admin/{app}/{model}/{obj.pk}/history/{record.history_id}/"

    return path


def _admin_cases() -> list[Case]:
    cases = []
    for app, codes in APP_INDEX.items():
        cases.append(Case("admin:app_list", f"/admin/{app}/", codes, label=f"admin:app_list {app}"))
    for model_label, pages in MODEL_PAGES.items():
        app, model = model_label.split(".")
        base = f"/admin/{app}/{model}/"
        obj_path = {
            "change": "{pk}/change/",
            "delete": "{pk}/delete/",
            "history": "{pk}/history/",
        }
        cases.append(Case(f"admin:{app}_{model}_changelist", base, pages["changelist"]))
        cases.append(Case(f"admin:{app}_{model}_add", base + "add/", pages["add"]))
        for kind, suffix in obj_path.items():
            cases.append(
                Case(
                    f"admin:{app}_{model}_{kind}",
                    lambda w, m=model_label, s=suffix, b=base: b + s.format(pk=w["objects"][m].pk),
                    pages[kind],
                )
            )
        cases.append(
            Case(
                f"{base[1:]}<path:object_id>/",
                lambda w, m=model_label, b=base: f"{b}{w['objects'][m].pk}/",
                OBJECT_REDIRECT,
            )
        )
        if "simple_history" in pages:
            cases.append(
                Case(
                    f"admin:{app}_{model}_simple_history",
                    _history_id(model_label),
                    pages["simple_history"],
                )
            )
    return cases


def _rating(link: str = "good", code: str | None = None):
    """The rating page of the world's dossier (or `code`) with a signed link, a forged one, or none."""

    def path(w):
        target = code or w["dossier"].code
        if link == "none":
            return f"/danh-gia/{target}/"
        return f"/danh-gia/{target}/?k=" + (rating_token(target) if link == "good" else "forged")

    return path


# Satisfaction ratings (the world's dossier is only submitted: not open for rating, so a rating is a 409).
# The public pages answer the same to every role; without a link only the applicant (signed in) reaches the
# form, anyone else is sent to the code + phone form. The paper rating is the unit's desk officers'.
# fmt: off
RATINGS = [
    # roles, in the codes' order: anon cit desk spec lead dist a.this a.oth editor super
    Case("rating_start", "/danh-gia/",                                 "200 200 200 200 200 200 200 200 200 200"),
    Case("rating_start", "/danh-gia/",                                 "302 302 302 302 302 302 302 302 302 302",
         method="post", data=lambda w: {"code": w["dossier"].code, "phone": w["users"]["citizen"].phone},
         label="rating_start (code and phone)"),
    Case("rating_start", "/danh-gia/",                                 "404 404 404 404 404 404 404 404 404 404",
         method="post", data={"code": "H26.08.04-260101-9999", "phone": "0999999999"},
         label="rating_start (unknown code)"),
    Case("rating_start", "/danh-gia/",                                 "400 400 400 400 400 400 400 400 400 400",
         method="post", data={"code": "bad"}, label="rating_start (bad input)"),
    Case("rating_start", "/danh-gia/",                                 "405 405 405 405 405 405 405 405 405 405",
         method="put"),
    Case("rating_page", _rating(),                                     "200 200 200 200 200 200 200 200 200 200"),
    Case("rating_page", _rating(),                                     "409 409 409 409 409 409 409 409 409 409",
         method="post", data={"level": "satisfied"}, label="rating_page (rate, not open yet)"),
    Case("rating_page", _rating("forged"),                             "400 400 400 400 400 400 400 400 400 400",
         label="rating_page (forged link)"),
    Case("rating_page", _rating("forged"),                             "400 400 400 400 400 400 400 400 400 400",
         method="post", data={"level": "satisfied"}, label="rating_page (forged link, rate)"),
    Case("rating_page", _rating("none"),                               "302 200 302 302 302 302 302 302 302 302",
         label="rating_page (no link)"),
    Case("rating_page", _rating("none"),                               "302 409 302 302 302 302 302 302 302 302",
         method="post", data={"level": "satisfied"}, label="rating_page (no link, rate)"),
    Case("rating_page", _rating("good", "H26.08.04-260101-9999"),      "404 404 404 404 404 404 404 404 404 404",
         label="rating_page (unknown, signed)"),
    Case("rating_page", _rating("none", "H26.08.04-260101-9999"),      "302 302 302 302 302 302 302 302 302 302",
         label="rating_page (unknown, no link)"),
    Case("rating_page", _rating(),                                     "405 405 405 405 405 405 405 405 405 405",
         method="put"),
    Case("staff_paper_rating", _staff("danh-gia/"),                    "302 403 200 403 403 403 403 403 403 403"),
    Case("staff_paper_rating", _staff("danh-gia/"),                    "302 403 409 403 403 403 403 403 403 403",
         method="post", data={"level": "satisfied"}, label="staff_paper_rating (record, not open yet)"),
    # The API: whoever sees the dossier reads its rating (none yet: 404); only its applicant rates (409: not open).
    Case("api-dossier-rating", lambda w: f"/api/dossiers/{w['dossier'].code}/rating/",
                                                                       "403 404 404 404 404 404 404 404 404 404"),
    Case("api-dossier-rating", lambda w: f"/api/dossiers/{w['dossier'].code}/rating/",
                                                                       "403 409 403 403 403 403 404 404 404 403",
         method="post", data={"level": "satisfied"}, label="api-dossier-rating (rate, not open yet)"),
    Case("api-dossier-rating", lambda w: f"/api/dossiers/{w['dossier'].code}/rating/",
                                                                       "403 405 405 405 405 405 405 405 405 405",
         method="delete"),
    Case("staff_paper_rating", "/can-bo/ho-so/H26.08.04-260101-9999/danh-gia/",
                                                                       "302 403 404 403 403 403 403 403 403 403",
         label="staff_paper_rating (unknown)"),
]
# fmt: on
CASES = [
    *PUBLIC,
    *FEEDBACK,
    *DOSSIERS,
    *CITIZEN_PAGES,
    *STAFF_PAGES,
    *BOOKINGS,
    *DASHBOARDS,
    *DASHBOARD_PAGES,
    *RATINGS,
    *ADMIN_SITE,
    *_admin_cases(),
]


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner or namespace)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                yield route


def test_every_url_has_a_row():
    routes = set(_walk(get_resolver().url_patterns))
    covered = {case.key for case in CASES}
    missing = sorted(routes - covered)
    assert not missing, f"URLs without a row in tests/permissions/test_matrix.py: {missing}"
    stale = sorted(covered - routes)
    assert not stale, f"rows for URLs that no longer exist: {stale}"


def test_every_registered_admin_model_has_a_row():
    assert {model._meta.label_lower for model in admin.site._registry} == set(MODEL_PAGES)


def _status(client, world, case: Case, role: str) -> str:
    client.logout()
    # Each role's request starts with no failed logins counted (but the admin's sample row stays).
    AccessAttempt.objects.exclude(pk=world["objects"]["axes.accessattempt"].pk).delete()
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    data = case.data(world) if callable(case.data) else case.data
    response = getattr(client, case.method)(case.url(world), data=data or {})
    if response.status_code == 302 and response["Location"].startswith("/admin/login/"):
        return "L"
    return str(response.status_code)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_status_for_every_role(client, world, case, settings):
    # The lookup's rate limits are tested in tests/dossiers/test_lookup.py; here every role asks once.
    settings.LOOKUP_RATE_PER_CLIENT = settings.LOOKUP_RATE_PER_CODE = 10_000
    settings.FEEDBACK_SUBMIT_RATE_PER_CLIENT = 10_000  # the form's limit is tested in tests/feedback
    settings.HEALTH_PING_TIMEOUT = 0.05  # no worker runs here: the health view answers 503 without waiting
    expected = row(case.expected)
    actual = {role: _status(client, world, case, role) for role in ROLES}
    if actual != expected:
        lines = [HEADER, "expected: " + " ".join(expected.values()), "actual:   " + " ".join(actual.values())]
        pytest.fail(f"{case.id}\n" + "\n".join(lines))
