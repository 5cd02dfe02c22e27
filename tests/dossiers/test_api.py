"""The dossier API: submission (multipart, Idempotency-Key), list and detail within reach, one POST per
transition with 409 on conflict and 404 outside reach, file downloads, and the OpenAPI schema."""

from datetime import UTC, datetime

import time_machine
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from procedures.models import Dossier, DossierHistory

from .conftest import pdf_bytes, upload

HTML = b"<html><body>hi</body></html>"
MONDAY_9 = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def submit(world, client=None, key=None, **files):
    client = client or client_for(world.citizen)
    files = files or {"document_1": upload("Tờ khai.pdf")}
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(
        reverse("api-dossier-list"),
        {"procedure": world.procedure.code, "unit": world.unit.code, **files},
        format="multipart",
        **headers,
    )


def act(world, user, code, slug, **data):
    return client_for(user).post(reverse(f"api-dossier-{slug}", args=[code]), data, format="json")


def test_submit_online(world):
    response = submit(world)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "submitted" and body["national_status"] == "new"
    assert (body["procedure"], body["unit"]) == (world.procedure.code, world.unit.code)
    assert body["code"].startswith("H26.08.04-")
    [document] = body["documents"]
    assert (document["position"], document["name"], document["file_name"]) == (1, "Tờ khai", "Tờ khai.pdf")
    assert document["url"].endswith(
        f"/api/dossiers/{body['code']}/documents/{Dossier.objects.get().documents.get().pk}/"
    )


def test_idempotency_key(world):
    first = submit(world, key="k-1").json()["code"]
    assert submit(world, key="k-1").json()["code"] == first
    assert submit(world, key="k-2").json()["code"] != first
    assert Dossier.objects.count() == 2


def test_bad_files_are_a_400_naming_the_document_and_create_nothing(world):
    response = submit(world, document_1=upload("to-khai.pdf", HTML))
    assert response.status_code == 400
    assert response.json()["errors"][0].startswith("Tờ khai:")
    response = submit(world, document_7=upload())
    assert response.status_code == 400 and "document_7" in response.json()["detail"]
    response = submit(world, document_2=upload())  # the mandatory document is missing
    assert response.status_code == 400 and "Tờ khai" in response.json()["detail"]
    assert not Dossier.objects.exists()


def test_only_citizens_submit(world):
    assert submit(world, client=client_for(world.desk)).status_code == 403
    assert APIClient().post(reverse("api-dossier-list"), {}).status_code == 403
    assert not Dossier.objects.exists()


def test_receive_answers_the_due_time_the_due_endpoint_gives(world):
    code = submit(world).json()["code"]
    with time_machine.travel(MONDAY_9, tick=False):
        response = act(world, world.desk, code, "receive")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["received_at"] == "2026-03-09T09:00:00+07:00"
    due = APIClient().get(
        reverse("procedure-due", args=[world.procedure.code]),
        {"received_at": body["received_at"], "unit": world.unit.code},
    )
    assert body["due_at"] == due.json()["due_at"] == "2026-03-12T09:00:00+07:00"
    assert (body["status"], body["national_status"]) == ("received", "receiving")


def test_a_transition_not_allowed_is_a_409_with_the_current_status(world):
    code = submit(world).json()["code"]
    assert act(world, world.desk, code, "receive").status_code == 200
    response = act(world, world.desk, code, "receive")
    assert response.status_code == 409
    assert response.json()["current_status"] == "received"
    response = act(world, world.citizen, code, "withdraw", expected_status="submitted")
    assert (response.status_code, response.json()["current_status"]) == (409, "received")
    assert DossierHistory.objects.filter(dossier__code=code).count() == 2


def test_the_whole_way_through_the_api(world):
    code = submit(world).json()["code"]
    steps = [
        (world.desk, "receive", {}),
        (world.desk, "assign", {"assignee": world.specialist.username}),
        (world.specialist, "request-supplement", {"comment": "Thiếu bản sao CCCD"}),
    ]
    for user, slug, data in steps:
        assert act(world, user, code, slug, **data).status_code == 200, slug
    response = client_for(world.citizen).post(
        reverse("api-dossier-supplement", args=[code]), {"document_2": upload("uy-quyen.pdf")}, format="multipart"
    )
    assert (response.status_code, response.json()["status"]) == (200, "in_progress")
    for user, slug, data in [
        (world.specialist, "submit-for-approval", {}),
        (world.leader, "send-back", {"comment": "Sửa lại"}),
        (world.specialist, "submit-for-approval", {}),
        (world.leader, "approve", {}),
        (world.desk, "return-result", {}),
    ]:
        response = act(world, user, code, slug, **data)
        assert response.status_code == 200, (slug, response.json())
    body = response.json()
    assert (body["status"], body["national_status"]) == ("returned", "done")
    assert body["timeliness"] in {"early", "on_time", "late"}
    detail = client_for(world.citizen).get(reverse("api-dossier-detail", args=[code])).json()
    comments = {row["action"]: row["comment"] for row in detail["history"]}
    assert comments["request_supplement"] == "Thiếu bản sao CCCD"
    assert comments["send_back"] == ""  # an internal note, not the citizen's
    staff_detail = client_for(world.leader).get(reverse("api-dossier-detail", args=[code])).json()
    assert {row["action"]: row["comment"] for row in staff_detail["history"]}["send_back"] == "Sửa lại"


