"""The apology letter page: the responsible officer fills in the drafted letter (reason, new due time in Vietnam
time) once; others are refused; the printed apology then shows among the dossier's papers."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from procedures.domain.workflow import Action, DossierStatus
from procedures.models import ApologyDraft, Dossier, IssuedDocument
from procedures.services.deadline_sweep import deadline_sweep

MONDAY_10 = datetime(2026, 3, 9, 3, 0, tzinfo=UTC)
WEDNESDAY_1030 = datetime(2026, 3, 11, 3, 30, tzinfo=UTC)


@pytest.fixture
def drafted(world):
    with time_machine.travel(MONDAY_10, tick=False):
        dossier = world.to_status(DossierStatus.IN_PROGRESS)  # due Thursday 10:00 Vietnam time
    with time_machine.travel(WEDNESDAY_1030, tick=False):
        deadline_sweep()
    return ApologyDraft.objects.get(dossier=dossier)


def url(apology):
    return reverse("apology_letter", args=[apology.dossier.code])


def post(client, apology, *, due="17/03/2026 10:00", reason="Chờ kết quả xác minh của công an phường"):
    data = {"redate-expected_status": apology.dossier.status, "redate-new_due_at": due, "redate-comment": reason}
    with time_machine.travel(WEDNESDAY_1030, tick=False):
        return client.post(url(apology), data)


def test_the_officer_finds_the_letter_on_the_watch_page_and_the_dossier_page(client, world, drafted):
    client.force_login(world.specialist)
    with time_machine.travel(WEDNESDAY_1030, tick=False):
        watch = client.get(reverse("deadline_watch")).content.decode()
        page = client.get(reverse("staff_dossier_detail", args=[drafted.dossier.code])).content.decode()
    assert 'id="my-apologies"' in watch and url(drafted) in watch
    assert 'id="apology-link"' in page and url(drafted) in page
    client.force_login(world.desk)  # not the responsible officer: no reminder
    with time_machine.travel(WEDNESDAY_1030, tick=False):
        assert 'id="my-apologies"' not in client.get(reverse("deadline_watch")).content.decode()
        assert (
            url(drafted)
            not in client.get(reverse("staff_dossier_detail", args=[drafted.dossier.code])).content.decode()
        )


def test_issuing_re_dates_the_dossier_once_and_prints_the_apology(client, world, drafted):
    client.force_login(world.specialist)
    response = post(client, drafted)
    assert response.status_code == 302 and response["Location"] == reverse(
        "staff_dossier_detail", args=[drafted.dossier.code]
    )
    dossier = Dossier.objects.get(pk=drafted.dossier_id)
    assert dossier.redated_due_at == datetime(2026, 3, 17, 3, 0, tzinfo=UTC)  # 10:00 Vietnam time
    assert dossier.redate_reason == "Chờ kết quả xác minh của công an phường"
    drafted.refresh_from_db()
    assert drafted.issued_at is not None
    assert IssuedDocument.objects.filter(dossier=dossier, kind="apology").count() == 1
    with time_machine.travel(WEDNESDAY_1030, tick=False):
        page = client.get(reverse("staff_dossier_detail", args=[dossier.code]))
        slips = [slip.kind for slip in page.context["slips"]]
        watch = client.get(reverse("deadline_watch")).content.decode()
    assert "apology" in slips and 'id="apology-link"' not in page.content.decode()
    assert 'id="my-apologies"' not in watch
    again = post(client, drafted, due="20/03/2026 10:00", reason="Lần hai")
    assert again.status_code == 409 and "chỉ được hẹn lại ngày trả một lần" in again.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).redated_due_at == datetime(2026, 3, 17, 3, 0, tzinfo=UTC)
    with time_machine.travel(WEDNESDAY_1030, tick=False):
        assert 'id="apology-issued"' in client.get(url(drafted)).content.decode()


@pytest.mark.parametrize(
    ("due", "reason", "message"),
    [
        ("12/03/2026 09:00", "Lý do", "phải sau hạn hiện tại"),
        ("ngày mai", "Lý do", "Nhập ngày và giờ"),
        ("17/03/2026 10:00", "", "Trường này là bắt buộc"),
    ],
)
def test_bad_input_is_explained_and_nothing_changes(client, world, drafted, due, reason, message):
    client.force_login(world.specialist)
    response = post(client, drafted, due=due, reason=reason)
    assert response.status_code == 400 and message in response.content.decode()
    assert Dossier.objects.get(pk=drafted.dossier_id).redated_at is None
    drafted.refresh_from_db()
    assert drafted.issued_at is None


def test_who_may_open_it(client, world, drafted):
    for user, status in ((world.desk, 403), (world.leader, 403), (world.other_desk, 404), (world.citizen, 403)):
        client.force_login(user)
        assert client.get(url(drafted)).status_code == status, user
        assert post(client, drafted).status_code == status, user
    assert Dossier.objects.get(pk=drafted.dossier_id).redated_at is None
    client.force_login(world.specialist)
    with time_machine.travel(WEDNESDAY_1030, tick=False):
        assert client.get(url(drafted)).status_code == 200
        other = world.to_status(DossierStatus.IN_PROGRESS)  # no draft: nothing to fill in
        assert client.get(reverse("apology_letter", args=[other.code])).status_code == 404


def test_a_dossier_re_dated_from_its_page_leaves_nothing_to_fill_in(client, world, drafted):
    with time_machine.travel(WEDNESDAY_1030, tick=False):
        world.act(world.leader, drafted.dossier, Action.REDATE, new_due_at=datetime(2026, 3, 17, 3, tzinfo=UTC))
        client.force_login(world.specialist)
        assert 'id="my-apologies"' not in client.get(reverse("deadline_watch")).content.decode()
        assert 'id="apology-issued"' in client.get(url(drafted)).content.decode()
