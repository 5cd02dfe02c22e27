"""Anyone who knows a phone can lock its account for a cool-off; the owner unlocks it at once by a reset."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Pass-word-123"
NEW_PASSWORD = "Mat-khau-moi-2026"


def _lock(client, login, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": login, "password": "wrong"})
    assert client.post(reverse("accounts:login"), {"username": login, "password": PASSWORD}).status_code == 429


def _reset_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


@pytest.mark.parametrize("login", ["0912000020", "hoa@example.vn", "hoa20"])
def test_the_owner_of_a_locked_account_unlocks_it_at_once_with_a_reset(client, settings, login):
    user = UserFactory(username="hoa20", phone="0912000020", email="hoa@example.vn")
    _lock(client, "0912000020", settings)

    response = client.post(reverse("accounts:password_reset"), {"email": login}, follow=True)
    assert response.status_code == 200 and "Hãy kiểm tra thư điện tử" in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["hoa@example.vn"]
    assert "Đặt mật khẩu mới" in mail.outbox[0].subject  # in the visitor's language

    link = _reset_link(mail.outbox[0])
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert "tài khoản đã được mở khoá" in done.content.decode()

    response = client.post(reverse("accounts:login"), {"username": "0912000020", "password": NEW_PASSWORD})
    assert response.status_code == 302  # no waiting for the cool-off
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(link).status_code == 200 and not client.get(link, follow=True).context["validlink"]  # used once


def test_the_reset_page_answers_the_same_whether_or_not_the_account_exists(client):
    UserFactory(phone="0912000021", email="co@example.vn")
    UserFactory(phone="0912000022", email="")  # exists, but no e-mail to send to
    pages = []
    for login in ["0912000021", "0912000022", "0999999999", "khong-co@example.vn"]:
        response = client.post(reverse("accounts:password_reset"), {"email": login})
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
        pages.append((response["Location"], re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)))
    assert len(set(pages)) == 1
    assert len(mail.outbox) == 1


def test_a_new_password_must_pass_the_validators(client):
    UserFactory(phone="0912000023", email="a@example.vn", full_name="Trần Văn Bình")
    client.post(reverse("accounts:password_reset"), {"email": "a@example.vn"})
    form_page = client.get(_reset_link(mail.outbox[0]), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "0912000023", "new_password2": "0912000023"}
    )
    assert response.status_code == 200 and response.context["form"].errors["new_password2"]


def test_reset_requests_are_rate_limited_per_address(client, settings):
    settings.PASSWORD_RESET_RATE = (3, 3600)
    UserFactory(phone="0912000024", email="b@example.vn")
    for _ in range(3):
        assert client.post(reverse("accounts:password_reset"), {"email": "b@example.vn"}).status_code == 302
    refused = client.post(reverse("accounts:password_reset"), {"email": "b@example.vn"})
    assert refused.status_code == 429 and "Quá nhiều lần thử" in refused.content.decode()
    assert len(mail.outbox) == 3
    elsewhere = client.post(reverse("accounts:password_reset"), {"email": "b@example.vn"}, REMOTE_ADDR="10.9.9.9")
    assert elsewhere.status_code == 302


def test_the_reset_pages_speak_english_when_chosen(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("accounts:password_reset"))
    assert "Reset your password" in response.content.decode()
    UserFactory(phone="0912000025", email="c@example.vn")
    client.post(reverse("accounts:password_reset"), {"email": "c@example.vn"})
    assert mail.outbox[0].subject.startswith("Set a new password")


def test_an_administrators_new_password_also_lifts_the_lock(client, settings):
    from portal.accounts import services

    user = UserFactory(phone="0912000026")
    _lock(client, "0912000026", settings)
    services.user_password_set(actor=None, user=user, password=NEW_PASSWORD)
    assert (
        client.post(reverse("accounts:login"), {"username": "0912000026", "password": NEW_PASSWORD}).status_code == 302
    )
