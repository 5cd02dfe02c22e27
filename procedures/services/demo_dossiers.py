"""Demo dossiers in every status for the demo ward, made through the dossier services.

Going through dossier_submit_online / dossier_receive_in_person / dossier_transition gives them real codes,
history, control slips, outbox events and files. Idempotent: the online ones carry an idempotency key with
DEMO_KEY_PREFIX; once any exists the whole set is there (seed_demo runs in one transaction), so a second run
adds nothing.
"""

from __future__ import annotations

import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from portal.accounts.models import User
from procedures.domain.workflow import Action, DossierStatus
from procedures.models import Dossier, OnlineLevel, Procedure
from procedures.services.dossiers import (
    _unit_offers,
    dossier_receive_in_person,
    dossier_submit_online,
    dossier_transition,
    is_mandatory,
)

DEMO_KEY_PREFIX = "demo-seed:"

S = DossierStatus
# The walk from a fresh online submission to each status: (username of the actor, action).
RECEIVE, ASSIGN = ("desk", Action.RECEIVE), ("desk", Action.ASSIGN)
FOR_APPROVAL = ("specialist", Action.SUBMIT_FOR_APPROVAL)
WALKS = {
    S.SUBMITTED: [],
    S.RECEIVED: [RECEIVE],
    S.IN_PROGRESS: [RECEIVE, ASSIGN],
    S.SUPPLEMENT_REQUESTED: [RECEIVE, ASSIGN, ("specialist", Action.REQUEST_SUPPLEMENT)],
    S.AWAITING_APPROVAL: [RECEIVE, ASSIGN, FOR_APPROVAL],
    S.DONE: [RECEIVE, ASSIGN, FOR_APPROVAL, ("leader", Action.APPROVE)],
    S.RETURNED: [RECEIVE, ASSIGN, FOR_APPROVAL, ("leader", Action.APPROVE), ("desk", Action.RETURN_RESULT)],
    S.REFUSED: [("desk", Action.REFUSE)],
    S.WITHDRAWN: [(None, Action.WITHDRAW)],  # None: the applicant
}
COMMENTS = {
    Action.REFUSE: "Thủ tục không thuộc thẩm quyền của phường.",
    Action.REQUEST_SUPPLEMENT: "Bổ sung bản sao giấy tờ tùy thân có chứng thực.",
}


def demo_pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def demo_png() -> bytes:
    """A valid 1×1 grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")
    )


def _files(procedure: Procedure):
    """One small file per mandatory document, PDF and PNG in turn."""
    files = []
    for i, document in enumerate(d for d in procedure.documents.order_by("position") if is_mandatory(d)):
        if i % 2:
            files.append((document, SimpleUploadedFile(f"anh-{i + 1}.png", demo_png(), content_type="image/png")))
        else:
            files.append((document, SimpleUploadedFile(f"to-khai-{i + 1}.pdf", demo_pdf(), "application/pdf")))
    return files


def demo_procedure(unit) -> Procedure | None:
    """An online procedure the ward receives, with process steps (a real control slip) when one has them."""
    candidates = Procedure.objects.filter(
        is_active=True, online_level__in=[OnlineLevel.FULL, OnlineLevel.PARTIAL], no_wait=False
    ).order_by("code")
    with_steps = set(candidates.filter(steps__isnull=False).values_list("pk", flat=True))
    for procedure in sorted(candidates, key=lambda p: p.pk not in with_steps):
        if procedure.documents.exists() and _unit_offers(procedure, unit):
            return procedure
    return None


def seed_demo_dossiers(unit) -> int:
    """One dossier per status (a second received one taken in person at the desk); returns how many were made."""
    if Dossier.objects.filter(idempotency_key__startswith=DEMO_KEY_PREFIX).exists():
        return 0
    procedure = demo_procedure(unit)
    if procedure is None:
        return 0
    users = {
        u.username: u for u in User.objects.filter(username__in=["citizen", "citizen2", "desk", "specialist", "leader"])
    }
    made = 0
    for i, (status, walk) in enumerate(WALKS.items()):
        applicant = users["citizen" if i % 2 == 0 else "citizen2"]
        dossier = dossier_submit_online(
            applicant=applicant,
            procedure=procedure,
            unit=unit,
            files=_files(procedure),
            idempotency_key=f"{DEMO_KEY_PREFIX}{status}",
        )
        for username, action in walk:
            extra = {"assignee": users["specialist"]} if action == Action.ASSIGN else {}
            dossier = dossier_transition(
                actor=users[username] if username else applicant,
                dossier=dossier,
                action=action,
                expected_status=dossier.status,
                comment=COMMENTS.get(action, ""),
                **extra,
            )
        made += 1
    # The desk's other door: a paper dossier received in person, documents ticked on the checklist.
    dossier_receive_in_person(
        actor=users["desk"],
        applicant=users["citizen2"],
        procedure=procedure,
        documents_checked=[d for d in procedure.documents.all() if is_mandatory(d)],
    )
    return made + 1
