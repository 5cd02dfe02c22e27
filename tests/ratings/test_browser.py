"""The rating journey in headless Chromium: a returned dossier's e-mail link → rate → thank you; and the
code + phone path from the public page. Vietnamese, as a citizen sees it."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from procedures.domain.workflow import Action
from procedures.models import OutboxEvent, Rating
from procedures.services import notifications
from procedures.services.notifications import outbox_deliver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mailed(world, monkeypatch, settings, live_server):
    """E-mails are delivered by hand; their rating links point to the live server."""
    monkeypatch.setattr(notifications, "_enqueue", lambda ids: None)
    settings.RATING_URL = live_server.url + "/danh-gia/{code}/?k={token}"
    world.citizen.email = "dan@example.vn"
    world.citizen.save()
    return world


def test_the_emailed_link_opens_the_form_and_a_rating_is_given(page, mailed):
    world = mailed
    dossier = world.to_status("returned")
    event = OutboxEvent.objects.get(dossier=dossier, kind=Action.RETURN_RESULT, channel="email")
    outbox_deliver(event_id=event.pk)
    link = re.search(r"http://\S+/danh-gia/\S+", mail.outbox[-1].body).group(0)

    page.goto(link)
    assert page.inner_text("h1") == "Đánh giá mức độ hài lòng"
    assert dossier.code in page.inner_text("main")
    # Dissatisfied without a reason: the summary says why, the choice is kept, nothing saved.
    page.get_by_label("Không hài lòng").check()
    page.get_by_role("group", name="Thái độ, tác phong của cán bộ").get_by_label("0 — kém").check()
    page.click("#rating-submit")
    page.wait_for_selector("#form-errors")
    assert "cần ghi lý do" in page.inner_text("#form-errors")
    assert page.get_by_label("Không hài lòng").is_checked()
    assert not Rating.objects.exists()

    page.get_by_label("Lý do").fill("Phải đi lại hai lần vì thiếu hướng dẫn")
    page.click("#rating-submit")
    page.wait_for_selector("#rating-thanks")
    assert page.inner_text("h1") == "Cảm ơn ông/bà đã đánh giá"
    assert "Không hài lòng" in page.inner_text("#rating-given")
    rating = Rating.objects.get()
    assert (rating.level, rating.reason, rating.criteria) == (
        "dissatisfied",
        "Phải đi lại hai lần vì thiếu hướng dẫn",
        {"staff_attitude": 0},
    )

    # The link again: the rating given, not the form.
    page.goto(link)
    assert page.locator("#rating-already").is_visible()
    assert page.locator("#rating-form").count() == 0


def test_code_and_phone_from_the_public_page(page, mailed):
    world = mailed
    dossier = world.to_status("refused")
    page.goto("/danh-gia/")
    page.get_by_label("Mã hồ sơ").fill(dossier.code)
    page.get_by_label("Số điện thoại của người nộp hồ sơ").fill("0999999999")  # a wrong phone first
    page.click("#rating-start-submit")
    page.wait_for_selector("#rating-problem")
    assert "Không tìm thấy hồ sơ với mã và số điện thoại này" in page.inner_text("#rating-problem")
    page.get_by_label("Số điện thoại của người nộp hồ sơ").fill(world.citizen.phone)
    page.click("#rating-start-submit")
    page.wait_for_selector("#rating-form")
    page.get_by_label("Rất hài lòng").check()
    page.click("#rating-submit")
    page.wait_for_selector("#rating-thanks")
    assert Rating.objects.get().level == "very_satisfied"
