import hypothesis
import pytest
from django.urls import reverse
from hypothesis import strategies as st

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Pass-word-123"


@pytest.mark.parametrize(
    "login", ["0912000002", "+84 912 000 002", "０９１２０００００２", "hoa@example.vn", "HOA@example.vn", "hoa"]
)
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


def test_lockout_counts_failures_per_account_whatever_login_was_typed(client, settings):
    """4 wrong guesses each with the phone, the username and the e-mail: locked at the 5th failure overall."""
    UserFactory(username="hoa", phone="0912000007", email="hoa@example.vn")
    logins = ["0912000007", "hoa", "HOA@example.vn"] * 4
    statuses = [
        client.post(reverse("accounts:login"), {"username": u, "password": "wrong"}).status_code for u in logins
    ]
    assert statuses[: settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert set(statuses[settings.AXES_FAILURE_LIMIT - 1 :]) == {429}
    for login in ["0912000007", "hoa", "hoa@example.vn", "+84 912 000 007", "０９１２０００００７"]:
        response = client.post(reverse("accounts:login"), {"username": login, "password": PASSWORD})
        assert response.status_code == 429, login
    assert not client.session.get("_auth_user_id")


def test_unknown_logins_are_counted_by_what_was_typed(client, settings):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "+84 999 000 111", "password": "wrong"})
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["0999000111"]
    assert client.post(reverse("accounts:login"), {"username": "0999000111", "password": "x"}).status_code == 429
    UserFactory(phone="0912000008")
    assert client.post(reverse("accounts:login"), {"username": "0912000008", "password": PASSWORD}).status_code == 302


def test_one_address_cannot_lock_out_account_after_account(client, settings):
    """Per-address limit (AXES_IP_FAILURE_LIMIT): after it, that address is refused, other addresses are not."""
    settings.AXES_IP_FAILURE_LIMIT = 8
    victims = [UserFactory(phone=f"09120001{i:02d}") for i in range(5)]
    attempts = [v.phone for v in victims for _ in range(2)]  # 2 guesses each: no account reaches 5
    statuses = [
        client.post(
            reverse("accounts:login"), {"username": p, "password": "wrong"}, REMOTE_ADDR="203.0.113.9"
        ).status_code
        for p in attempts
    ]
    assert statuses[:7] == [200] * 7 and set(statuses[7:]) == {429}
    blocked = client.post(
        reverse("accounts:login"), {"username": victims[0].phone, "password": PASSWORD}, REMOTE_ADDR="203.0.113.9"
    )
    assert blocked.status_code == 429
    assert "tạm dừng với mọi người" in blocked.content.decode()  # says it is the address, not the account
    owner = client.post(
        reverse("accounts:login"), {"username": victims[0].phone, "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )
    assert owner.status_code == 302  # the victims themselves, elsewhere, still log in


def test_client_address_behind_a_trusted_proxy_is_the_forwarded_one(rf, settings):
    from portal.accounts.lockout import client_ip

    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip(request) == "203.0.113.9"  # the client cannot choose its address by sending the header
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "127.0.0.1"
    assert client_ip(rf.get("/", REMOTE_ADDR="not an address")) is None


def test_the_locked_out_page_offers_a_password_reset(client, settings):
    UserFactory(phone="0912000009")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("accounts:login"), {"username": "0912000009", "password": "wrong"})
    assert response.status_code == 429
    html = response.content.decode()
    assert reverse("accounts:password_reset") in html and "đặt lại mật khẩu" in html


@pytest.mark.parametrize(
    "username",
    ["x" * 256, "9" * 10_000, "abc\x00def", "\x00", "０９１２" + "\x00" * 300],
    ids=["256", "10k", "nul", "only-nul", "mixed"],
)
def test_api_token_with_an_absurd_username_is_a_400_in_the_users_language(client, username):
    """A 256-character username used to crash the lockout log (varchar(255)); a NUL crashed psycopg."""
    from axes.models import AccessAttempt, AccessFailureLog

    response = client.post("/api/auth/token/", {"username": username, "password": "x"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    english = client.post("/api/auth/token/", {"username": username, "password": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400
    assert response.json() != english.json()  # Vietnamese, not the English fallback
    for row in [*AccessAttempt.objects.all(), *AccessFailureLog.objects.all()]:
        assert len(row.username) <= 150 and "\x00" not in row.username


def test_api_token_for_a_locked_account_is_a_json_429(client, settings):
    UserFactory(phone="0912000010")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/api/auth/token/", {"username": "0912000010", "password": "wrong"})
    response = client.post("/api/auth/token/", {"username": "0912000010", "password": PASSWORD})
    assert response.status_code == 429
    assert "đặt lại mật khẩu" in response.json()["detail"]


def test_login_form_with_an_overlong_or_nul_login_is_a_clear_error(client):
    response = client.post(reverse("accounts:login"), {"username": "x" * 10_000, "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors
    # A NUL never reaches the form: the portal answers 400 for any input the database cannot store.
    response = client.post(reverse("accounts:login"), {"username": "ab\x00c", "password": "x"})
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_guessing_during_the_lock_does_not_extend_it(client, settings):
    import time_machine
    from django.utils import timezone

    UserFactory(phone="0912000011")
    start = timezone.now()
    cooloff = timezone.timedelta(hours=settings.AXES_COOLOFF_TIME)
    with time_machine.travel(start, tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(reverse("accounts:login"), {"username": "0912000011", "password": "wrong"})
    with time_machine.travel(start + cooloff - timezone.timedelta(minutes=1), tick=False):
        assert client.post(reverse("accounts:login"), {"username": "0912000011", "password": "x"}).status_code == 429
    with time_machine.travel(start + cooloff + timezone.timedelta(seconds=30), tick=False):
        response = client.post(reverse("accounts:login"), {"username": "0912000011", "password": PASSWORD})
    assert response.status_code == 302


@hypothesis.settings(max_examples=60, deadline=None)
@hypothesis.given(st.text(max_size=400))
def test_any_typed_login_gives_a_lockout_key_the_log_can_store(raw):
    from portal.accounts.lockout import MAX_KEY_LENGTH, lockout_key

    key = lockout_key(None, {"username": raw + "\x00\ud800"})
    assert len(key) <= MAX_KEY_LENGTH
    key.encode("utf-8")  # no lone surrogate
    assert "\x00" not in key


def test_api_token_with_a_lone_surrogate_in_json_is_a_400(client):
    response = client.post(
        "/api/auth/token/", data='{"username": "\\ud800abc", "password": "x"}', content_type="application/json"
    )
    assert response.status_code == 400
