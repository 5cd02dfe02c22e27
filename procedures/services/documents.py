"""Issuing the printed papers of a dossier (Decree 61/2018, Circular 01/2018 forms 01–05).

- `documents_issue_for_event` runs inside the transaction of a dossier event (procedures.services.dossiers):
  it writes the IssuedDocument row with the snapshot of what the paper says *now*; a rolled-back event
  leaves no paper. The PDF is rendered after the commit (so no lock is held while rendering; see
  bench/documents.py for the time it takes) and the download renders it if it is still missing.
- A reprint renders the stored snapshot again with the line "Bản in lại lúc …": the same paper even after
  the dossier moved on.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from procedures.documents import vietnamese as vn
from procedures.documents.pdf import render_pdf
from procedures.domain.deadlines import DeadlineUnit
from procedures.domain.workflow import TIMELINESS_LABELS, Action, Timeliness
from procedures.models import ControlSlipEntry, DocumentKind, Dossier, DossierDocument, IssuedDocument
from procedures.permissions import can_print_control_slip, dossiers_visible_to

# Which paper each event issues (a receipt also when a supplement restarts the clock: a new receipt and
# due time, DESIGN.md §2 "Clock stops").
EVENT_DOCUMENTS: dict[Action, DocumentKind] = {
    Action.RECEIVE: DocumentKind.RECEIPT,
    Action.RECEIVE_IN_PERSON: DocumentKind.RECEIPT,
    Action.SUPPLEMENT: DocumentKind.RECEIPT,
    Action.REQUEST_SUPPLEMENT: DocumentKind.SUPPLEMENT_REQUEST,
    Action.RETURN_FOR_GUIDANCE: DocumentKind.SUPPLEMENT_REQUEST,
    Action.REFUSE: DocumentKind.REFUSAL,
    Action.REDATE: DocumentKind.APOLOGY,
    Action.RETURN_RESULT: DocumentKind.CONTROL_SLIP,
}
# The form's number in Circular 01/2018's annex, the suffix of the paper's number, and its title.
FORMS = {
    DocumentKind.RECEIPT: ("Mẫu số 01", "TNHS", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    DocumentKind.SUPPLEMENT_REQUEST: ("Mẫu số 02", "HDHS", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    DocumentKind.REFUSAL: ("Mẫu số 03", "TCHS", "Phiếu từ chối tiếp nhận, giải quyết hồ sơ"),
    DocumentKind.APOLOGY: ("Mẫu số 04", "XLHS", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    DocumentKind.CONTROL_SLIP: ("Mẫu số 05", "KSHS", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
}
OFFICE = "Bộ phận tiếp nhận và trả kết quả"
logger = logging.getLogger(__name__)


def public_url(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def lookup_url(code: str) -> str:
    """The public lookup with the code filled in (what the receipt's QR code opens)."""
    return public_url(f"{reverse('lookup')}?code={code}")


def rating_url(code: str) -> str:
    """Where the citizen rates the service: RATING_URL with the code and its signed token (the rating page
    /danh-gia/<code>/?k=…, no phone asked: procedures.rating_links); empty: the code + phone form."""
    from procedures.rating_links import rating_token

    template = settings.RATING_URL
    if not template:
        return public_url(f"{reverse('rating_start')}?code={code}")
    return template.format(code=code, token=rating_token(code))


def _name(user) -> str:
    return (user.full_name or user.get_username()) if user is not None else ""


def _common(dossier: Dossier, kind: DocumentKind, *, actor, at) -> dict:
    form_no, suffix, title = FORMS[kind]
    number = IssuedDocument.objects.filter(dossier=dossier, kind=kind).count() + 1
    unit = dossier.unit
    applicant = dossier.applicant
    return {
        "kind": kind.value,
        "title": title,
        "form_no": form_no,
        "number": f"{number:02d}/{suffix}",
        "unit_heading": f"UBND {unit.name.upper()}",
        "office_heading": OFFICE.upper(),
        "office": OFFICE,
        "unit_name": unit.name,
        "unit_phone": unit.phone,
        "place": unit.name,
        "date_line": vn.date_line(at),
        "issued_at": at.isoformat(),
        "code": dossier.code,
        "applicant": {"name": _name(applicant), "phone": applicant.phone, "email": applicant.email},
        "procedure": {"code": dossier.procedure.code, "name": dossier.procedure.name},
        "officer": _name(actor),
        "submitted_at": vn.time_line(dossier.submitted_at),
    }


def _statutory(dossier: Dossier) -> str:
    """ "3 (ba) ngày làm việc"; a same-day procedure says its rule in words."""
    procedure = dossier.procedure
    with translation.override("vi"):
        label = str(DeadlineUnit(procedure.deadline_unit).label)
    if procedure.deadline_unit == DeadlineUnit.SAME_DAY_CUTOFF:
        return label
    return f"{procedure.deadline_amount} ({vn.number_words(procedure.deadline_amount)}) {label}"


def _receipt(dossier: Dossier) -> dict:
    documents = (
        DossierDocument.objects.filter(dossier=dossier)
        .select_related("required_document")
        .order_by("required_document__position", "pk")
    )
    seen: dict[int, dict] = {}
    with translation.override("vi"):
        for row in documents:
            required = row.required_document
            seen.setdefault(
                required.pk, {"name": required.name, "form": required.get_form_display(), "count": required.count}
            )
    return {
        "documents": list(seen.values()),
        "statutory": _statutory(dossier),
        "received_at": vn.time_line(dossier.received_at),
        "due": vn.appointment(dossier.effective_due_at),
        "return_place": f"{OFFICE}, {dossier.unit.name}"
        + (f", {dossier.unit.address}" if dossier.unit.address else ""),
        "qr_url": lookup_url(dossier.code),
        "rating_url": rating_url(dossier.code),
    }


def _control_rows(dossier: Dossier) -> dict:
    entries = ControlSlipEntry.objects.filter(dossier=dossier).select_related("from_user", "to_user")
    rows = []
    with translation.override("vi"):
        for entry in entries.order_by("position"):
            rows.append(
                {
                    "position": entry.position,
                    "from": _name(entry.from_user),
                    "to": _name(entry.to_user) or "—",
                    "action": str(Action(entry.action).label),
                    "at": vn.short(entry.handed_over_at),
                    "allotment": vn.duration(entry.step_allotment_minutes) if entry.step_allotment_minutes else "—",
                    "due": vn.short(entry.step_due_at) if entry.step_due_at else "",
                    "finished": vn.short(entry.step_finished_at) if entry.step_finished_at else "",
                    "result": str(TIMELINESS_LABELS[Timeliness(entry.step_timeliness)]).capitalize()
                    if entry.step_timeliness
                    else ("đang giải quyết" if entry.step_finished_at is None else "—"),
                }
            )
        outcome = str(TIMELINESS_LABELS[Timeliness(dossier.timeliness)]).capitalize() if dossier.timeliness else ""
    return {
        "rows": rows,
        "received_at": vn.time_line(dossier.received_at) if dossier.received_at else "—",
        "due": vn.appointment(dossier.effective_due_at) if dossier.due_at else {"digits": "—", "words": ""},
        "outcome": outcome,
    }


def document_snapshot(dossier: Dossier, kind: DocumentKind, *, actor, at, comment: str = "") -> dict:
    """Everything the paper says, as text, taken now (the dossier as the event left it)."""
    snapshot = _common(dossier, kind, actor=actor, at=at)
    if kind == DocumentKind.RECEIPT:
        snapshot.update(_receipt(dossier))
    elif kind == DocumentKind.SUPPLEMENT_REQUEST:
        snapshot["items"] = [line.strip() for line in comment.splitlines() if line.strip()]
        snapshot["clock_note"] = (
            "Thời gian giải quyết hồ sơ tạm dừng từ lúc phát hành phiếu này; khi nhận đủ hồ sơ bổ sung, "
            "Ông/Bà được cấp Giấy tiếp nhận hồ sơ và hẹn trả kết quả mới."
            if dossier.is_received
            else "Hồ sơ chưa được tiếp nhận; Ông/Bà nộp lại hồ sơ sau khi bổ sung, hoàn thiện."
        )
    elif kind == DocumentKind.REFUSAL:
        snapshot["reason"] = comment
        snapshot["signer_title"] = "NGƯỜI TIẾP NHẬN HỒ SƠ" if not dossier.is_received else "NGƯỜI KÝ"
    elif kind == DocumentKind.APOLOGY:
        snapshot.update(
            reason=comment,
            received_on=vn.date_line(dossier.received_at).removeprefix("ngày "),
            old_due=vn.time_line(dossier.due_at),  # the receipt's time; the new one is redated_due_at
            due=vn.appointment(dossier.redated_due_at),
            signer_title="THỦ TRƯỞNG CƠ QUAN",
        )
    elif kind == DocumentKind.CONTROL_SLIP:
        snapshot.update(_control_rows(dossier))
    return snapshot


def _render_after_commit(document_id: int) -> None:
    """The worker stores the PDF after the commit (a render takes a few hundred ms: not in the desk's request,
    not under the dossier's locks); without a worker or broker the first download renders it."""

    def enqueue():
        from procedures.tasks import render_issued_document

        try:
            render_issued_document.delay(document_id)
        except Exception:  # the broker is down: the download renders on demand
            logger.warning("issued document %s: render not queued", document_id, exc_info=True)

    transaction.on_commit(enqueue)


def documents_issue_for_event(*, dossier: Dossier, history, actor) -> IssuedDocument | None:
    """The paper the event `history` issues, if any; call inside the event's transaction, after its
    control-slip row. A no-wait dossier gets no receipt: its result is handed over during the visit."""
    kind = EVENT_DOCUMENTS.get(Action(history.action))
    if kind is None or (kind == DocumentKind.RECEIPT and dossier.target_at is not None):
        return None
    snapshot = document_snapshot(dossier, kind, actor=actor, at=history.at, comment=history.comment)
    document = IssuedDocument.objects.create(
        dossier=dossier, kind=kind, history=history, issued_at=history.at, issued_by=actor, snapshot=snapshot
    )
    _render_after_commit(document.pk)
    return document


def issued_document_render(*, document_id: int) -> IssuedDocument:
    """Render and store the first print (idempotent: a stored file is kept)."""
    document = IssuedDocument.objects.get(pk=document_id)
    if document.file:
        return document
    pdf = render_pdf(document.snapshot)
    with transaction.atomic():
        locked = IssuedDocument.objects.select_for_update().get(pk=document_id)
        if not locked.file:  # a concurrent render won: keep its file
            locked.file.save(f"{locked.kind}.pdf", ContentFile(pdf), save=False)
            locked.save(update_fields=["file"])
        return locked


def issued_document_pdf(*, document: IssuedDocument, reprint: bool = False) -> bytes:
    """The first print (rendered now if still missing), or a reprint with its line, counted."""
    if not reprint:
        document = issued_document_render(document_id=document.pk)
        with document.file.open("rb") as stored:
            return stored.read()
    now = timezone.now()
    IssuedDocument.objects.filter(pk=document.pk).update(reprint_count=F("reprint_count") + 1, last_reprinted_at=now)
    return render_pdf(document.snapshot, reprinted_at=now)


def control_slip_issue(*, actor, dossier: Dossier | str) -> IssuedDocument:
    """A control slip printed on demand by the unit's staff: the hand-overs so far."""
    code = dossier if isinstance(dossier, str) else dossier.code
    with transaction.atomic():
        current = dossiers_visible_to(actor).select_related("procedure", "unit", "applicant").get(code=code)
        if not can_print_control_slip(actor, current):
            raise PermissionDenied(_("Only the unit's staff print a control slip."))
        now = timezone.now()
        snapshot = document_snapshot(current, DocumentKind.CONTROL_SLIP, actor=actor, at=now)
        document = IssuedDocument.objects.create(
            dossier=current, kind=DocumentKind.CONTROL_SLIP, issued_at=now, issued_by=actor, snapshot=snapshot
        )
        _render_after_commit(document.pk)
    return document
