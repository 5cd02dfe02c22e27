import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Pass-word-123"


@pytest.mark.parametrize("login", ["0912000002", "+84 912 000 002", "hoa@example.vn", "HOA@example.vn", "hoa"])
def test_login_with_phone_in_any_spelling_email_or_username(client, login):
    UserFactory(username="hoa", phone="0912000002", email="hoa@example.vn")
    response = client.post(reverse("accounts:login"), {"username": login, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    assert client.session.get("_auth_user_id")


def test_wrong_password_says_so_in_vietnamese(client):
    UserFactory(phone="0912000003")
    response = client.post(reverse("accounts:login"), {"username": "0912000003", "password": "wrong"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_repeated_failures_lock_the_account_for_a_cooloff_whatever_the_spelling(client, settings):
    UserFactory(phone="0912000004")
    spellings = ["0912000004", "0912 000 004", "+84912000004", "84912000004", "0912.000.004"]
    for spelling in spellings:
        client.post(reverse("accounts:login"), {"username": spelling, "password": "wrong"})
    # Even the right password is refused during the cool-off, and the page says so.
    response = client.post(reverse("accounts:login"), {"username": "0912000004", "password": PASSWORD})
    assert response.status_code == 429
    assert "tạm khoá" in response.content.decode()
    assert not client.session.get("_auth_user_id")


def test_lockout_expires_after_the_cooloff(client, settings):
    import time_machine
    from django.utils import timezone

    UserFactory(phone="0912000005")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(reverse("accounts:login"), {"username": "0912000005", "password": "wrong"})
        locked = client.post(reverse("accounts:login"), {"username": "0912000005", "password": PASSWORD})
        assert locked.status_code == 429
    with time_machine.travel(start + timezone.timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1), tick=False):
        response = client.post(reverse("accounts:login"), {"username": "0912000005", "password": PASSWORD})
    assert response.status_code == 302


def test_logout_is_a_post(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert not client.session.get("_auth_user_id")


def test_every_attempt_is_logged_under_the_canonical_login(client):
    from axes.models import AccessFailureLog, AccessLog

    user = UserFactory(phone="0912000006")
    client.post(reverse("accounts:login"), {"username": "+84 912 000 006", "password": "wrong"})
    client.post(reverse("accounts:login"), {"username": "0912000006", "password": PASSWORD})
    assert list(AccessFailureLog.objects.values_list("username", flat=True)) == [f"user:{user.pk}"]
    assert AccessLog.objects.filter(username=user.username).count() == 1
