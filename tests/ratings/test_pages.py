"""The rating pages: /danh-gia/ (code + phone, like the lookup), /danh-gia/<code>/ (signed link or the signed-in
applicant), the desk's paper rating, and the links to them (citizen and staff dossier pages)."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from procedures.models import Rating
from procedures.rating_links import rating_token, rating_token_check

pytestmark = pytest.mark.django_db
START = "/danh-gia/"


@pytest.fixture
def client():
    """Pages in English (the msgids), as the language switcher's cookie asks."""
    english = Client()
    english.cookies["motcua_language"] = "en"
    return english


def link(code: str) -> str:
    return f"/danh-gia/{code}/?k={rating_token(code)}"


def text(response) -> str:
    return response.content.decode()


GOOD = {"level": "very_satisfied", "reason": "", "criterion_contacts": "2", "criterion_staff_attitude": "1"}


# --- code + phone -------------------------------------------------------------------------------------------


def test_code_and_phone_lead_to_the_form_with_a_signed_link(client, world, returned):
    page = client.get(START, {"code": returned.code})
    assert page.status_code == 200 and f'value="{returned.code}"' in text(page)
    phone = world.citizen.phone
    response = client.post(START, {"code": returned.code, "phone": f"+84 {phone[1:4]} {phone[4:7]} {phone[7:]}"})
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert url.path == f"/danh-gia/{returned.code}/"
    rating_token_check(returned.code, parse_qs(url.query)["k"][0])  # a genuine link for this dossier
    form = client.get(response["Location"])
    assert form.status_code == 200
    assert 'id="rating-form"' in text(form) and "Very satisfied" in text(form)
    assert "Number of times you had to come or get in touch" in text(form)


def test_a_wrong_phone_and_an_unknown_code_get_the_same_answer(client, world, returned):
    wrong_phone = client.post(START, {"code": returned.code, "phone": "0999999999"})
    unknown = client.post(START, {"code": "H26.08.04-260101-9999", "phone": world.citizen.phone})
    assert wrong_phone.status_code == unknown.status_code == 404
    message = "No dossier matches this code and phone number. Check both against your receipt."
    assert message in text(wrong_phone) and message in text(unknown)
    assert not Rating.objects.exists()


def test_bad_input_is_named(client, world):
    response = client.post(START, {"code": "bad", "phone": "12"})
    assert response.status_code == 400
    assert 'id="form-errors"' in text(response)
    assert "A dossier code looks like H26.08.04-260105-0007." in text(response)


def test_code_and_phone_share_the_lookups_rate_limit(client, world, returned, settings):
    settings.LOOKUP_RATE_PER_CODE = 2
    for _ in range(2):
        assert client.post(START, {"code": returned.code, "phone": "0999999999"}).status_code == 404
    limited = client.post(START, {"code": returned.code, "phone": world.citizen.phone})
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert "Too many lookups. Try again in" in text(limited)
    # The public lookup of the same code counts in the same window.
    assert client.get("/tra-cuu/", {"code": returned.code, "phone": world.citizen.phone}).status_code == 429


# --- the signed link ----------------------------------------------------------------------------------------


def test_rate_then_thank_you_then_the_rating_not_the_form(client, world, returned):
    url = link(returned.code)
    response = client.post(url, GOOD)
    assert response.status_code == 302 and "sent=1" in response["Location"]
    thanks = client.get(response["Location"])
    assert "Thank you for your rating" in text(thanks) and 'id="rating-form"' not in text(thanks)
    assert "Very satisfied" in text(thanks)
    rating = Rating.objects.get()
    assert (rating.channel, rating.criteria) == ("online", {"contacts": 2, "staff_attitude": 1})
    again = client.get(url)
    assert "This dossier has already been rated. Here is the rating given." in text(again)
    assert 'id="rating-form"' not in text(again)


def test_a_second_rating_is_refused_and_the_first_kept(client, world, returned):
    url = link(returned.code)
    client.post(url, GOOD)
    second = client.post(url, {"level": "dissatisfied", "reason": "Thay đổi"})
    assert second.status_code == 409
    assert "This dossier has already been rated; a dossier is rated once. Nothing was changed." in text(second)
    assert list(Rating.objects.values_list("level", flat=True)) == ["very_satisfied"]


