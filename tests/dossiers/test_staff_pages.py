"""Staff pages: the desk's work queue (sections, filters, constant queries), the specialist's and leader's
queues, the staff dossier page with its action forms (stale pages, bad input, reach and roles), and the
receipt in person (find or open the citizen's account, the checklist)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Role, User
from procedures.domain.workflow import RECEIVED_STATUSES, Action, Channel, DossierStatus
from procedures.models import Dossier, DossierHistory
from procedures.selectors.work_queues import desk_queue, due_soon_until

from .conftest import upload

pytestmark = pytest.mark.django_db
S = DossierStatus


def client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def english(client):
    """Pages in English for the assertions on messages (the site's default is Vietnamese)."""
    client.cookies["motcua_language"] = "en"


def codes(response) -> list[str]:
    return [d.code for d in response.context["page_obj"].object_list]


def bulk_dossiers(world, count: int, *, start: int = 1, status=S.RECEIVED, due_in=timedelta(days=3)):
    """Rows straight into the table (the queue's query count is what is measured, not the services)."""
    now = timezone.now()
    received = status in RECEIVED_STATUSES
    Dossier.objects.bulk_create(
        Dossier(
            code=f"{world.unit.code}-200101-{start + i:04d}",
            procedure=world.procedure,
            unit=world.unit,
            applicant=world.citizen if i % 2 else world.other_citizen,
            channel=Channel.ONLINE,
            status=status,
            submitted_at=now - timedelta(minutes=i),
            received_at=now if received else None,
            due_at=now + due_in if received else None,
            assigned_to=world.specialist if status == S.IN_PROGRESS else None,
        )
        for i in range(count)
    )


# --- desk queue -------------------------------------------------------------------------------------------


def test_each_section_holds_what_its_name_says(world, client):
    new = world.to_status(S.SUBMITTED)
    ready = world.to_status(S.DONE)
    received = world.to_status(S.RECEIVED)
    # Due within the window (the procedure's deadline is 3 working days; move the due time near).
    soon = world.to_status(S.IN_PROGRESS)
    Dossier.objects.filter(pk=soon.pk).update(due_at=timezone.now() + timedelta(minutes=30))
    late = world.to_status(S.IN_PROGRESS)
    Dossier.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    returned = world.to_status(S.RETURNED)  # closed: in no section
    client_for(client, world.desk)
    url = reverse("dossier_desk_queue")

    assert codes(client.get(url, {"section": "new"})) == [new.code]
    assert codes(client.get(url, {"section": "ready"})) == [ready.code]
    assert codes(client.get(url, {"section": "overdue"})) == [late.code]
    assert soon.code in codes(client.get(url, {"section": "due_soon"}))
    assert received.code not in codes(client.get(url, {"section": "due_soon"}))
    everything = codes(client.get(url))
    assert returned.code not in everything
    assert {new.code, ready.code, received.code, soon.code, late.code} <= set(everything)
    counts = dict((s.key, n) for s, n in client.get(url).context["sections"])
    assert counts["new"] == 1 and counts["ready"] == 1 and counts["overdue"] == 1


def test_a_redated_dossier_is_due_at_its_new_date(world, client):
    d = world.to_status(S.IN_PROGRESS)
    Dossier.objects.filter(pk=d.pk).update(
        due_at=timezone.now() - timedelta(hours=1),
        redated_at=timezone.now(),
        redated_due_at=timezone.now() + timedelta(days=30),
        redate_reason="Chờ xác minh",
    )
    client_for(client, world.desk)
    assert d.code not in codes(client.get(reverse("dossier_desk_queue"), {"section": "overdue"}))


def test_answered_supplements_are_those_not_handled_since(world, client):
    d = world.to_status(S.SUPPLEMENT_REQUESTED)
    d = world.act(world.citizen, d, Action.SUPPLEMENT)
    client_for(client, world.desk)
    url = reverse("dossier_desk_queue")
    assert codes(client.get(url, {"section": "supplemented"})) == [d.code]
    world.act(world.specialist, d, Action.SUBMIT_FOR_APPROVAL)
    assert codes(client.get(url, {"section": "supplemented"})) == []
    # A dossier merely in progress (never supplemented) is not an answered supplement.
    world.to_status(S.IN_PROGRESS)
    assert codes(client.get(url, {"section": "supplemented"})) == []


def test_due_soon_window_is_working_time_from_settings(world, settings):
    settings.DOSSIER_DUE_SOON_WORKING_HOURS = 8
    # Friday 16:00 in Hà Nội: eight working hours later is Monday afternoon, not Saturday midnight.
    friday = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    until = due_soon_until(world.unit, friday)
    assert until.astimezone(timezone.get_current_timezone()).weekday() == 0


def test_filters_by_status_procedure_and_search(world, client):
    received = world.to_status(S.RECEIVED)
    new = world.to_status(S.SUBMITTED)
    other = world.submit(citizen=world.other_citizen)
    client_for(client, world.desk)
    url = reverse("dossier_desk_queue")
    assert codes(client.get(url, {"status": "received"})) == [received.code]
    assert set(codes(client.get(url, {"procedure": world.procedure.code}))) >= {received.code, new.code}
    assert codes(client.get(url, {"q": received.code})) == [received.code]
    phone = world.other_citizen.phone
    spaced = f"{phone[:4]} {phone[4:7]} {phone[7:]}"
    assert codes(client.get(url, {"q": spaced})) == [other.code]
    assert codes(client.get(url, {"q": "+84" + phone[1:]})) == [other.code]


def test_a_bad_filter_is_a_400_naming_it(world, client, english):
    client_for(client, world.desk)
    response = client.get(reverse("dossier_desk_queue"), {"status": "bogus"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("section", ["all", "new", "due_soon", "supplemented", "overdue"])
def test_queue_queries_do_not_grow_with_rows(world, client, section, django_assert_max_num_queries):
    status = S.SUBMITTED if section == "new" else S.RECEIVED
    due = timedelta(minutes=-5) if section == "overdue" else timedelta(minutes=30)
    bulk_dossiers(world, 5, status=status, due_in=due)
    client_for(client, world.desk)
    url = reverse("dossier_desk_queue")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, {"section": section}).status_code == 200
    baseline = len(few)  # read now: later requests reset the connection's query log
    bulk_dossiers(world, 45, start=100, status=status, due_in=due)
    with django_assert_max_num_queries(baseline):
        response = client.get(url, {"section": section})
    assert response.status_code == 200


def test_queue_is_paginated(world, client):
    bulk_dossiers(world, 30)
    client_for(client, world.desk)
    first = client.get(reverse("dossier_desk_queue"))
    second = client.get(reverse("dossier_desk_queue"), {"page": 2})
    assert len(codes(first)) == 25 and len(codes(second)) == 5
    assert not set(codes(first)) & set(codes(second))


def test_queue_shows_only_the_own_units_dossiers(world, client):
    mine = world.to_status(S.SUBMITTED)
    client_for(client, world.other_desk)
    assert mine.code not in codes(client.get(reverse("dossier_desk_queue")))


def test_the_queue_plan_uses_an_index_on_open_dossiers(world):
    """On a big table the unit's open dossiers are read through a partial index, not a full scan."""
    bulk_dossiers(world, 20)
    bulk_dossiers(world, 3000, start=1000, status=S.REFUSED)  # most dossiers of a unit are closed
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE procedures_dossier")
        cursor.execute("SET enable_seqscan = off")
        queryset, _counts = desk_queue(world.desk)
        sql, params = queryset[:25].query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    # Either index narrows the read to the unit's open dossiers (the planner picks by cost, which moves with
    # the other indexes on the table); what must never happen is reading the unit's closed dossiers too.
    assert "Seq Scan on procedures_dossier" not in plan, plan
    assert "dossier_open_by_unit_due" in plan or (
        "dossier_by_unit_status_newest" in plan and "status)::text = ANY" in plan
    ), plan


# --- specialist and leader queues -------------------------------------------------------------------------


def test_specialist_queue_holds_what_is_handed_to_them(world, client):
    mine = world.to_status(S.IN_PROGRESS)
    sent_back = world.to_status(S.AWAITING_APPROVAL)
    sent_back = world.act(world.leader, sent_back, Action.SEND_BACK)
    waiting = world.to_status(S.AWAITING_APPROVAL)
    client_for(client, world.specialist)
    listed = codes(client.get(reverse("dossier_specialist_queue")))
    assert set(listed) == {mine.code, sent_back.code}
    assert waiting.code not in listed
    client_for(client, world.specialist2)
    assert codes(client.get(reverse("dossier_specialist_queue"))) == []


def test_leader_queue_covers_the_subtree(world, client):
    waiting = world.to_status(S.AWAITING_APPROVAL)
    world.to_status(S.IN_PROGRESS)
    client_for(client, world.leader)
    assert codes(client.get(reverse("dossier_leader_queue"))) == [waiting.code]
    client_for(client, world.district_leader)
    assert codes(client.get(reverse("dossier_leader_queue"))) == [waiting.code]


def test_specialist_and_leader_queue_queries_are_constant(world, client, django_assert_max_num_queries):
    bulk_dossiers(world, 5, status=S.IN_PROGRESS)
    client_for(client, world.specialist)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("dossier_specialist_queue"))
    baseline = len(few)  # read now: later requests reset the connection's query log
    bulk_dossiers(world, 45, start=100, status=S.IN_PROGRESS)
    with django_assert_max_num_queries(baseline):
        assert len(codes(client.get(reverse("dossier_specialist_queue")))) == 25


# --- the staff dossier page -------------------------------------------------------------------------------


def detail(code):
    return reverse("staff_dossier_detail", args=[code])


def post_action(client, dossier, action, **data):
    payload = {"action": action, f"{action}-expected_status": data.pop("expected_status", dossier.status)}
    payload.update({f"{action}-{k}": v for k, v in data.items()})
    return client.post(detail(dossier.code), payload)


def test_page_shows_applicant_documents_slip_and_history(world, client):
    d = world.to_status(S.IN_PROGRESS)
    client_for(client, world.desk)
    response = client.get(detail(d.code))
    html = response.content.decode()
    assert response.status_code == 200
    assert world.citizen.full_name in html and world.citizen.phone in html
    assert reverse("staff_dossier_document", args=[d.code, d.documents.get().pk]) in html
    assert len(response.context["control_slip"]) == 2
    assert [h.action for h in response.context["history"]] == [Action.SUBMIT, Action.RECEIVE, Action.ASSIGN]
    # The receipt issued at the desk's receipt can be printed from the page, and the control slip on demand.
    assert [slip.kind for slip in response.context["slips"]] == ["receipt"]
    assert reverse("slip_download", args=[d.code, response.context["slips"][0].id]) in html
    assert reverse("control_slip_print", args=[d.code]) in html


def test_forms_offered_are_the_allowed_actions_of_the_user(world, client):
    def offered(user, dossier):
        client_for(client, user)
        return {f.action for f in client.get(detail(dossier.code)).context["forms"]}

    new = world.to_status(S.SUBMITTED)
    assert offered(world.desk, new) == {Action.RECEIVE, Action.RETURN_FOR_GUIDANCE, Action.REFUSE}
    assert offered(world.specialist, new) == set()
    progress = world.to_status(S.IN_PROGRESS)
    assert offered(world.specialist, progress) == {
        Action.REQUEST_SUPPLEMENT,
        Action.SUBMIT_FOR_APPROVAL,
        Action.FINISH,
        Action.REDATE,
    }
    assert offered(world.specialist2, progress) == {Action.REDATE}  # not handed to them
    waiting = world.to_status(S.AWAITING_APPROVAL)
    assert offered(world.leader, waiting) == {Action.APPROVE, Action.SEND_BACK, Action.REFUSE, Action.REDATE}
    assert offered(world.desk, world.to_status(S.DONE)) == {Action.RETURN_RESULT}


def test_the_whole_way_through_the_page(world, client):
    d = world.to_status(S.SUBMITTED)
    client_for(client, world.desk)
    assert post_action(client, d, "receive").status_code == 302
    d.refresh_from_db()
    assert d.status == S.RECEIVED and d.due_at is not None
    assert post_action(client, d, "assign", assignee=world.specialist.pk).status_code == 302
    d.refresh_from_db()
    client_for(client, world.specialist)
    assert post_action(client, d, "submit_for_approval", leader=world.leader.pk).status_code == 302
    d.refresh_from_db()
    client_for(client, world.leader)
    assert post_action(client, d, "send_back", comment="Bổ sung chữ ký").status_code == 302
    d.refresh_from_db()
    client_for(client, world.specialist)
    post_action(client, d, "submit_for_approval")
    d.refresh_from_db()
    client_for(client, world.leader)
    assert post_action(client, d, "approve").status_code == 302
    d.refresh_from_db()
    client_for(client, world.desk)
    response = post_action(client, d, "return_result")
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == S.RETURNED and d.timeliness
    assert DossierHistory.objects.filter(dossier=d, action=Action.SEND_BACK, comment="Bổ sung chữ ký").exists()


def test_a_stale_page_gets_the_conflict_and_nothing_changes(world, client, english):
    d = world.to_status(S.SUBMITTED)
    world.act(world.desk, d, Action.RECEIVE)
    client_for(client, world.desk)
    response = post_action(client, d, "refuse", expected_status=S.SUBMITTED, comment="Thiếu giấy tờ")
    assert response.status_code == 409
    assert "reload it and try again" in response.content.decode()
    d.refresh_from_db()
    assert d.status == S.RECEIVED
    assert DossierHistory.objects.filter(dossier=d).count() == 2


def test_a_reason_is_required_and_the_page_says_so(world, client, english):
    d = world.to_status(S.SUBMITTED)
    client_for(client, world.desk)
    response = post_action(client, d, "refuse", comment="")
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    d.refresh_from_db()
    assert d.status == S.SUBMITTED


def test_request_supplement_names_the_documents(world, client):
    d = world.to_status(S.IN_PROGRESS)
    client_for(client, world.specialist)
    response = post_action(client, d, "request_supplement", documents=[world.mandatory.pk], comment="Ảnh mờ")
    assert response.status_code == 302
    row = DossierHistory.objects.filter(dossier=d, action=Action.REQUEST_SUPPLEMENT).get()
    assert world.mandatory.name in row.comment and "Ảnh mờ" in row.comment


def test_redate_reads_vietnam_time(world, client):
    d = world.to_status(S.IN_PROGRESS)
    local = (d.due_at + timedelta(days=2)).astimezone(timezone.get_current_timezone())
    client_for(client, world.specialist)
    response = post_action(client, d, "redate", new_due_at=local.strftime("%Y-%m-%dT%H:%M"), comment="Chờ xác minh")
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.redated_due_at == local.replace(second=0, microsecond=0)
    client.get(detail(d.code))
    assert Action.REDATE not in {f.action for f in client.get(detail(d.code)).context["forms"]}


def test_redate_refuses_an_earlier_date(world, client, english):
    d = world.to_status(S.IN_PROGRESS)
    client_for(client, world.specialist)
    earlier = (d.due_at - timedelta(hours=1)).astimezone(timezone.get_current_timezone())
    response = post_action(client, d, "redate", new_due_at=earlier.strftime("%Y-%m-%dT%H:%M"), comment="x")
    assert response.status_code == 400
    assert "must be later than the current one" in response.content.decode()


def test_assign_only_to_the_units_specialists(world, client, english):
    d = world.to_status(S.RECEIVED)
    outsider = User.objects.create(username="sx", role=Role.SPECIALIST, unit=world.other_unit, full_name="X")
    client_for(client, world.desk)
    response = post_action(client, d, "assign", assignee=outsider.pk)
    assert response.status_code == 400
    d.refresh_from_db()
    assert d.status == S.RECEIVED


def test_reach_and_roles(world, client):
    d = world.to_status(S.SUBMITTED)
    client_for(client, world.other_desk)
    assert client.get(detail(d.code)).status_code == 404
    assert post_action(client, d, "receive").status_code == 404
    client_for(client, world.citizen)
    assert client.get(detail(d.code)).status_code == 403
    client_for(client, world.specialist)
    assert client.get(detail(d.code)).status_code == 200
    assert post_action(client, d, "receive").status_code == 403
    assert client.post(detail(d.code), {"action": "nonsense"}).status_code == 400
    d.refresh_from_db()
    assert d.status == S.SUBMITTED


def test_staff_file_download_is_an_attachment(world, client):
    d = world.to_status(S.SUBMITTED)
    document = d.documents.get()
    client_for(client, world.desk)
    response = client.get(reverse("staff_dossier_document", args=[d.code, document.pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    client_for(client, world.other_desk)
    assert client.get(reverse("staff_dossier_document", args=[d.code, document.pk])).status_code == 404


def test_detail_queries_do_not_grow_with_history(world, client, django_assert_max_num_queries):
    d = world.to_status(S.IN_PROGRESS)
    client_for(client, world.leader)
    with CaptureQueriesContext(connection) as few:
        response = client.get(detail(d.code))
    baseline = len(few)  # read now: later requests reset the connection's query log
    assert response.status_code == 200, response.status_code
    for _ in range(3):
        d = world.act(world.specialist, d, Action.SUBMIT_FOR_APPROVAL)
        d = world.act(world.leader, d, Action.SEND_BACK)
    client.get(detail(d.code))
    with django_assert_max_num_queries(baseline):
        client.get(detail(d.code))


# --- receive in person ------------------------------------------------------------------------------------


RECEIVE = "/can-bo/tiep-nhan/"


def receive_data(world, **applicant):
    data = {"procedure": world.procedure.code, "intent": "receive", f"doc_{world.mandatory.pk}": "on"}
    data.update({f"applicant-{k}": v for k, v in applicant.items()})
    return data


def test_procedure_search_lists_what_the_unit_receives(world, client):
    client_for(client, world.desk)
    response = client.get(RECEIVE, {"q": world.procedure.name[:6]})
    assert response.status_code == 200
    assert world.procedure in response.context["page_obj"].object_list
    assert client.get(RECEIVE, {"procedure": "9.999999"}).status_code == 404


def test_receive_for_an_existing_citizen_found_by_phone_or_cccd(world, client):
    client_for(client, world.desk)
    phone = world.citizen.phone
    response = client.post(RECEIVE, receive_data(world, identifier=f"+84 {phone[1:4]} {phone[4:]}"))
    assert response.status_code == 302
    dossier = Dossier.objects.get(channel=Channel.DESK)
    assert dossier.applicant == world.citizen and dossier.status == S.RECEIVED and dossier.due_at
    assert response["Location"] == detail(dossier.code)

    world.other_citizen.cccd = "001099012345"
    world.other_citizen.save()
    response = client.post(RECEIVE, receive_data(world, identifier="001 099 012 345"))
    assert Dossier.objects.filter(channel=Channel.DESK, applicant=world.other_citizen).count() == 1


def test_find_shows_the_citizen_without_receiving(world, client):
    client_for(client, world.desk)
    data = receive_data(world, identifier=world.citizen.phone)
    data["intent"] = "find"
    response = client.post(RECEIVE, data)
    assert response.status_code == 200
    assert response.context["found"] == world.citizen
    assert not Dossier.objects.filter(channel=Channel.DESK).exists()


def test_receive_opens_an_account_for_a_new_citizen(world, client):
    client_for(client, world.desk)
    response = client.post(
        RECEIVE, receive_data(world, full_name="  Lê   Thị  Hoa ", phone="0977 111 222", cccd="001199000111")
    )
    assert response.status_code == 302
    citizen = User.objects.get(phone="0977111222")
    assert citizen.role == Role.CITIZEN and citizen.full_name == "Lê Thị Hoa" and not citizen.has_usable_password()
    assert Dossier.objects.get(channel=Channel.DESK).applicant == citizen


def test_a_refused_receipt_opens_no_account(world, client, english):
    client_for(client, world.desk)
    data = receive_data(world, full_name="Lê Thị Hoa", phone="0977111222")
    del data[f"doc_{world.mandatory.pk}"]  # the mandatory document is missing
    response = client.post(RECEIVE, data)
    assert response.status_code == 400
    assert "this document is required" in response.content.decode()
    assert not User.objects.filter(phone="0977111222").exists()
    assert not Dossier.objects.filter(channel=Channel.DESK).exists()


def test_unknown_identifier_without_details_says_what_to_do(world, client, english):
    client_for(client, world.desk)
    response = client.post(RECEIVE, receive_data(world, identifier="0966000000"))
    assert response.status_code == 400
    assert "open one below" in response.content.decode()


def test_an_existing_phone_cannot_open_a_second_account(world, client, english):
    client_for(client, world.desk)
    response = client.post(RECEIVE, receive_data(world, full_name="Ai Đó", phone=world.citizen.phone))
    assert response.status_code == 400
    assert User.objects.filter(phone=world.citizen.phone).count() == 1


def test_receive_with_a_scan_and_a_bad_scan(world, client, english):
    client_for(client, world.desk)
    data = receive_data(world, identifier=world.citizen.phone)
    data[f"scan_{world.mandatory.pk}"] = upload("to-khai.pdf")
    assert client.post(RECEIVE, data).status_code == 302
    assert Dossier.objects.get(channel=Channel.DESK).documents.exclude(file="").count() == 1
    data = receive_data(world, identifier=world.citizen.phone)
    data[f"scan_{world.mandatory.pk}"] = upload("fake.pdf", b"<html>not a pdf</html>")
    response = client.post(RECEIVE, data)
    assert response.status_code == 400
    assert Dossier.objects.filter(channel=Channel.DESK).count() == 1


def test_the_home_page_and_menu_lead_to_the_queues(world, client):
    client_for(client, world.desk)
    html = client.get("/").content.decode()
    assert reverse("dossier_desk_queue") in html and RECEIVE in html
    client_for(client, world.specialist)
    assert reverse("dossier_specialist_queue") in client.get("/").content.decode()
    client_for(client, world.leader)
    assert reverse("dossier_leader_queue") in client.get("/").content.decode()


@time_machine.travel("2026-11-20 09:00 +0700", tick=False)
def test_due_soon_counts_working_hours_only(world, client, settings):
    settings.DOSSIER_DUE_SOON_WORKING_HOURS = 2
    d = world.to_status(S.IN_PROGRESS)
    # Due at 16:00 today: 7 wall-clock hours but 6 working hours away (lunch 12–13), beyond the 2-hour window.
    Dossier.objects.filter(pk=d.pk).update(due_at=timezone.now() + timedelta(hours=7))
    client_for(client, world.desk)
    assert codes(client.get(reverse("dossier_desk_queue"), {"section": "due_soon"})) == []
    Dossier.objects.filter(pk=d.pk).update(due_at=timezone.now() + timedelta(hours=1, minutes=30))
    assert codes(client.get(reverse("dossier_desk_queue"), {"section": "due_soon"})) == [d.code]


def test_leader_queue_queries_are_constant(world, client, django_assert_max_num_queries):
    bulk_dossiers(world, 5, status=S.AWAITING_APPROVAL)
    client_for(client, world.district_leader)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("dossier_leader_queue"))
    baseline = len(few)  # read now: later requests reset the connection's query log
    bulk_dossiers(world, 45, start=100, status=S.AWAITING_APPROVAL)
    with django_assert_max_num_queries(baseline):
        assert len(codes(client.get(reverse("dossier_leader_queue")))) == 25
