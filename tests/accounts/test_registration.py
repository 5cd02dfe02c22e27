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


def test_duplicate_phone_email_or_cccd_is_refused(client):
    UserFactory(phone="0987654321", email="other@example.vn", cccd="001199099999")
    for field, value in [("phone", "0987 654 321"), ("email", "OTHER@example.vn"), ("cccd", "001199099999")]:
        response = client.post(reverse("accounts:register"), {**GOOD, field: value})
        assert "đã tồn tại" in " ".join(response.context["form"].errors[field])
    assert User.objects.count() == 1


def test_registration_errors_in_english_when_english_is_chosen(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(reverse("accounts:register"), {**GOOD, "phone": "12"})
    assert "Enter a Vietnamese phone number" in " ".join(response.context["form"].errors["phone"])