def test_dissatisfied_without_a_reason_says_so_and_saves_nothing(client, world, returned):
    response = client.post(link(returned.code), {"level": "dissatisfied", "reason": "  ", "criterion_contacts": "0"})
    assert response.status_code == 400
    body = text(response)
    assert "Tell us why you are dissatisfied: a reason is required." in body
    assert 'href="#id_reason"' in body  # the summary links to the field
    assert 'id="id_criterion_contacts_2" checked' in body  # what was chosen is kept (0, the third radio)
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    "data",
    [{"level": "great"}, {}, {"level": "satisfied", "criterion_contacts": "5"}],
    ids=["unknown level", "nothing", "bad score"],
)
def test_bad_input_on_the_form(client, world, returned, data):
    response = client.post(link(returned.code), data)
    assert response.status_code == 400 and 'id="form-errors"' in text(response)
    assert not Rating.objects.exists()


def test_no_level_chosen_links_the_summary_to_the_first_radio(client, world, returned):
    body = text(client.post(link(returned.code), {}))
    assert "Choose how satisfied you are: very satisfied, satisfied or dissatisfied." in body
    assert 'href="#id_level_0"' in body and 'id="id_level_0"' in body


@pytest.mark.parametrize(
    "token",
    [
        lambda code: rating_token(code)[:-1] + "x",
        lambda code: rating_token("H26.08.04-260101-0001"),
        lambda code: "abc",
    ],
    ids=["tampered", "another dossier's", "garbage"],
)
def test_a_bad_link_is_refused_with_the_way_back(client, world, returned, token):
    response = client.get(f"/danh-gia/{returned.code}/", {"k": token(returned.code)})
    assert response.status_code == 400
    assert "This rating link is not valid" in text(response)
    assert f"/danh-gia/?code={returned.code}" in text(response)
    posted = client.post(f"/danh-gia/{returned.code}/?k={token(returned.code)}", GOOD)
    assert posted.status_code == 400 and not Rating.objects.exists()


def test_an_expired_link_says_it_expired(client, world, returned, settings):
    url = link(returned.code)
    with time_machine.travel(timezone.now() + timedelta(days=settings.RATING_LINK_MAX_AGE_DAYS, hours=1)):
        response = client.get(url)
        posted = client.post(url, GOOD)
    assert response.status_code == 400 and "This rating link has expired." in text(response)
    assert posted.status_code == 400 and not Rating.objects.exists()
    with time_machine.travel(timezone.now() + timedelta(days=settings.RATING_LINK_MAX_AGE_DAYS - 1)):
        assert client.get(url).status_code == 200


def test_a_dossier_not_open_for_rating_shows_why(client, world):
    received = world.to_status("received")
    page = client.get(link(received.code))
    assert page.status_code == 200 and "This dossier cannot be rated yet" in text(page)
    assert 'id="rating-form"' not in text(page)
    assert client.post(link(received.code), GOOD).status_code == 409
    assert not Rating.objects.exists()


# --- signed in ----------------------------------------------------------------------------------------------


def test_without_a_link_only_the_signed_in_applicant_gets_in(client, world, returned):
    url = f"/danh-gia/{returned.code}/"
    assert client.get(url)["Location"] == f"/danh-gia/?code={returned.code}"
    for other in (world.other_citizen, world.desk):
        client.force_login(other)
        assert client.get(url).status_code == 302
        assert client.post(url, GOOD).status_code == 302
    assert not Rating.objects.exists()
    client.force_login(world.citizen)
    assert 'id="rating-form"' in text(client.get(url))
    assert client.post(url, GOOD).status_code == 302
    assert Rating.objects.get().channel == "online"


def test_the_citizens_dossier_page_offers_the_rating_then_shows_it(client, world, returned):
    client.force_login(world.citizen)
    page = text(client.get(f"/ho-so/{returned.code}/"))
    assert "Rate this service" in page and f'href="/danh-gia/{returned.code}/"' in page
    client.post(f"/danh-gia/{returned.code}/", {"level": "satisfied"})
    page = text(client.get(f"/ho-so/{returned.code}/"))
    assert "Rate this service" not in page and "Your rating" in page and "Satisfied" in page


