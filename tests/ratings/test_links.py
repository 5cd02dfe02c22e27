"""The rating link reaches the citizen: in the e-mails after the result, a refusal or a supplement request, and
on the printed receipt (its QR code); each opens the rating form without the phone."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from procedures.domain.workflow import Action
from procedures.models import DocumentKind, IssuedDocument, OutboxEvent
from procedures.services import notifications
from procedures.services.notifications import outbox_deliver

pytestmark = pytest.mark.django_db
LINK = re.compile(r"https?://\S+/danh-gia/(\S+?)/\?k=(\S+)")


@pytest.fixture
def with_email(world, monkeypatch):
    monkeypatch.setattr(notifications, "_enqueue", lambda ids: None)
    world.citizen.email = "dan@example.vn"
    world.citizen.save()
    return world


def delivered(dossier, kind) -> str:
    event = OutboxEvent.objects.get(dossier=dossier, kind=kind, channel="email", recipient=dossier.applicant)
    mail.outbox.clear()
    assert outbox_deliver(event_id=event.pk) == "sent"
    return mail.outbox[0].body


def opens_the_form(url: str) -> bool:
    path = url.removeprefix(settings.PUBLIC_BASE_URL.rstrip("/"))
    return 'id="rating-form"' in Client().get(path).content.decode()


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        ("returned", Action.RETURN_RESULT),
        ("refused", Action.REFUSE),
        ("supplement_requested", Action.REQUEST_SUPPLEMENT),
    ],
)
def test_the_emails_that_open_the_rating_carry_a_working_link(with_email, status, kind):
    dossier = with_email.to_status(status)
    body = delivered(dossier, kind)
    found = LINK.search(body)
    assert found is not None, body
    assert found.group(1) == dossier.code
    assert "Đánh giá dịch vụ (không cần đăng nhập):" in body  # the applicant's language: Vietnamese
    assert opens_the_form(found.group(0))


def test_earlier_emails_have_no_rating_link(with_email):
    dossier = with_email.to_status("in_progress")
    assert "/danh-gia/" not in delivered(dossier, Action.RECEIVE)


def test_the_receipt_prints_the_signed_rating_link_and_its_qr_code(world):
    from procedures.documents.pdf import render_html

    dossier = world.to_status("received")
    receipt = IssuedDocument.objects.get(dossier=dossier, kind=DocumentKind.RECEIPT)
    url = receipt.snapshot["rating_url"]
    assert LINK.fullmatch(url) and LINK.fullmatch(url).group(1) == dossier.code
    html = render_html(receipt.snapshot)
    assert html.count("<svg") == 2 and url in html  # the lookup's QR code and the rating's
    # Printed at receipt: the form is not open yet, and says so; after the return it is.
    path = url.removeprefix(settings.PUBLIC_BASE_URL.rstrip("/"))
    assert "This dossier cannot be rated yet" in Client(HTTP_COOKIE="motcua_language=en").get(path).content.decode()
    for actor, action in ((world.desk, Action.ASSIGN), (world.specialist, Action.FINISH)):
        dossier = world.act(
            actor, dossier, action, **({"assignee": world.specialist} if action == Action.ASSIGN else {})
        )
    world.act(world.desk, dossier, Action.RETURN_RESULT)
    assert opens_the_form(url)


def test_without_rating_url_the_slip_points_to_the_code_and_phone_form(world, settings):
    settings.RATING_URL = ""
    dossier = world.to_status("received")
    url = IssuedDocument.objects.get(dossier=dossier, kind=DocumentKind.RECEIPT).snapshot["rating_url"]
    assert url == f"{settings.PUBLIC_BASE_URL}/danh-gia/?code={dossier.code}"
