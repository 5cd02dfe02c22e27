import pytest
from django.urls import reverse

from procedures.services.demo import DEMO_PASSWORD, seed_demo

pytestmark = pytest.mark.django_db


def test_public_home_is_vietnamese_by_default(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert "Bộ phận một cửa" in html


def test_language_switch_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()
    assert "One-stop desk of the ward" in response.content.decode()
    response = client.post(reverse("set_language"), {"language": "vi", "next": "/"}, follow=True)
    assert '<html lang="vi">' in response.content.decode()


@pytest.mark.parametrize(
    ("username", "heading"),
    [
        ("citizen", "Hồ sơ và lịch hẹn của tôi"),
        ("desk", "Việc cần xử lý của tôi"),
        ("specialist", "Việc cần xử lý của tôi"),
        ("leader", "Bảng điều hành"),
        ("district", "Phường Hoàng Liệt"),  # district leader sees the wards below
    ],
)
def test_each_role_lands_on_its_own_home(client, username, heading):
    seed_demo()
    client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    assert heading in client.get("/").content.decode()


def test_friendly_404_in_both_languages(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Page not found" in client.get("/no-such-page/").content.decode()


def test_api_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"openapi" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()


def test_api_token_authentication(client):
    seed_demo()
    response = client.post("/api/auth/token/", {"username": "desk", "password": DEMO_PASSWORD})
    assert response.status_code == 200
    assert len(response.json()["token"]) == 40


def test_pages_carry_a_content_security_policy_without_third_party_sources(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "http" not in csp


def test_pages_stay_vietnamese_for_an_english_browser_until_english_is_chosen(client):
    response = client.get("/thu-tuc/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="vi">' in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get("/thu-tuc/", HTTP_ACCEPT_LANGUAGE="vi")
    assert '<html lang="en">' in response.content.decode()