def test_no_rating_offered_while_the_dossier_is_in_progress(client, world):
    in_progress = world.to_status("in_progress")
    client.force_login(world.citizen)
    assert "Rate this service" not in text(client.get(f"/ho-so/{in_progress.code}/"))


# --- the desk's paper rating --------------------------------------------------------------------------------


def test_the_desk_records_a_paper_rating_shown_on_the_staff_page(client, world, returned):
    client.force_login(world.desk)
    detail = text(client.get(f"/can-bo/ho-so/{returned.code}/"))
    assert "Record a paper rating" in detail and f"/can-bo/ho-so/{returned.code}/danh-gia/" in detail
    form = client.get(f"/can-bo/ho-so/{returned.code}/danh-gia/")
    assert form.status_code == 200 and 'id="rating-form"' in text(form)
    bad = client.post(f"/can-bo/ho-so/{returned.code}/danh-gia/", {"level": "dissatisfied"})
    assert bad.status_code == 400 and "a reason is required" in text(bad)
    done = client.post(f"/can-bo/ho-so/{returned.code}/danh-gia/", {"level": "dissatisfied", "reason": "Chờ lâu"})
    assert done.status_code == 302 and done["Location"] == f"/can-bo/ho-so/{returned.code}/"
    rating = Rating.objects.get()
    assert (rating.channel, rating.recorded_by, rating.reason) == ("paper", world.desk, "Chờ lâu")
    detail = text(client.get(done["Location"]))
    assert "The paper rating was recorded." in detail and "Record a paper rating" not in detail
    assert "Dissatisfied" in detail and "Chờ lâu" in detail
    # The page now shows the rating, and a second one is refused.
    again = client.post(f"/can-bo/ho-so/{returned.code}/danh-gia/", {"level": "satisfied"})
    assert again.status_code == 409 and "already been rated" in text(again)
    # The citizen sees it on their page, and the public page shows it instead of the form.
    assert "Dissatisfied" in text(client.get(link(returned.code)))


def test_other_staff_do_not_record_paper_ratings(client, world, returned):
    url = f"/can-bo/ho-so/{returned.code}/danh-gia/"
    for user, status in ((world.specialist, 403), (world.leader, 403), (world.other_desk, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status
        assert client.post(url, {"level": "satisfied"}).status_code == status
        assert "Record a paper rating" not in text(client.get(f"/can-bo/ho-so/{returned.code}/"))
    assert not Rating.objects.exists()


def test_the_paper_page_of_a_dossier_not_open_for_rating(client, world):
    received = world.to_status("received")
    client.force_login(world.desk)
    assert "Record a paper rating" not in text(client.get(f"/can-bo/ho-so/{received.code}/"))
    page = client.get(f"/can-bo/ho-so/{received.code}/danh-gia/")
    assert page.status_code == 200 and "This dossier cannot be rated yet" in text(page)
    assert client.post(f"/can-bo/ho-so/{received.code}/danh-gia/", {"level": "satisfied"}).status_code == 409


def test_vietnamese_by_default(world, returned):
    body = Client().post(link(returned.code), {"level": "dissatisfied"}).content.decode()
    assert "Không hài lòng" in body
    assert "Rất hài lòng" in body


def test_the_public_lookup_of_a_returned_dossier_links_to_the_rating(client, world, returned):
    page = text(client.get("/tra-cuu/", {"code": returned.code, "phone": world.citizen.phone}))
    found = re.search(r'href="(/danh-gia/[^"]+)" id="lookup-rate"', page)
    assert found is not None, "a signed rating link on the lookup's answer"
    assert 'id="rating-form"' in text(client.get(found.group(1).replace("&amp;", "&")))
    in_progress = world.to_status("in_progress")
    assert 'id="lookup-rate"' not in text(
        client.get("/tra-cuu/", {"code": in_progress.code, "phone": world.citizen.phone})
    )
