"""In-app notifications: the user's own in-app outbox rows, newest first, a sentence each in the reader's
language with a link to the page meant for them, mark as read, and the navbar's unread badge."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from procedures.domain.workflow import Action, DossierStatus
from procedures.models import OutboxEvent
from procedures.services.notifications import notifications_mark_read
from procedures.views import notifications as notification_views

MONDAY_9 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 09:00 in Hanoi, a working Monday


def sentences(html: str) -> list[str]:
    items = re.findall(r'<li class="list-group-item[^"]*" data-event="\d+">(.*?)</li>', html, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip() for item in items]


@time_machine.travel(MONDAY_9, tick=False)
def test_citizen_sees_their_events_newest_first_with_due_time(client, world):
    dossier = world.to_status(DossierStatus.RECEIVED)
    world.submit(citizen=world.other_citizen)
    client.force_login(world.citizen)
    html = client.get(reverse("notifications")).content.decode()
    rows = sentences(html)
    assert len(rows) == 2  # submitted, received; never the other citizen's
    due = timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y")
    assert rows[0].startswith(f"mới Hồ sơ {dossier.code} của bạn đã được tiếp nhận; hẹn trả kết quả lúc {due}")
    assert "đã được nộp trực tuyến" in rows[1]
    assert html.count(reverse("my_dossier_detail", args=[dossier.code])) == 2


def test_english_sentence(client, world):
    dossier = world.to_status(DossierStatus.SUPPLEMENT_REQUESTED)
    client.force_login(world.citizen)
    client.cookies["motcua_language"] = "en"
    html = client.get(reverse("notifications"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Your dossier {dossier.code} needs a supplement" in html
    assert "Reason: Lý do" in re.sub(r"\s+", " ", html)  # the request's reason, addressed to the citizen


def test_internal_comment_is_not_shown_to_the_applicant(client, world):
    dossier = world.to_status(DossierStatus.AWAITING_APPROVAL)
    world.act(world.leader, dossier, Action.SEND_BACK, comment="Ghi chú nội bộ")
    client.force_login(world.citizen)
    assert "Ghi chú nội bộ" not in client.get(reverse("notifications")).content.decode()
    client.force_login(world.specialist)  # the specialist it was sent back to reads it
    html = client.get(reverse("notifications")).content.decode()
    assert "Ghi chú nội bộ" in html and f"Hồ sơ {dossier.code} đã được trả lại cho bạn" in html


def test_staff_notifications_link_to_the_staff_dossier_page(client, world):
    """A specialist's notification opens the staff page of the dossier, never the citizen's page."""
    dossier = world.to_status(DossierStatus.IN_PROGRESS)
    client.force_login(world.specialist)
    html = client.get(reverse("notifications")).content.decode()
    assert f"Hồ sơ {dossier.code} đã được chuyển cho bạn xử lý" in html
    assert f'href="{reverse("staff_dossier_detail", args=[dossier.code])}"' in html
    assert f'href="{reverse("my_dossier_detail", args=[dossier.code])}"' not in html


def test_every_kind_has_a_sentence(world):
    dossier = world.submit()
    for action in Action:
        event = OutboxEvent(kind=action, dossier=dossier)
        text = notification_views.notification_sentence(event, for_applicant=True)
        assert dossier.code in text and "%(" not in text


def test_mark_one_and_all_read_and_the_badge(client, world):
    world.to_status(DossierStatus.IN_PROGRESS)  # submit, receive, assign: three for the citizen
    client.force_login(world.citizen)
    html = client.get(reverse("home")).content.decode()
    assert re.search(r'id="unread-badge">3<', html)
    first = OutboxEvent.objects.filter(recipient=world.citizen).order_by("created_at").first()
    response = client.post(reverse("notifications_read"), {"event": first.pk})
    assert response.status_code == 302 and response["Location"] == reverse("notifications")
    assert re.search(r'id="unread-badge">2<', client.get(reverse("notifications")).content.decode())
    client.post(reverse("notifications_read"))
    html = client.get(reverse("notifications")).content.decode()
    assert "unread-badge" not in html and "mark-all-read" in html
    assert not OutboxEvent.objects.filter(recipient=world.citizen, read_at__isnull=True).exists()


def test_another_users_events_are_never_touched(client, world):
    world.submit()
    theirs = world.submit(citizen=world.other_citizen)
    event = OutboxEvent.objects.get(dossier=theirs)
    client.force_login(world.citizen)
    client.post(reverse("notifications_read"), {"event": event.pk})
    client.post(reverse("notifications_read"))
    event.refresh_from_db()
    assert event.read_at is None
    assert notifications_mark_read(user=world.other_citizen, event_ids=[event.pk]) == 1
    assert notifications_mark_read(user=world.other_citizen, event_ids=[event.pk]) == 0  # twice: no change


def test_badge_costs_one_query_and_none_for_visitors(client, world, django_assert_num_queries):
    world.submit()
    with django_assert_num_queries(0):
        client.get(reverse("lookup"))
    client.force_login(world.citizen)
    client.get(reverse("lookup"))
    with django_assert_num_queries(3):  # session, user, the unread count
        html = client.get(reverse("lookup")).content.decode()
    assert re.search(r'id="unread-badge">1<', html)


def test_notifications_page_queries_do_not_grow(client, world, django_assert_max_num_queries):
    world.submit()
    client.force_login(world.citizen)
    client.get(reverse("notifications"))
    with django_assert_max_num_queries(6) as few:
        client.get(reverse("notifications"))
    for _ in range(4):
        world.to_status(DossierStatus.IN_PROGRESS)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("notifications")).content.decode()
    assert len(sentences(html)) == 13


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_login(client, method):
    response = getattr(client, method)(reverse("notifications"))
    if method == "post":
        response = client.post(reverse("notifications_read"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_mark_read_needs_post(client, world):
    client.force_login(world.citizen)
    assert client.get(reverse("notifications_read")).status_code == 405
