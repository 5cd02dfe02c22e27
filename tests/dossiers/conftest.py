"""A ward with its staff, an online procedure with a mandatory and a conditional document, and real files."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from portal.units.models import Unit
from procedures.domain.workflow import Action, DossierStatus
from procedures.services.dossiers import dossier_submit_online, dossier_transition
from tests.factories import ProcedureFactory, ProcessStepFactory, RequiredDocumentFactory, UnitFactory, UserFactory

GUIDANCE = "guidance"  # supplement_requested before any receipt


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")
    )


def jpeg_bytes() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32 + b"\xff\xd9"


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def upload(name: str = "giay-to.pdf", content: bytes | None = None, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content, content_type=content_type)


@dataclass
class World:
    unit: Unit
    other_unit: Unit
    district: Unit
    procedure: object
    mandatory: object
    conditional: object
    citizen: object
    other_citizen: object
    desk: object
    specialist: object
    specialist2: object
    leader: object
    district_leader: object
    other_desk: object

    def submit(self, citizen=None, **kw):
        files = kw.pop("files", None) or [(self.mandatory, upload())]
        return dossier_submit_online(
            applicant=citizen or self.citizen, procedure=self.procedure, unit=self.unit, files=files, **kw
        )

    def act(self, actor, dossier, action, **kw):
        kw.setdefault("expected_status", dossier.status)
        if action in (Action.SUPPLEMENT, Action.RESUBMIT):
            kw.setdefault("files", [(self.mandatory, upload("bo-sung.pdf"))])
        if action in {"refuse", "return_for_guidance", "request_supplement", "send_back", "redate"}:
            kw.setdefault("comment", "Lý do")
        return dossier_transition(actor=actor, dossier=dossier, action=action, **kw)

    def to_status(self, status: str):
        """A fresh dossier walked through the table to `status` ("guidance": returned for guidance)."""
        d = self.submit()
        path = {
            GUIDANCE: [(self.desk, Action.RETURN_FOR_GUIDANCE)],
            DossierStatus.SUBMITTED: [],
            DossierStatus.RECEIVED: [(self.desk, Action.RECEIVE)],
            DossierStatus.IN_PROGRESS: [(self.desk, Action.RECEIVE), (self.desk, Action.ASSIGN)],
            DossierStatus.SUPPLEMENT_REQUESTED: [
                (self.desk, Action.RECEIVE),
                (self.desk, Action.ASSIGN),
                (self.specialist, Action.REQUEST_SUPPLEMENT),
            ],
            DossierStatus.AWAITING_APPROVAL: [
                (self.desk, Action.RECEIVE),
                (self.desk, Action.ASSIGN),
                (self.specialist, Action.SUBMIT_FOR_APPROVAL),
            ],
            DossierStatus.DONE: [
                (self.desk, Action.RECEIVE),
                (self.desk, Action.ASSIGN),
                (self.specialist, Action.SUBMIT_FOR_APPROVAL),
                (self.leader, Action.APPROVE),
            ],
            DossierStatus.RETURNED: [
                (self.desk, Action.RECEIVE),
                (self.desk, Action.ASSIGN),
                (self.specialist, Action.SUBMIT_FOR_APPROVAL),
                (self.leader, Action.APPROVE),
                (self.desk, Action.RETURN_RESULT),
            ],
            DossierStatus.REFUSED: [(self.desk, Action.REFUSE)],
            DossierStatus.WITHDRAWN: [(self.citizen, Action.WITHDRAW)],
        }[status]
        for actor, action in path:
            extra = {"assignee": self.specialist} if action == Action.ASSIGN else {}
            d = self.act(actor, d, action, **extra)
        return d


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    district = UnitFactory(code="H26.08", name="Quận Hoàng Mai", kind=Unit.Kind.DISTRICT)
    unit = UnitFactory(code="H26.08.04", name="Phường Hoàng Liệt", parent=district)
    other = UnitFactory(code="H26.08.05", name="Phường Hoàng Văn Thụ", parent=district)
    procedure = ProcedureFactory(online_level="full", deadline_amount=3)
    mandatory = RequiredDocumentFactory(procedure=procedure, position=1, name="Tờ khai")
    conditional = RequiredDocumentFactory(
        procedure=procedure, position=2, name="Giấy ủy quyền", note="Khi nộp thay người khác"
    )
    for position in (1, 2, 3):
        ProcessStepFactory(procedure=procedure, position=position, allotment_minutes=240)
    return World(
        unit=unit,
        other_unit=other,
        district=district,
        procedure=procedure,
        mandatory=mandatory,
        conditional=conditional,
        citizen=UserFactory(),
        other_citizen=UserFactory(),
        desk=UserFactory(desk=True, unit=unit),
        specialist=UserFactory(specialist=True, unit=unit),
        specialist2=UserFactory(specialist=True, unit=unit),
        leader=UserFactory(leader=True, unit=unit),
        district_leader=UserFactory(leader=True, unit=district),
        other_desk=UserFactory(desk=True, unit=other),
    )


def actor_for(world, action, status, *, redate_by=None):
    """Who performs `action` on a dossier in `status` in the tests' world (the role the table allows)."""
    S = DossierStatus
    return {
        Action.RECEIVE: world.desk,
        Action.REFUSE: world.leader if status == S.AWAITING_APPROVAL else world.desk,
        Action.RETURN_FOR_GUIDANCE: world.desk,
        Action.RESUBMIT: world.citizen,
        Action.ASSIGN: world.desk,
        Action.REQUEST_SUPPLEMENT: world.specialist,
        Action.SUPPLEMENT: world.citizen,
        Action.SUBMIT_FOR_APPROVAL: world.specialist,
        Action.APPROVE: world.leader,
        Action.SEND_BACK: world.leader,
        Action.FINISH: world.specialist if status == S.IN_PROGRESS else world.desk,
        Action.RETURN_RESULT: world.desk,
        Action.WITHDRAW: world.citizen,
        Action.REDATE: redate_by or world.specialist,
    }[action]


@pytest.fixture
def signed_in(browser, live_server):
    """user → a page signed in as that user, each in its own browser context (its own cookies)."""
    contexts = []

    def open_as(user):
        context = browser.new_context(base_url=live_server.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
        context.set_default_timeout(15_000)
        contexts.append(context)
        client = Client()
        client.force_login(user, backend="portal.accounts.backends.PhoneOrEmailBackend")
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
        return context.new_page()

    yield open_as
    for context in contexts:
        context.close()
