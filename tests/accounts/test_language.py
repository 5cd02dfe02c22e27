"""The language of the portal's e-mails to a person: chosen at registration, changed by the language switcher."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.accounts.models import User
from portal.accounts.services import user_language_set
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "full_name": "Nguyễn Thị Hoa",
    "phone": "0987654321",
    "password1": "Hoang-Liet-2026",
    "password2": "Hoang-Liet-2026",
}


def test_registration_keeps_the_chosen_language_else_the_pages_language(client):
    client.post(reverse("accounts:register"), {**GOOD, "language": "en"})
    assert User.objects.get(phone="0987654321").language == "en"
    client.logout()
    client.post(reverse("accounts:register"), {**GOOD, "phone": "0912345678"})
    assert User.objects.get(phone="0912345678").language == "vi"  # the default page language


def test_registration_offers_the_choice_preselected_with_the_pages_language(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    form = client.get(reverse("accounts:register")).context["form"]
    assert form["language"].value() == "en"
    response = client.post(reverse("accounts:register"), {**GOOD, "language": "klingon"})
    assert response.status_code == 200 and "is not one of the available choices" in response.content.decode()
    assert not User.objects.exists()


def test_the_switcher_stores_a_signed_in_persons_language(client):
    user = UserFactory()
    assert user.language == "vi"
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})  # not offered: nothing stored
    user.refresh_from_db()
    assert user.language == "en"


def test_signed_out_visitors_only_get_the_cookie(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.cookies["motcua_language"].value == "en"


def test_the_service_refuses_a_language_the_portal_does_not_offer():
    user = UserFactory()
    with pytest.raises(ValidationError):
        user_language_set(user=user, language="fr")
    assert user_language_set(user=user, language="en").language == "en"
