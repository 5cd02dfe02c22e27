"""Staff journeys in headless Chromium through the real pages: a desk officer receives a paper dossier in
person, hands it to a specialist, who sends it for approval; the leader approves; the desk returns the result.
And the no-wait fast track from the citizen's arrival to the result, for a citizen without an account."""

from __future__ import annotations

import pytest

from portal.accounts.models import User
from procedures.domain.workflow import DossierStatus
from procedures.models import Dossier
from tests.factories import ProcedureFactory, RequiredDocumentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_dossier(page, queue_path: str, code: str):
    page.goto(queue_path)
    page.click(f"tr[data-code='{code}'] a")
    page.wait_for_selector("#dossier-status")


def test_receive_in_person_hand_over_approve_and_return(world, signed_in):
    desk = signed_in(world.desk)
    desk.goto("/")
    desk.click("#nav-receive")
    desk.fill("#procedure-q", world.procedure.name)
    desk.click("#procedure-search-submit")
    desk.click(f"a.procedure-choice[data-code='{world.procedure.code}']")
    desk.fill("#id_applicant-identifier", world.citizen.phone)
    desk.click("#find-citizen")
    desk.wait_for_selector("#citizen-found")
    assert world.citizen.full_name in desk.inner_text("#citizen-found")
    # The mandatory document is told apart from the conditional one.
    assert desk.locator("tr.doc-mandatory").count() == 1 and desk.locator("tr.doc-conditional").count() == 1
    desk.check(f"#id_doc_{world.mandatory.pk}")
    desk.click("#receive-submit")
    desk.wait_for_selector("#dossier-status")
    dossier = Dossier.objects.get(channel="desk")
    assert dossier.code in desk.inner_text("#page-heading")
    assert dossier.status == DossierStatus.RECEIVED and dossier.applicant == world.citizen
    # The receipt and appointment slip is ready to print from the page.
    assert desk.locator("#dossier-slips .slip-print").count() == 1
    desk.select_option("#id_assign-assignee", str(world.specialist.pk))
    desk.click("#submit-assign")
    desk.wait_for_selector(".alert-success")
    assert world.specialist.full_name in desk.inner_text("#dossier-assignee")

    specialist = signed_in(world.specialist)
    open_dossier(specialist, "/can-bo/xu-ly/", dossier.code)
    specialist.select_option("#id_submit_for_approval-leader", str(world.leader.pk))
    specialist.click("#submit-submit_for_approval")
    specialist.wait_for_selector(".alert-success")

    leader = signed_in(world.leader)
    open_dossier(leader, "/can-bo/phe-duyet/", dossier.code)
    leader.click("#submit-approve")
    leader.wait_for_selector("#dossier-timeliness")
    assert leader.locator("#access-log .access-row").count() >= 3  # desk, specialist, leader looked

    open_dossier(desk, "/can-bo/ho-so/?section=ready", dossier.code)
    desk.click("#submit-return_result")
    desk.wait_for_selector("#dossier-returned")
    assert desk.locator("#no-actions").is_visible()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED and dossier.timeliness == "early"
    assert dossier.control_slip.count() == 5


def test_no_wait_from_arrival_to_result_for_a_new_citizen(world, signed_in):
    procedure = ProcedureFactory(quick=True, name="Chứng thực bản sao từ bản chính")
    document = RequiredDocumentFactory(procedure=procedure, position=1, name="Bản chính giấy tờ")
    desk = signed_in(world.desk)
    desk.goto("/can-bo/ho-so/")
    desk.click("#no-wait-link")
    desk.click(f"a.procedure-choice[data-code='{procedure.code}']")
    desk.fill("#id_applicant-full_name", "Phạm Thị Lan")
    desk.fill("#id_applicant-phone", "0977 123 456")
    desk.check(f"#id_doc_{document.pk}")
    desk.click("#receive-submit")
    desk.wait_for_selector("#no-wait-complete-submit")
    assert desk.locator("#no-wait-arrived").is_visible()
    desk.click("#no-wait-complete-submit")
    desk.wait_for_selector("#no-wait-within")
    assert "phút" in desk.inner_text("#no-wait-elapsed")
    assert desk.locator("#no-wait-complete-submit").count() == 0
    dossier = Dossier.objects.get(procedure=procedure)
    assert dossier.status == DossierStatus.RETURNED and dossier.arrived_at <= dossier.received_at
    assert dossier.applicant == User.objects.get(phone="0977123456")