def test_guidance_then_resubmit_through_supplement(world):
    code = submit(world).json()["code"]
    assert act(world, world.desk, code, "return-for-guidance", comment="Ghi rõ địa chỉ").status_code == 200
    response = client_for(world.citizen).post(
        reverse("api-dossier-supplement", args=[code]), {"document_1": upload()}, format="multipart"
    )
    assert (response.status_code, response.json()["status"]) == (200, "submitted")


def test_bad_input_on_transitions_is_a_400(world):
    code = submit(world).json()["code"]
    assert act(world, world.desk, code, "refuse").status_code == 400  # no reason
    act(world, world.desk, code, "receive")
    assert act(world, world.desk, code, "assign", assignee="nobody").status_code == 400
    assert act(world, world.desk, code, "assign").status_code == 400
    act(world, world.desk, code, "assign", assignee=world.specialist.username)
    response = act(world, world.specialist, code, "redate", comment="x", new_due_at="not a date")
    assert response.status_code == 400 and response.json()["detail"].startswith("new_due_at")


def test_a_dossier_goes_for_approval_only_to_a_leader_of_its_unit(world):
    """Another unit's leader (even the district's) or a specialist is refused with a message; nothing moves."""
    code = submit(world).json()["code"]
    act(world, world.desk, code, "receive")
    act(world, world.desk, code, "assign", assignee=world.specialist.username)
    for wrong in (world.district_leader, world.specialist2):
        response = act(world, world.specialist, code, "submit-for-approval", leader=wrong.username)
        assert response.status_code == 400
        assert "leader of the unit" in response.json()["detail"] or "lãnh đạo" in response.json()["detail"]
    assert Dossier.objects.get(code=code).status == "in_progress"
    response = act(world, world.specialist, code, "submit-for-approval", leader=world.leader.username)
    assert response.status_code == 200 and response.json()["status"] == "awaiting_approval"


def test_reach(world):
    mine = submit(world).json()["code"]
    theirs = submit(world, client=client_for(world.other_citizen)).json()["code"]
    listed = client_for(world.citizen).get(reverse("api-dossier-list")).json()
    assert [d["code"] for d in listed["results"]] == [mine]
    assert client_for(world.citizen).get(reverse("api-dossier-detail", args=[theirs])).status_code == 404
    assert act(world, world.citizen, theirs, "withdraw").status_code == 404
    assert client_for(world.other_desk).get(reverse("api-dossier-detail", args=[mine])).status_code == 404
    assert act(world, world.other_desk, mine, "receive").status_code == 404
    assert client_for(world.other_desk).get(reverse("api-dossier-list")).json()["count"] == 0
    staff = client_for(world.desk).get(reverse("api-dossier-list"), {"status": "submitted"}).json()
    assert {d["code"] for d in staff["results"]} == {mine, theirs}
    assert client_for(world.desk).get(reverse("api-dossier-list"), {"status": "received"}).json()["count"] == 0
    assert client_for(world.desk).get(reverse("api-dossier-list"), {"status": "nope"}).status_code == 400
    assert APIClient().get(reverse("api-dossier-list")).status_code == 403


def test_file_download(world):
    body = submit(world).json()
    url = body["documents"][0]["url"]
    response = client_for(world.citizen).get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "T%E1%BB%9D%20khai.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert client_for(world.desk).get(url).status_code == 200
    assert client_for(world.other_citizen).get(url).status_code == 404
    assert client_for(world.other_desk).get(url).status_code == 404


def test_token_auth(world):
    token = Token.objects.create(user=world.citizen)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    code = submit(world, client=client).json()["code"]
    assert client.get(reverse("api-dossier-detail", args=[code])).status_code == 200


def test_list_queries_do_not_grow_with_dossiers(world, django_assert_max_num_queries):
    for _ in range(3):
        submit(world)
    client = client_for(world.desk)
    with django_assert_max_num_queries(4):
        assert client.get(reverse("api-dossier-list")).json()["count"] == 3
    for _ in range(5):
        submit(world)
    with django_assert_max_num_queries(4):
        assert client.get(reverse("api-dossier-list")).json()["count"] == 8


def test_schema_lists_the_dossier_endpoints(world):
    schema = APIClient().get(reverse("api-schema"), {"format": "json"}).json()
    paths = schema["paths"]
    assert "post" in paths["/api/dossiers/"] and "get" in paths["/api/dossiers/"]
    for slug in ("receive", "assign", "request-supplement", "supplement", "submit-for-approval", "approve"):
        assert "409" in paths[f"/api/dossiers/{{code}}/{slug}/"]["post"]["responses"]
    assert "national_status" in schema["components"]["schemas"]["Dossier"]["properties"]
