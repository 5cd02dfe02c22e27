"""The whole life of an online dossier in headless Chromium, through the real pages of every role:
the citizen submits online → the desk receives it → hands it to a specialist → who asks for a supplement →
the citizen uploads it (the unit's clock policy gives the new due time) → the specialist sends it for approval →
the leader approves → the desk returns the result → the citizen sees the result and its timeliness.

Run once per clock policy: RESTART (the law's rule: a new receipt, a full new deadline) and PAUSE (the time
left when the clock stopped)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.units.calendar.domain.clock_policy import ClockPolicy
from portal.units.calendar.selectors import unit_calendar
from procedures.domain.workflow import Action, DossierStatus
from procedures.models import Dossier
from procedures.selectors.deadlines import procedure_due_at

from .conftest import pdf_bytes, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def staff_open(page, queue_path: str, code: str) -> None:
    page.goto(queue_path)
    page.click(f"tr[data-code='{code}'] a")
    page.wait_for_selector("#dossier-status")


def staff_act(page, action: str) -> None:
    page.click(f"#submit-{action}")
    page.wait_for_selector(".alert-success")


@pytest.mark.parametrize("policy", [ClockPolicy.RESTART, ClockPolicy.PAUSE])
def test_online_dossier_from_submission_to_result_with_a_supplement(world, signed_in, tmp_path, policy):
    world.unit.clock_policy = policy
    world.unit.save(update_fields=["clock_policy"])
    form_file = tmp_path / "Tờ khai.pdf"
    form_file.write_bytes(pdf_bytes())
    proxy = tmp_path / "Giấy ủy quyền.png"
    proxy.write_bytes(png_bytes())

    # The citizen submits online: form, review, confirmation with the code.
    citizen = signed_in(world.citizen)
    citizen.goto(f"/thu-tuc/{world.procedure.code}/nop/")
    citizen.set_input_files("#id_document_1", str(form_file))
    citizen.click("#submit-continue")
    citizen.wait_for_selector("#review-files")
    citizen.click("#review-submit")
    citizen.wait_for_selector("#submitted-code")
    code = citizen.inner_text("#submitted-code")

    # The desk finds it among the new online submissions and receives it: the clock starts.
    desk = signed_in(world.desk)
    staff_open(desk, "/can-bo/ho-so/?section=new", code)
    staff_act(desk, "receive")
    received = Dossier.objects.get(code=code)
    assert received.status == DossierStatus.RECEIVED
    assert received.due_at == procedure_due_at(world.procedure, received_at=received.received_at, unit=world.unit)
    assert desk.locator("#dossier-slips .slip-print").count() == 1  # the receipt and appointment slip
    desk.select_option("#id_assign-assignee", str(world.specialist.pk))
    staff_act(desk, "assign")

    # The specialist asks for the power of attorney: the clock stops.
    specialist = signed_in(world.specialist)
    staff_open(specialist, "/can-bo/xu-ly/", code)
    specialist.check(f"input[name='request_supplement-documents'][value='{world.conditional.pk}']")
    specialist.fill("#id_request_supplement-comment", "Thiếu giấy ủy quyền có chứng thực.")
    staff_act(specialist, "request_supplement")
    stopped = Dossier.objects.get(code=code)
    assert stopped.status == DossierStatus.SUPPLEMENT_REQUESTED and stopped.stopped_at is not None

    # The citizen reads the reason on "my dossiers" and uploads the document.
    citizen.goto(f"/ho-so/{code}/")
    assert "giấy ủy quyền" in citizen.inner_text("#supplement-request").lower()
    assert "dừng" in citizen.inner_text("#detail-due").lower()  # the clock is stopped, and it says so
    citizen.click("#action-supplement")
    citizen.wait_for_selector("#supplement-form")
    citizen.set_input_files("#id_document_2", str(proxy))
    citizen.click("#supplement-submit")
    citizen.wait_for_selector("#detail-status")
    resumed = Dossier.objects.get(code=code)
    supplemented_at = resumed.history.get(action=Action.SUPPLEMENT).at
    if policy == ClockPolicy.RESTART:
        assert resumed.received_at == supplemented_at
        assert resumed.due_at == procedure_due_at(world.procedure, received_at=supplemented_at, unit=world.unit)
    else:
        assert resumed.received_at == received.received_at
        left = timedelta(seconds=stopped.remaining_seconds)
        assert resumed.due_at == unit_calendar(world.unit).add_working_time(supplemented_at, left)
    assert resumed.stopped_at is None and resumed.status == DossierStatus.IN_PROGRESS

    # The specialist sends it for approval, the leader approves, the desk hands the result over.
    staff_open(specialist, "/can-bo/xu-ly/", code)
    specialist.select_option("#id_submit_for_approval-leader", str(world.leader.pk))
    staff_act(specialist, "submit_for_approval")
    leader = signed_in(world.leader)
    staff_open(leader, "/can-bo/phe-duyet/", code)
    staff_act(leader, "approve")
    staff_open(desk, "/can-bo/ho-so/?section=ready", code)
    desk.click("#submit-return_result")
    desk.wait_for_selector("#dossier-returned")

    # The citizen sees the result returned, early (three working days, done within minutes).
    citizen.goto(f"/ho-so/{code}/")
    assert citizen.inner_text("#detail-status").lower() == "đã trả kết quả"
    assert citizen.inner_text("#detail-timeliness").lower() == "trước hạn"
    done = Dossier.objects.get(code=code)
    assert done.status == DossierStatus.RETURNED and done.returned_at <= timezone.now()
    assert [h.action for h in done.history.order_by("at", "pk")] == [
        Action.SUBMIT,
        Action.RECEIVE,
        Action.ASSIGN,
        Action.REQUEST_SUPPLEMENT,
        Action.SUPPLEMENT,
        Action.SUBMIT_FOR_APPROVAL,
        Action.APPROVE,
        Action.RETURN_RESULT,
    ]
