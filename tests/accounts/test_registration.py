import pytest
from django.urls import reverse

from portal.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "full_name": "Nguyễn Thị Hoa",
    "phone": "+84 987 654 321",
    "email": "hoa@example.vn",
    "cccd": "001199012345",
    "password1": "Hoang-Liet-2026",
    "password2": "Hoang-Liet-2026",
}


def test_citizen_registers_and_is_logged_in_with_a_normalised_phone(client):
    response = client.post(reverse("accounts:register"), GOOD, follow=True)
    assert response.status_code == 200
    user = User.objects.get()
    assert user.phone == "0987654321"
    assert user.role == "citizen"
    assert response.context["user"] == user
    assert "Hồ sơ của tôi" in response.content.decode()  # citizen home, in Vietnamese


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "12345", "Nhập số điện thoại Việt Nam"),
        ("cccd", "12345", "đúng 12 chữ số"),
        ("cccd", "999199012345", "mã tỉnh"),
        ("password2", "something-else-1", "Hai mật khẩu không khớp"),
        ("full_name", " ", "Trường này là bắt buộc"),
        ("password1", "123", "quá ngắn"),
    ],
)
def test_bad_registration_shows_a_vietnamese_message_next_to_the_field_and_saves_nothing(client, field, value, message):
    data = {**GOOD, field: value}
    if field == "password1":
        data["password2"] = value
    response = client.post(reverse("accounts:register"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert User.objects.count() == 0


NEUTRAL_VI = "Nếu bạn đã có tài khoản, hãy đăng nhập hoặc đặt lại mật khẩu."


@pytest.mark.parametrize(
    ("taken", "overrides"),
    [
        ("phone", {"phone": "0987 654 321"}),
        ("email", {"email": "OTHER@example.vn"}),
        ("cccd", {"cccd": "001199099999"}),
        ("all three", {"phone": "0987654321", "email": "other@example.vn", "cccd": "001199099999"}),
    ],
)
def test_a_taken_phone_email_or_cccd_gets_the_same_neutral_answer_and_nothing_is_created(client, taken, overrides):
    """CCCD is sensitive personal data: the page must not confirm which identifier (if any) is registered."""
    UserFactory(phone="0987654321", email="other@example.vn", cccd="001199099999")
    fresh = {**GOOD, "phone": "0933 000 111", "email": "fresh@example.vn", "cccd": "001199011111"}
    response = client.post(reverse("accounts:register"), {**fresh, **overrides})
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["__all__"], form.errors  # no field is singled out
    html = response.content.decode()
    assert NEUTRAL_VI in html
    assert "đã tồn tại" not in html and "căn cước" not in " ".join(form.non_field_errors())
    assert reverse("accounts:password_reset") in html and reverse("accounts:login") in html
    assert User.objects.count() == 1


def test_the_neutral_answer_is_word_for_word_the_same_whatever_was_taken(client):
    UserFactory(phone="0987654321", email="other@example.vn", cccd="001199099999")
    fresh = {**GOOD, "phone": "0933 000 111", "email": "fresh@example.vn", "cccd": "001199011111"}
    answers = set()
    for overrides in ({"phone": "0987654321"}, {"email": "other@example.vn"}, {"cccd": "001199099999"}):
        response = client.post(reverse("accounts:register"), {**fresh, **overrides})
        answers.add(tuple(response.context["form"].non_field_errors()))
    assert len(answers) == 1


def test_a_phone_that_is_already_someones_username_is_a_form_error_not_a_500(client, ward):
    """A staff username equal to a phone number (or a number reused after its owner left) used to raise an
    uncaught ValidationError in the registration service."""
    UserFactory(desk=True, unit=ward, username="0987654321")
    response = client.post(reverse("accounts:register"), GOOD)
    assert response.status_code == 200
    assert NEUTRAL_VI in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.parametrize("spelling", ["０９８７６５４３２１", "09８7 654 321", "+８４ 987 654 321"])
def test_fullwidth_digits_are_the_same_number_and_cannot_squat_the_real_owners_phone(client, spelling):
    owner = UserFactory(phone="0987654321", username="0987654321")
    response = client.post(reverse("accounts:register"), {**GOOD, "email": "", "cccd": "", "phone": spelling})
    assert NEUTRAL_VI in response.content.decode()
    assert User.objects.count() == 1
    client.post(reverse("accounts:logout"))
    login = client.post(reverse("accounts:login"), {"username": "0987654321", "password": "Pass-word-123"})
    assert login.status_code == 302 and client.session["_auth_user_id"] == str(owner.pk)


def test_fullwidth_digits_register_as_the_ascii_number(client):
    fullwidth = {"phone": "０９８７６５４３２１", "cccd": "００１１９９０１２３４５"}
    client.post(reverse("accounts:register"), {**GOOD, **fullwidth})
    user = User.objects.get()
    assert (user.phone, user.username, user.cccd) == ("0987654321", "0987654321", "001199012345")


@pytest.mark.parametrize("phone", ["٠٩٨٧٦٥٤٣٢١", "09876543２1x", "0987\u0660654321"])
def test_other_unicode_digits_are_refused(client, phone):
    response = client.post(reverse("accounts:register"), {**GOOD, "phone": phone})
    assert "Nhập số điện thoại Việt Nam" in " ".join(response.context["form"].errors["phone"])
    assert User.objects.count() == 0


def test_the_registration_password_must_not_resemble_the_phone_email_or_name(client):
    for password in ["0987654321ab", "hoa@example.vn1", "NguyenThiHoa"]:
        response = client.post(reverse("accounts:register"), {**GOOD, "password1": password, "password2": password})
        assert "password1" in response.context["form"].errors, password
    assert User.objects.count() == 0


def test_probing_for_registered_numbers_is_rate_limited_per_address(client, settings):
    settings.REGISTRATION_CONFLICT_RATE = (3, 3600)
    UserFactory(phone="0987654321")
    for _ in range(3):
        assert client.post(reverse("accounts:register"), GOOD).status_code == 200
    response = client.post(reverse("accounts:register"), {**GOOD, "phone": "0933000111"})
    assert response.status_code == 429
    assert "Quá nhiều" in response.content.decode()
    other_address = client.post(reverse("accounts:register"), {**GOOD, "phone": "0933000111"}, REMOTE_ADDR="10.1.1.1")
    assert other_address.status_code == 302


@pytest.mark.django_db(transaction=True)
def test_two_registrations_of_one_number_at_once_make_one_account_and_one_clean_refusal():
    """The existence check and the insert race; the loser gets AccountExists (the form's neutral error)."""
    import threading

    from django.db import connection

    from portal.accounts import services

    barrier = threading.Barrier(2)
    outcomes = []

    def register(email):
        try:
            barrier.wait()
            services.citizen_register(full_name="Hoa", phone="0987654321", password="Hoang-Liet-2026", email=email)
            outcomes.append("created")
        except services.AccountExists:
            outcomes.append("exists")
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(f"h{i}@example.vn",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["created", "exists"]
    assert User.objects.filter(phone="0987654321").count() == 1


def test_registration_errors_in_english_when_english_is_chosen(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(reverse("accounts:register"), {**GOOD, "phone": "12"})
    assert "Enter a Vietnamese phone number" in " ".join(response.context["form"].errors["phone"])
